package dev.scalelab.core.model;

/**
 * How a family's shapes grow with width: depth fixed ({@code layers}) or by an aspect ratio
 * (layers = width / aspectRatio, rounded, at least 1; two layers when neither is given), heads of
 * {@code headSize} dimensions, one context and vocabulary. A sweep's plan and the fit cards of its
 * runs record it, because under the 6N+attention and Chinchilla FLOP counts the compute of a model
 * depends on its shape, not only on its parameter count.
 *
 * @param layers      fixed depth, or null
 * @param aspectRatio width per layer, or null
 * @param headSize    dimensions per attention head
 * @param context     tokens per sequence
 * @param vocab       vocabulary size
 */
public record ModelFamily(Integer layers, Integer aspectRatio, int headSize, int context, int vocab) {
    /** Depth when the family gives neither layers nor an aspect ratio. */
    public static final int DEFAULT_LAYERS = 2;

    public ModelFamily {
        if (layers != null && aspectRatio != null) {
            throw new IllegalArgumentException("give layers or aspectRatio, not both");
        }
        if (layers != null && layers <= 0 || aspectRatio != null && aspectRatio <= 0 || headSize <= 0 || context <= 0
                || vocab <= 0) {
            throw new IllegalArgumentException("layers, aspectRatio, headSize, context and vocab must be positive");
        }
    }

    /** The depth of the member of width {@code dModel}. */
    public int layersAt(int dModel) {
        return layers != null ? layers
                : aspectRatio != null ? Math.max(1, Math.round(dModel / (float) aspectRatio)) : DEFAULT_LAYERS;
    }

    /** The member of width {@code dModel} (a multiple of the head size). */
    public ModelShape shape(int dModel) {
        return new ModelShape(layersAt(dModel), dModel / headSize, dModel, context, vocab);
    }

    /**
     * Forward plus backward FLOPs per token of a member with {@code params} non-embedding parameters,
     * its width and depth taken as real numbers (the family continued between its widths): the width
     * solves N = L·(12d² + 13d) + 2d ({@link ModelShape#nonEmbeddingParams()}), L = layers or d/aspectRatio
     * (at least 1).
     */
    public double flopsPerToken(FlopConvention convention, double params) {
        double d = width(params);
        double l = depth(d);
        return convention.flopsPerToken(params, l, d / headSize, d, context, vocab);
    }

    /** The real width whose non-embedding parameter count is {@code params} (bisection in log d). */
    double width(double params) {
        return LogBisection.solve(Math.log(1e-9), Math.log(1e9), d -> nonEmbeddingAt(d) < params);
    }

    /**
     * The non-embedding parameters of the member with {@code total} parameters in all, {@code embeddingPerWidth}·d
     * of them embeddings: one bisection in log d.
     */
    double nonEmbeddingOfTotal(double total, int embeddingPerWidth) {
        double d = LogBisection.solve(Math.log(1e-9), Math.log(1e9), w -> nonEmbeddingAt(w) + embeddingPerWidth * w < total);
        return nonEmbeddingAt(d);
    }

    /** N = L·(12d² + 13d) + 2d at a real width ({@link ModelShape#nonEmbeddingParams()}). */
    private double nonEmbeddingAt(double d) {
        return depth(d) * (12 * d * d + 13 * d) + 2 * d;
    }

    private double depth(double d) {
        return layers != null ? layers : aspectRatio != null ? Math.max(1, d / aspectRatio) : DEFAULT_LAYERS;
    }
}
