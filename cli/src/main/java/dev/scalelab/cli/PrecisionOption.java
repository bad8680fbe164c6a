package dev.scalelab.cli;

import dev.scalelab.sweep.tensor.PrecisionChoice;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.util.List;
import java.util.Locale;

/**
 * The shared {@code --precision} option: the precision of every training run's matrix multiplies,
 * resolved on this machine and recorded in each run's spec (so it is part of the run id, like threads).
 */
final class PrecisionOption {
    @Option(names = "--precision", paramLabel = "P", converter = Choice.class,
            completionCandidates = Candidates.class,
            description = "Matrix multiplies of each training run: fp32 (float32 throughout), bf16 (bfloat16 inputs, "
                    + "float32 accumulation, master weights and everything else; needs AVX-512, fast with "
                    + "AVX512-BF16 or AMX) or auto (bf16 where the CPU has AVX512-BF16 or AMX, else fp32). Each run's "
                    + "spec records what it used; each precision is deterministic, with its own bits (default: a "
                    + "sweep config's training.precision, fp32 when it gives none).")
    String precision;

    /** fp32 or bf16 as resolved on this machine (auto already decided), or null for the default (a sweep config's, else fp32). */
    String given() {
        return precision;
    }

    /**
     * Accepts fp32, bf16 and auto in any case and resolves auto on this machine, so the runs' specs name what
     * they use; an unknown value, or bf16 on a CPU without AVX-512, is a usage error (exit 2) naming the fix.
     */
    static final class Choice implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!new Candidates().contains(v)) {
                throw new TypeConversionException("'" + value + "' is not a precision: use " + PrecisionChoice.VALUES);
            }
            try {
                return PrecisionChoice.resolve(v).label();
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class Candidates extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Candidates() {
            super(List.of("fp32", "bf16", "auto"));
        }
    }
}
