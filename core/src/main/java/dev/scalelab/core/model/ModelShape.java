package dev.scalelab.core.model;

/**
 * The shape of a GPT-style decoder (Radford et al. 2019): token and learned position embeddings,
 * {@code layers} pre-LayerNorm blocks of causal multi-head attention and a 4×-wide MLP, a final
 * LayerNorm, and an output projection to the vocabulary. Linear layers have biases; the output
 * projection has none.
 *
 * @param layers  transformer blocks
 * @param heads   attention heads per block; must divide {@code dModel}
 * @param dModel  residual stream width
 * @param context tokens per sequence (the attention window)
 * @param vocab   vocabulary size
 */
public record ModelShape(int layers, int heads, int dModel, int context, int vocab) {
    /** MLP hidden width as a multiple of dModel (GPT-2). */
    public static final int MLP_RATIO = 4;

    public ModelShape {
        requirePositive("layers", layers);
        requirePositive("heads", heads);
        requirePositive("dModel", dModel);
        requirePositive("context", context);
        requirePositive("vocab", vocab);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException(
                    "heads (" + heads + ") must divide dModel (" + dModel + ")");
        }
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    public int headDim() {
        return dModel / heads;
    }

    public int mlpWidth() {
        return MLP_RATIO * dModel;
    }

    /**
     * Parameters outside the embeddings and the output layer (Kaplan et al. 2020, section 2.1:
     * N ≈ 12·layers·dModel²), counted exactly for this model: per block the fused QKV projection
     * 3d² + 3d, the attention output d² + d, the MLP 8d² + 5d and two LayerNorms 4d, that is
     * 12d² + 13d; plus the final LayerNorm, 2d.
     */
    public long nonEmbeddingParams() {
        long d = dModel;
        return layers * (12 * d * d + 13 * d) + 2 * d;
    }

    /** Token embedding (vocab·d) and learned position embedding (context·d). */
    public long embeddingParams() {
        return (long) vocab * dModel + (long) context * dModel;
    }

    /**
     * Every parameter (Hoffmann et al. 2022 count all of them): non-embedding, embeddings, and the
     * output projection unless it is tied to the token embedding.
     */
    public long totalParams(boolean tiedOutput) {
        long output = tiedOutput ? 0 : (long) vocab * dModel;
        return nonEmbeddingParams() + embeddingParams() + output;
    }

    /** Forward plus backward FLOPs per training token under the given convention. */
    public double flopsPerToken(FlopConvention convention) {
        return convention.flopsPerToken(this);
    }

    /** A short label, e.g. {@code L4-H4-d256-T128-V512}. */
    public String label() {
        return "L" + layers + "-H" + heads + "-d" + dModel + "-T" + context + "-V" + vocab;
    }
}
