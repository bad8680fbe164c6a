package dev.scalelab.fitting.emergence;

import dev.scalelab.fitting.fit.CurveFit;

/**
 * A logistic curve in x = log10(params): y = floor + (ceiling − floor) / (1 + exp(−(x − mid)/width)).
 * The midpoint is the emergence threshold (10^mid params); the change from 10% to 90% of the way
 * from floor to ceiling takes 2·ln 9·width ≈ 4.39·width decades. Fitted by least squares: a grid
 * over (mid, width) with floor and ceiling solved linearly at each point, then Levenberg-Marquardt
 * on all four from the best grid points.
 */
public record Sigmoid(double midpointLog10, double widthDecades, double floor, double ceiling, double rss) {
    static final int PARAMETERS = 4;
    private static final double MIN_WIDTH = 1e-3;
    private static final double[] WIDTHS = {0.01, 0.03, 0.1, 0.2, 0.4, 0.8, 1.6};

    public double value(double x) {
        return floor + (ceiling - floor) / (1 + Math.exp(-(x - midpointLog10) / widthDecades));
    }

    public double midpointParams() {
        return Math.pow(10, midpointLog10);
    }

    /** Decades of params from 10% to 90% of the rise. */
    public double transitionDecades() {
        return 2 * Math.log(9) * widthDecades;
    }

    /** The least-squares sigmoid, or null when no fit converged. */
    static Sigmoid fit(double[] x, double[] y) {
        double lo = x[0];
        double hi = x[x.length - 1];
        double[][] best = new double[3][];
        double[] bestRss = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        int steps = 24;
        for (int s = 0; s <= steps; s++) {
            double mid = lo - 0.5 + (hi - lo + 1.0) * s / steps;
            for (double w : WIDTHS) {
                double[] basis = new double[x.length];
                for (int i = 0; i < x.length; i++) {
                    basis[i] = 1 / (1 + Math.exp(-(x[i] - mid) / w));
                }
                double[] line = Linear.fit(basis, y);
                if (line == null) {
                    continue;
                }
                double[] theta = {mid, w, line[0], line[0] + line[1]};
                keep(best, bestRss, theta, rss(theta, x, y));
            }
        }
        if (best[0] == null) {
            return null;
        }
        CurveFit.Result r = CurveFit.fit((t, i) -> curve(t, x[i]), y, null,
                java.util.Arrays.stream(best).filter(java.util.Objects::nonNull).toArray(double[][]::new));
        double[] theta = r.theta() != null && r.objective() < bestRss[0] ? r.theta() : best[0];
        return new Sigmoid(theta[0], Math.max(Math.abs(theta[1]), MIN_WIDTH), theta[2], theta[3], rss(theta, x, y));
    }

    private static double curve(double[] t, double x) {
        double w = Math.max(Math.abs(t[1]), MIN_WIDTH);
        return t[2] + (t[3] - t[2]) / (1 + Math.exp(-(x - t[0]) / w));
    }

    private static double rss(double[] theta, double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            double r = curve(theta, x[i]) - y[i];
            s += r * r;
        }
        return s;
    }

    /** Keeps the three best starts, best first. */
    static void keep(double[][] best, double[] bestRss, double[] theta, double rss) {
        for (int k = 0; k < best.length; k++) {
            if (rss < bestRss[k]) {
                for (int j = best.length - 1; j > k; j--) {
                    best[j] = best[j - 1];
                    bestRss[j] = bestRss[j - 1];
                }
                best[k] = theta;
                bestRss[k] = rss;
                return;
            }
        }
    }
}
