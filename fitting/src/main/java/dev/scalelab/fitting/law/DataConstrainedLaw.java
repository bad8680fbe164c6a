package dev.scalelab.fitting.law;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Data-constrained scaling (Muennighoff et al. 2023, "Scaling Data-Constrained Language Models",
 * eqs. 5-7, as their code evaluates it, huggingface/datablations README "Parametric Fit"): the
 * Chinchilla surface of effective parameters and effective data,
 * L = E + A/N'^α + B/D'^β, where repeated tokens are worth less each epoch,
 * D' = U_D + U_D·R_D*·(1 − exp(−R_D/R_D*)), R_D = max(D/U_D − 1, 0), with U_D the unique tokens;
 * and parameters beyond what the unique data can use are worth less,
 * N' = U_N + U_N·R_N*·(1 − exp(−R_N/R_N*)), U_N = min(N, N*(U_D)), R_N = max(N/U_N − 1, 0),
 * N*(U) the Chinchilla compute-optimal size for U tokens under the same A, B, α, β.
 * One epoch of data (D = U_D) on a model no larger than N*(U_D) is the Chinchilla surface itself.
 *
 * @param rdStar R_D*, the epochs after which repeated data is worth 1 − 1/e of its decay
 * @param rnStar R_N*, the same for parameters in excess of the unique data's optimum
 */
public record DataConstrainedLaw(double e, double a, double b, double alpha, double beta, double rdStar,
                                 double rnStar) implements ScalingLaw {

    @Override
    public String formula() {
        return String.format(Locale.ROOT, "L = %.6g + %.6g/N'^%.6g + %.6g/D'^%.6g, R_D* = %.6g, R_N* = %.6g",
                e, a, alpha, b, beta, rdStar, rnStar);
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("E", e);
        p.put("A", a);
        p.put("B", b);
        p.put("alpha", alpha);
        p.put("beta", beta);
        p.put("R_D_star", rdStar);
        p.put("R_N_star", rnStar);
        return p;
    }

    /** The loss at a point with its unique tokens; a point without them is an IllegalArgumentException. */
    @Override
    public double predict(Point point) {
        if (Double.isNaN(point.uniqueTokens())) {
            throw new IllegalArgumentException("the data-constrained law needs the unique tokens of each run");
        }
        return loss(point.params(), point.tokens(), point.uniqueTokens());
    }

    /** The loss of N parameters trained on D tokens of which U are unique. */
    public double loss(double params, double tokens, double uniqueTokens) {
        return e + a / Math.pow(effectiveParams(params, uniqueTokens), alpha)
                + b / Math.pow(effectiveTokens(tokens, uniqueTokens), beta);
    }

    /** D' = U + U·R_D*·(1 − exp(−R_D/R_D*)), R_D = max(D/U − 1, 0) repeated epochs (eq. 5). */
    public double effectiveTokens(double tokens, double uniqueTokens) {
        double repeats = Math.max(tokens / uniqueTokens - 1, 0);
        return uniqueTokens + uniqueTokens * rdStar * -Math.expm1(-repeats / rdStar);
    }

    /** N' = U_N + U_N·R_N*·(1 − exp(−R_N/R_N*)), U_N = min(N, N*(U)), R_N = max(N/U_N − 1, 0) (eq. 6). */
    public double effectiveParams(double params, double uniqueTokens) {
        double base = Math.min(params, paramsForTokens(uniqueTokens));
        double excess = Math.max(params / base - 1, 0);
        return base + base * rnStar * -Math.expm1(-excess / rnStar);
    }

    /**
     * N*(U): the Chinchilla compute-optimal size whose optimal data is U tokens under C = 6ND
     * (Hoffmann et al. 2022, eq. 4): N = G·(U·G)^(β/α), G = (αA/(βB))^(1/(α+β)).
     */
    public double paramsForTokens(double tokens) {
        double g = new ChinchillaLaw(e, a, b, alpha, beta).allocationConstant();
        return Math.pow(tokens * g, beta / alpha) * g;
    }
}
