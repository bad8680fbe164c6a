package dev.scalelab.core.run;

import java.util.Locale;

/**
 * Learning-rate schedules. Each is a pure function of the step, so a resumed run sees exactly the
 * rates an uninterrupted one would.
 */
public enum LrSchedule {
    /** Linear warm-up, then the peak rate to the end. */
    CONSTANT,
    /**
     * Linear warm-up, then cosine decay to {@code minFraction} of the peak at the last step. The
     * cosine must span the whole run (Hoffmann et al. 2022, section 3 and Figure A1): a longer
     * cosine overestimates the loss of shorter runs.
     */
    COSINE,
    /**
     * Warm-up, stable, decay (Hägele et al. 2024; Hu et al. 2024, MiniCPM): linear warm-up, the
     * peak rate, then a linear decay to {@code minFraction} over the last {@code decayFraction} of the run,
     * so a checkpoint taken before the decay plus a short decay is a valid end of training.
     */
    WSD;

    /**
     * The learning rate for optimizer step {@code step} (0-based) of a run of {@code totalSteps}.
     *
     * @param peak          the peak learning rate
     * @param warmupSteps   steps of linear warm-up from peak/warmupSteps to peak
     * @param minFraction   the final rate as a fraction of the peak (cosine, wsd)
     * @param decayFraction the fraction of the run spent decaying (wsd only)
     */
    public double rate(long step, long totalSteps, double peak, long warmupSteps, double minFraction,
                       double decayFraction) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        return switch (this) {
            case CONSTANT -> peak;
            case COSINE -> {
                long span = Math.max(1, totalSteps - 1 - warmupSteps);
                double progress = Math.min(1.0, (step - warmupSteps) / (double) span);
                yield peak * (minFraction + (1 - minFraction) * 0.5 * (1 + Math.cos(Math.PI * progress)));
            }
            case WSD -> {
                long decaySteps = Math.max(1, Math.round(totalSteps * decayFraction));
                long decayStart = Math.max(warmupSteps, totalSteps - decaySteps);
                if (step < decayStart) {
                    yield peak;
                }
                double progress = Math.min(1.0, (step - decayStart + 1) / (double) (totalSteps - decayStart));
                yield peak * (1 - (1 - minFraction) * progress);
            }
        };
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static LrSchedule fromId(String text) {
        for (LrSchedule s : values()) {
            if (s.id().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown schedule '" + text + "'; expected constant, cosine or wsd");
    }
}
