package dev.scalelab.core.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The precision a run's matrix multiplies use. {@link #FP32} is float32 throughout; {@link #BF16}
 * rounds the inputs of every matrix multiply to bfloat16 and accumulates in float32, with float32
 * master weights, optimizer state and every other operation (the usual mixed-precision recipe,
 * e.g. Kalamkar et al. 2019, "A Study of BFLOAT16 for Deep Learning Training"). Each precision
 * gives its own bits, the same on every run.
 */
public enum Precision {
    FP32, BF16;

    /** The lower-case name a run spec and the command line use. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code fp32} or {@code bf16}. */
    @JsonCreator
    public static Precision fromLabel(String label) {
        for (Precision p : values()) {
            if (p.label().equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + label + "': use fp32 or bf16");
    }
}
