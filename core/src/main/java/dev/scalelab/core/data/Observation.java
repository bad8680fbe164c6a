package dev.scalelab.core.data;

import java.util.Map;

/**
 * One point a scaling law is fitted to: a model of {@code params} parameters trained on
 * {@code tokens} tokens with {@code flops} FLOPs reached validation loss {@code loss} (nats/token).
 * A table read for a law that does not use some of these (a law of one loss against another, of
 * accuracy against loss) leaves them NaN: absent, not zero.
 *
 * @param params parameters, as the source counted them (positive; NaN if absent)
 * @param tokens training tokens (positive; NaN if absent)
 * @param flops  training FLOPs (positive; NaN if absent), under the convention its table states
 * @param loss   validation loss in nats per token (positive; NaN if absent; 0 only in a table of a law of
 *               other columns, as the ideal point of accuracy against loss)
 * @param budget the FLOP budget the run belonged to, for IsoFLOP studies; null if none
 * @param run    a run id or name; null if none
 * @param step   the training step this point was measured at; null for a final loss
 * @param group  a free grouping label (a model family, a sweep); null if none
 * @param uniqueTokens the distinct tokens among {@code tokens} (tokens / epochs), for laws of repeated
 *                     data; null if not given
 * @param values every other numeric cell of the row, by its header in lower case ({@code error},
 *               {@code lr}, {@code loss_a}): the columns the laws of downstream metrics and
 *               hyperparameters read
 */
public record Observation(double params, double tokens, double flops, double loss,
                          Double budget, String run, Long step, String group, Double uniqueTokens,
                          Map<String, Double> values) {

    /** A point with no count of unique tokens. */
    public Observation(double params, double tokens, double flops, double loss, Double budget, String run, Long step,
                       String group) {
        this(params, tokens, flops, loss, budget, run, step, group, null);
    }

    /** A point with no other columns. */
    public Observation(double params, double tokens, double flops, double loss, Double budget, String run, Long step,
                       String group, Double uniqueTokens) {
        this(params, tokens, flops, loss, budget, run, step, group, uniqueTokens, Map.of());
    }

    public Observation {
        requirePositiveOrAbsent("params", params);
        requirePositiveOrAbsent("tokens", tokens);
        requirePositiveOrAbsent("flops", flops);
        if (loss == 0) {
            // a law of accuracy against loss may hold the ideal point, loss 0 (Bhagia et al. 2024)
        } else {
            requirePositiveOrAbsent("loss", loss);
        }
        if (budget != null) {
            requirePositiveOrAbsent("budget", budget);
        }
        if (uniqueTokens != null) {
            requirePositiveOrAbsent("uniqueTokens", uniqueTokens);
        }
        if (step != null && step < 0) {
            throw new IllegalArgumentException("step must not be negative, got " + step);
        }
        values = Map.copyOf(values);
    }

    /** A final-loss point with no budget, run, step or group. */
    public static Observation of(double params, double tokens, double flops, double loss) {
        return new Observation(params, tokens, flops, loss, null, null, null, null);
    }

    /**
     * The row's value of a column by name: params, tokens, flops and loss (NaN if absent), scalelab's own
     * budget, step, unique_tokens and epochs, or another numeric column of the row's table; NaN where the row
     * has none.
     */
    public double value(String column) {
        return switch (column) {
            case "params" -> params;
            case "tokens" -> tokens;
            case "flops" -> flops;
            case "loss" -> loss;
            case "budget" -> budget == null ? Double.NaN : budget;
            case "step" -> step == null ? Double.NaN : step;
            case "unique_tokens" -> uniqueTokens == null ? Double.NaN : uniqueTokens;
            case "epochs" -> uniqueTokens == null ? Double.NaN : tokens / uniqueTokens;
            default -> values.getOrDefault(column, Double.NaN);
        };
    }

    private static void requirePositiveOrAbsent(String name, double value) {
        if (!Double.isNaN(value) && (!(value > 0) || Double.isInfinite(value))) {
            throw new IllegalArgumentException(name + " must be a positive finite number, got " + value);
        }
    }
}
