package dev.scalelab.fitting.emergence;

/** Ordinary least squares of y = a + b·u, in closed form. */
final class Linear {
    private Linear() {
    }

    /** {a, b}, or null when u is constant. */
    static double[] fit(double[] u, double[] y) {
        int n = u.length;
        double mu = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mu += u[i] / n;
            my += y[i] / n;
        }
        double suu = 0;
        double suy = 0;
        for (int i = 0; i < n; i++) {
            suu += (u[i] - mu) * (u[i] - mu);
            suy += (u[i] - mu) * (y[i] - my);
        }
        if (!(suu > 1e-300)) {
            return null;
        }
        double b = suy / suu;
        return new double[] {my - b * mu, b};
    }
}
