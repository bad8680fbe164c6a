package dev.scalelab.sweep.tensor;

import dev.scalelab.core.run.Precision;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code --precision fp32|bf16|auto} (and a sweep config's {@code training.precision}) resolved on this
 * machine, before any run id is computed, so a run's spec always names the precision it used.
 * {@code auto} is bf16 only where oneDNN dispatches to native bf16 instructions (AVX512-BF16 or AMX),
 * float32 elsewhere; {@code bf16} needs at least AVX-512 (oneDNN's bf16 matmul has no AVX2 kernel).
 */
public final class PrecisionChoice {
    /** The values the option and the config field accept. */
    public static final String VALUES = "fp32, bf16 or auto";

    private PrecisionChoice() {
    }

    /** The precision {@code choice} (null: fp32) means here; IllegalArgumentException naming the fix otherwise. */
    public static Precision resolve(String choice) {
        return resolve(choice, OneDnnMatmul::isa);
    }

    /**
     * As {@link #resolve(String)} on a CPU whose oneDNN instruction set is {@code isa}, e.g. avx512_core_amx
     * (asked only for bf16 and auto, so a float32 run never loads oneDNN's library).
     */
    static Precision resolve(String choice, Supplier<String> cpuIsa) {
        String c = choice == null ? "fp32" : choice.trim().toLowerCase(Locale.ROOT);
        switch (c) {
            case "fp32":
                return Precision.FP32;
            case "auto":
                return nativeBf16(cpuIsa.get()) ? Precision.BF16 : Precision.FP32;
            case "bf16":
                String isa = cpuIsa.get();
                if (!isa.startsWith("avx512")) {
                    throw new IllegalArgumentException("bf16 needs a CPU with AVX-512 and this one offers oneDNN "
                            + isa + ": use fp32 (or auto)");
                }
                return Precision.BF16;
            default:
                throw new IllegalArgumentException("unknown precision '" + choice + "': use " + VALUES);
        }
    }

    /** Whether {@code isa} runs bf16 products in hardware (AVX512-BF16 or AMX) rather than emulating them. */
    static boolean nativeBf16(String isa) {
        return isa.contains("bf16") || isa.contains("amx");
    }
}
