package dev.scalelab.fitting.grok;

import java.util.Locale;

/**
 * Finds the events of a grokking run (Power et al. 2022) in its logged accuracies and classifies
 * the run into the four phases Liu et al. (2022, "Towards Understanding Grokking: An Effective Theory
 * of Representation Learning", section 5) name and describe qualitatively. The cut-offs are
 * scalelab's own rule, not the paper's: the accuracy thresholds (default 99% each) and the step
 * ratio {@code grokRatio} (default 3) that separates grokking from comprehension.
 * <ul>
 * <li><b>comprehension</b>: validation accuracy reaches its threshold within {@code grokRatio}
 * times the step at which training accuracy reached its own (generalisation with memorisation);
 * <li><b>grokking</b>: it does, but later than that (generalisation long after memorisation);
 * <li><b>memorisation</b>: training accuracy reaches its threshold, validation accuracy never does
 * within the budget;
 * <li><b>confusion</b>: not even the training set is fitted within the budget.
 * </ul>
 * The memorisation step is the first logged step with train accuracy ≥ {@code memorised}; the
 * generalisation step the first with validation accuracy ≥ {@code generalised}. Events are only
 * as precise as the logging: a run logged at log-spaced steps places each event within one
 * logging interval.
 */
public final class Grokking {
    public enum Phase { COMPREHENSION, GROKKING, MEMORISATION, CONFUSION;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The detector's thresholds: scalelab's defaults, not values from Liu et al. (2022). */
    public record Thresholds(double memorised, double generalised, double grokRatio) {
        public static final Thresholds DEFAULT = new Thresholds(0.99, 0.99, 3);

        public Thresholds {
            if (!(memorised > 0 && memorised <= 1) || !(generalised > 0 && generalised <= 1)) {
                throw new IllegalArgumentException("accuracy thresholds must be in (0, 1]");
            }
            if (!(grokRatio >= 1)) {
                throw new IllegalArgumentException("grokRatio must be at least 1, got " + grokRatio);
            }
        }
    }

    /**
     * @param memorisedStep   first step with train accuracy at the threshold, or null
     * @param generalisedStep first step with validation accuracy at the threshold, or null
     * @param delaySteps      generalised − memorised, when both happened
     * @param ratio           generalised / memorised, when both happened
     * @param budgetSteps     the last step logged
     * @param summary         one line for people
     */
    public record Events(Long memorisedStep, Long generalisedStep, Long delaySteps, Double ratio, Phase phase,
                         long budgetSteps, String summary) {
    }

    private Grokking() {
    }

    public static Events detect(long[] steps, double[] trainAccuracy, double[] validationAccuracy, Thresholds t) {
        if (steps.length == 0 || steps.length != trainAccuracy.length || steps.length != validationAccuracy.length) {
            throw new IllegalArgumentException("steps and accuracies must be non-empty and of one length");
        }
        Long memorised = first(steps, trainAccuracy, t.memorised());
        Long generalised = first(steps, validationAccuracy, t.generalised());
        long budget = steps[steps.length - 1];
        if (memorised == null) {
            String s = generalised == null
                    ? String.format(Locale.ROOT, "confusion: train accuracy never reached %.0f%% within %d steps",
                            100 * t.memorised(), budget)
                    : "confusion: validation accuracy reached its threshold but train accuracy did not";
            return new Events(null, generalised, null, null, Phase.CONFUSION, budget, s);
        }
        if (generalised == null) {
            return new Events(memorised, null, null, null, Phase.MEMORISATION, budget, String.format(Locale.ROOT,
                    "memorisation: train accuracy %.0f%% at step %d; no grokking within budget (validation accuracy "
                            + "below %.0f%% through step %d)", 100 * t.memorised(), memorised, 100 * t.generalised(), budget));
        }
        long delay = generalised - memorised;
        double ratio = generalised / (double) Math.max(1, memorised);
        Phase phase = ratio >= t.grokRatio() ? Phase.GROKKING : Phase.COMPREHENSION;
        return new Events(memorised, generalised, delay, ratio, phase, budget, String.format(Locale.ROOT,
                "%s: memorised at step %d, generalised at step %d (%d steps later, %.1fx)", phase.id(), memorised,
                generalised, delay, ratio));
    }

    private static Long first(long[] steps, double[] accuracy, double threshold) {
        for (int i = 0; i < steps.length; i++) {
            if (accuracy[i] >= threshold) {
                return steps[i];
            }
        }
        return null;
    }
}
