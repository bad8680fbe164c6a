package dev.scalelab.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How training FLOPs are counted. Every output that reports FLOPs names its convention by
 * {@link #id()}, because the three differ by up to tens of percent for small models.
 */
public enum FlopConvention {
    /**
     * C = 6·N per token, N the non-embedding parameters (Kaplan et al. 2020, section 2.1): 2N for
     * the forward pass, twice that for the backward.
     */
    SIX_N("6N", "6ND") {
        @Override
        public double flopsPerToken(double n, double layers, double heads, double d, double t, double v) {
            return 6.0 * n;
        }
    },
    /**
     * 6N plus attention over the context: the forward pass adds 2·layers·context·dModel (Kaplan et
     * al. 2020, Table 1), so forward+backward adds 6·layers·context·dModel.
     */
    SIX_N_ATTENTION("6N+attention", "6ND+attention") {
        @Override
        public double flopsPerToken(double n, double layers, double heads, double d, double t, double v) {
            return 6.0 * n + 6.0 * layers * t * d;
        }
    },
    /**
     * Hoffmann et al. 2022, Appendix F, divided by the sequence length: embeddings 2·V·d; per layer
     * the QKV projections 6·d², attention logits 2·T·d, softmax 3·H·T, attention over values
     * 2·T·d, output projection 2·d², feed-forward 2·(d·f + f·d) with f = 4d; final logits 2·d·V.
     * The backward pass is twice the forward. Biases and norms are not counted, as in the paper.
     */
    CHINCHILLA("chinchilla", "chinchilla-exact") {
        @Override
        public double flopsPerToken(double n, double layers, double heads, double d, double t, double v) {
            double f = ModelShape.MLP_RATIO * d;
            double embeddings = 2 * v * d;
            double attention = 6 * d * d + 2 * t * d + 3.0 * heads * t + 2 * t * d + 2 * d * d;
            double dense = 2 * (d * f + f * d);
            double logits = 2 * d * v;
            double forward = embeddings + layers * (attention + dense) + logits;
            return 3 * forward;
        }
    };

    private final String id;
    private final String alias;

    FlopConvention(String id, String alias) {
        this.id = id;
        this.alias = alias;
    }

    /** The name written in every output that uses this convention (and in plans and cards as JSON). */
    @com.fasterxml.jackson.annotation.JsonValue
    public String id() {
        return id;
    }

    /** Forward plus backward FLOPs per training token for a model of this shape. */
    public double flopsPerToken(ModelShape s) {
        return flopsPerToken((double) s.nonEmbeddingParams(), s.layers(), s.heads(), s.dModel(), s.context(), s.vocab());
    }

    /**
     * The same count with every size a real number (a family continued between its widths):
     * {@code n} non-embedding parameters, depth, heads, width, context and vocabulary.
     */
    public abstract double flopsPerToken(double n, double layers, double heads, double dModel, double context,
                                         double vocab);

    /** Parses an id or alias, case-insensitively ({@code 6N}, {@code 6ND}, {@code chinchilla}, ...). */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static FlopConvention fromId(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (FlopConvention c : values()) {
            if (c.id.toLowerCase(Locale.ROOT).equals(wanted) || c.alias.toLowerCase(Locale.ROOT).equals(wanted)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown FLOP convention '" + text + "'; expected one of "
                + Arrays.stream(values()).map(FlopConvention::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
