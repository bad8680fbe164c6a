package dev.scalelab.core.data;

/**
 * One point a scaling law is fitted to: a model of {@code params} parameters trained on
 * {@code tokens} tokens with {@code flops} FLOPs reached validation loss {@code loss} (nats/token).
 *
 * @param params parameters, as the source counted them (positive)
 * @param tokens training tokens (positive)
 * @param flops  training FLOPs (positive), under the convention its table states
 * @param loss   validation loss in nats per token (positive)
 * @param budget the FLOP budget the run belonged to, for IsoFLOP studies; null if none
 * @param run    a run id or name; null if none
 * @param step   the training step this point was measured at; null for a final loss
 * @param group  a free grouping label (a model family, a sweep); null if none
 * @param uniqueTokens the distinct tokens among {@code tokens} (tokens / epochs), for laws of repeated
 *                     data; null if not given
 */
public record Observation(double params, double tokens, double flops, double loss,
                          Double budget, String run, Long step, String group, Double uniqueTokens) {

    /** A point with no count of unique tokens. */
    public Observation(double params, double tokens, double flops, double loss, Double budget, String run, Long step,
                       String group) {
        this(params, tokens, flops, loss, budget, run, step, group, null);
    }

    public Observation {
        requirePositiveFinite("params", params);
        requirePositiveFinite("tokens", tokens);
        requirePositiveFinite("flops", flops);
        requirePositiveFinite("loss", loss);
        if (budget != null) {
            requirePositiveFinite("budget", budget);
        }
        if (uniqueTokens != null) {
            requirePositiveFinite("uniqueTokens", uniqueTokens);
        }
        if (step != null && step < 0) {
            throw new IllegalArgumentException("step must not be negative, got " + step);
        }
    }

    /** A final-loss point with no budget, run, step or group. */
    public static Observation of(double params, double tokens, double flops, double loss) {
        return new Observation(params, tokens, flops, loss, null, null, null, null);
    }

    private static void requirePositiveFinite(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive finite number, got " + value);
        }
    }
}
