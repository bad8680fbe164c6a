package dev.scalelab.core.model;

import java.util.Locale;

/**
 * The one owner of how a study turns compute into parameters and tokens and back: its FLOP
 * convention and, where the convention depends on shape (6N+attention, Chinchilla), the model
 * family. Under 6N (or any C = k·N·D given by hand) C is a constant times N·D; otherwise
 * C = f(N)·D with f the family's FLOPs per token at N parameters. Sweep plans and fit cards
 * record it; the planner, the allocation of a budget (N*, D*) and the charts read it.
 *
 * @param convention         how FLOPs are counted: 6N for k = 6; null for another k given by hand (no
 *                           named convention), or the shaped count of {@code family}
 * @param flopsPerParamToken k in C = k·N·D, for a proportional count; null otherwise
 * @param family             the shape rule behind f(N), for the other conventions and for a count over
 *                           total parameters; null for 6N over non-embedding parameters
 * @param embeddingPerWidth  null when N counts non-embedding parameters (the convention's own N); when N
 *                           counts every parameter ({@link ParamCount#TOTAL}), the embedding parameters per
 *                           unit of width, e = vocab + context (+ vocab for an untied output layer), so that
 *                           N = N' + e·d(N') with N' the non-embedding count and d its width in the family.
 *                           The budget is still counted on N' (C = f(N')·D), as the sweep planned it.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record FlopCount(FlopConvention convention, Double flopsPerParamToken, ModelFamily family,
                        Integer embeddingPerWidth) {
    /** C = 6·N·D. */
    public static final FlopCount SIX_N = proportional(6);

    /** C = k·N·D: the 6N convention for k = 6, no named convention for another k. */
    public static FlopCount proportional(double k) {
        return new FlopCount(k == 6 ? FlopConvention.SIX_N : null, k, null, null);
    }

    /** The count of a sweep: its convention over its family (the family is not needed for 6N). */
    public static FlopCount of(FlopConvention convention, ModelFamily family) {
        if (convention == FlopConvention.SIX_N) {
            return SIX_N;
        }
        if (family == null) {
            throw new IllegalArgumentException("the " + convention.id() + " FLOP count needs the model family");
        }
        return new FlopCount(convention, null, family, null);
    }

    /**
     * This count with N read as every parameter of a member of {@code family}: N = N' + e·d(N'), e =
     * {@code embeddingPerWidth}; the budget is still this count's C of N'. Non-embedding: this count.
     */
    public FlopCount over(ParamCount params, ModelFamily family, int embeddingPerWidth) {
        if (params == ParamCount.NON_EMBEDDING) {
            return this;
        }
        if (flopsPerParamToken != null && convention == null) {
            throw new IllegalArgumentException("C = k·N·D given by hand has no model family to count total parameters in");
        }
        if (family == null || embeddingPerWidth <= 0) {
            throw new IllegalArgumentException("a count over total parameters needs the model family and its embedding width");
        }
        return new FlopCount(convention, null, family, embeddingPerWidth);
    }

    /** Which parameters N counts. */
    public ParamCount params() {
        return embeddingPerWidth == null ? ParamCount.NON_EMBEDDING : ParamCount.TOTAL;
    }

    /** N', the non-embedding parameters of a member with {@code params} parameters as this count counts them. */
    public double nonEmbedding(double params) {
        if (embeddingPerWidth == null) {
            return params;
        }
        return family.nonEmbeddingOfTotal(params, embeddingPerWidth);
    }


    /** Why this count cannot be used, or null when it can. */
    public String problem() {
        if (embeddingPerWidth != null) {
            return convention == null ? "convention missing" : family == null
                    ? "family missing (a count over total parameters needs the model's shape)"
                    : embeddingPerWidth <= 0 ? "embeddingPerWidth " + embeddingPerWidth + " is not positive" : null;
        }
        if (flopsPerParamToken != null || convention == FlopConvention.SIX_N) {
            return flopsPerParamToken == null || !(flopsPerParamToken > 0) || Double.isInfinite(flopsPerParamToken)
                    ? "flopsPerParamToken " + flopsPerParamToken + " is not a positive number" : null;
        }
        if (convention == null) {
            return "convention missing";
        }
        return family == null ? "family missing (the " + convention.id() + " count depends on the model's shape)" : null;
    }

    /** True when C = k·N·D for a constant k. */
    public boolean proportional() {
        return flopsPerParamToken != null;
    }

    /** The convention's name for axis titles and reports, or {@code C = k·N·D} for a k without one. */
    public String label() {
        return convention != null ? convention.id() : describe();
    }

    /** k of C = k·N·D; only for a proportional count. */
    public double k() {
        if (!proportional()) {
            throw new IllegalStateException("the " + convention.id() + " count is not C = k·N·D");
        }
        return flopsPerParamToken;
    }

    /** Training FLOPs per token of a model with {@code params} parameters, as this count counts them. */
    public double flopsPerToken(double params) {
        if (proportional()) {
            return flopsPerParamToken * params;
        }
        double n = nonEmbedding(params);
        return convention == FlopConvention.SIX_N ? 6 * n : family.flopsPerToken(convention, n);
    }

    /** The tokens that a budget buys at {@code params} parameters. */
    public double tokens(double flops, double params) {
        return proportional() ? flops / (flopsPerParamToken * params) : flops / flopsPerToken(params);
    }

    /** The parameters at which a budget buys {@code tokensPerParam} tokens per parameter (D = r·N). */
    public double paramsAtRatio(double flops, double tokensPerParam) {
        if (proportional()) {
            return Math.sqrt(flops / (flopsPerParamToken * tokensPerParam));
        }
        // f(N)·r·N grows with N
        return LogBisection.solve(0, Math.log(flops), n -> flopsPerToken(n) * tokensPerParam * n < flops);
    }

    /** The largest size a budget can train on at least one token. */
    public double maxParams(double flops) {
        if (proportional()) {
            return flops / flopsPerParamToken;
        }
        return LogBisection.solve(0, Math.log(flops), n -> flopsPerToken(n) < flops);
    }

    /** One line for cards, charts and reports: {@code C = 6·N·D}, or the shaped count over its family. */
    public String describe() {
        if (embeddingPerWidth != null) {
            String base = convention == FlopConvention.SIX_N ? "C = 6·N'·D"
                    : new FlopCount(convention, null, family, null).describe().replace("f(N)", "f(N')");
            return base + ", N = N' + " + embeddingPerWidth + "·d total parameters of the family " + familyLabel(family);
        }
        if (proportional()) {
            double k = flopsPerParamToken;
            return "C = " + (k == Math.rint(k) ? Long.toString((long) k) : Double.toString(k)) + "·N·D";
        }
        return String.format(Locale.ROOT, "C = f(N)·D, f = %s FLOPs per token of the family %s",
                convention.id(), familyLabel(family));
    }

    private static String familyLabel(ModelFamily family) {
        String depth = family.layers() != null ? "L" + family.layers()
                : family.aspectRatio() != null ? "d/L=" + family.aspectRatio() : "L" + ModelFamily.DEFAULT_LAYERS;
        return String.format(Locale.ROOT, "%s-h%d-T%d-V%d", depth, family.headSize(), family.context(), family.vocab());
    }
}
