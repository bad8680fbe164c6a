package dev.scalelab.fitting.law;

/**
 * Where a law is evaluated: parameters, training tokens and training FLOPs, and the unique tokens among
 * the training tokens for a law of repeated data (NaN where unknown).
 */
public record Point(double params, double tokens, double flops, double uniqueTokens) {
    /** A point with no count of unique tokens. */
    public Point(double params, double tokens, double flops) {
        this(params, tokens, flops, Double.NaN);
    }
}
