package dev.scalelab.fitting.law;

import java.util.Map;

/**
 * Where a law is evaluated: parameters, training tokens and training FLOPs, and the unique tokens among
 * the training tokens for a law of repeated data (NaN where unknown); a law of other columns (a loss,
 * an error, a learning rate) reads them from {@code values} by name.
 */
public record Point(double params, double tokens, double flops, double uniqueTokens, Map<String, Double> values) {
    public Point {
        values = Map.copyOf(values);
    }

    /** A point of a law of N, D and C. */
    public Point(double params, double tokens, double flops, double uniqueTokens) {
        this(params, tokens, flops, uniqueTokens, Map.of());
    }

    /** A point with no count of unique tokens. */
    public Point(double params, double tokens, double flops) {
        this(params, tokens, flops, Double.NaN);
    }

    /** The value of a column by name: params, tokens and flops, or one of {@code values}; NaN if absent. */
    public double value(String column) {
        return switch (column) {
            case "params" -> params;
            case "tokens" -> tokens;
            case "flops" -> flops;
            default -> values.getOrDefault(column, Double.NaN);
        };
    }
}
