package dev.scalelab.fitting.fit;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/** Weighted linear least squares for lines and parabolas, by QR on √w-scaled rows (Commons Math). */
final class LeastSquares {
    private LeastSquares() {
    }

    /** {intercept, slope} of y = c0 + c1·x. */
    static double[] line(double[] x, double[] y, double[] w) {
        return solve(x, y, w, 2);
    }

    /** {c0, c1, c2} of y = c0 + c1·x + c2·x². */
    static double[] quadratic(double[] x, double[] y, double[] w) {
        return solve(x, y, w, 3);
    }

    private static double[] solve(double[] x, double[] y, double[] w, int terms) {
        int n = x.length;
        RealMatrix design = new Array2DRowRealMatrix(n, terms);
        double[] rhs = new double[n];
        for (int i = 0; i < n; i++) {
            double s = w == null ? 1 : Math.sqrt(w[i]);
            double p = s;
            for (int j = 0; j < terms; j++) {
                design.setEntry(i, j, p);
                p *= x[i];
            }
            rhs[i] = s * y[i];
        }
        return new QRDecomposition(design).getSolver().solve(new ArrayRealVector(rhs, false)).toArray();
    }
}
