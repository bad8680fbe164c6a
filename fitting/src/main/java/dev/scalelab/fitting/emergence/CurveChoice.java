package dev.scalelab.fitting.emergence;

/**
 * Akaike's information criterion with the small-sample correction (AICc; Burnham and Anderson 2002,
 * section 2.4) for a least-squares fit with Gaussian errors: n·ln(RSS/n) + 2k + 2k(k+1)/(n−k−1),
 * where k counts the curve's parameters and the error variance, defined for n &gt; k + 1. The
 * residual sum of squares is floored at 1e-12 of the total sum of squares so that an exact fit
 * stays finite.
 */
final class CurveChoice {
    private CurveChoice() {
    }

    static double criterion(double rss, double tss, int n, int curveParams) {
        int k = curveParams + 1;
        if (n <= k + 1) {
            throw new IllegalArgumentException("AICc needs more than " + (k + 1) + " points, got " + n);
        }
        double r = Math.max(rss, 1e-12 * Math.max(tss, Double.MIN_NORMAL));
        return n * Math.log(r / n) + 2 * k + 2.0 * k * (k + 1) / (n - k - 1);
    }
}
