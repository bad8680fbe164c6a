package dev.scalelab.fitting.emergence;

import dev.scalelab.fitting.fit.CurveFit;

/**
 * The smooth alternative to a sigmoid: a power law in params that saturates,
 * y = limit + coefficient·N^(−exponent), exponent &gt; 0 (rising to the limit when the coefficient
 * is negative, falling to it when positive). Fitted like {@link Sigmoid}: a grid over the exponent
 * with limit and coefficient solved linearly, then Levenberg-Marquardt from the best grid points.
 * Internally N is taken relative to the geometric mean of the sizes, for conditioning.
 */
public record SaturatingPower(double limit, double coefficient, double exponent, double rss) {
    static final int PARAMETERS = 3;
    private static final double[] EXPONENTS = {0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3};

    public double value(double log10Params) {
        return limit + coefficient * Math.pow(10, -exponent * log10Params);
    }

    /** The least-squares curve, or null when no fit converged. */
    static SaturatingPower fit(double[] x, double[] y) {
        double centre = 0;
        for (double xi : x) {
            centre += xi / x.length;
        }
        double c = centre;
        double[][] best = new double[3][];
        double[] bestRss = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        for (double alpha : EXPONENTS) {
            double[] basis = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                basis[i] = Math.pow(10, -alpha * (x[i] - c));
            }
            double[] line = Linear.fit(basis, y);
            if (line != null) {
                double[] theta = {line[0], line[1], alpha};
                Sigmoid.keep(best, bestRss, theta, rss(theta, x, y, c));
            }
        }
        if (best[0] == null) {
            return null;
        }
        CurveFit.Result r = CurveFit.fit((t, i) -> curve(t, x[i], c), y, null,
                java.util.Arrays.stream(best).filter(java.util.Objects::nonNull).toArray(double[][]::new));
        double[] theta = r.theta() != null && r.objective() < bestRss[0] ? r.theta() : best[0];
        double alpha = Math.abs(theta[2]);
        return new SaturatingPower(theta[0], theta[1] * Math.pow(10, alpha * c), alpha, rss(theta, x, y, c));
    }

    private static double curve(double[] t, double x, double centre) {
        return t[0] + t[1] * Math.pow(10, -Math.abs(t[2]) * (x - centre));
    }

    private static double rss(double[] theta, double[] x, double[] y, double centre) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double r = curve(theta, x[i], centre) - y[i];
            s += r * r;
        }
        return s;
    }
}
