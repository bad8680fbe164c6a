package dev.scalelab.fitting.opt;

/**
 * Limited-memory BFGS (Liu and Nocedal 1989; Nocedal and Wright 2006, Algorithm 7.5) with a line
 * search that satisfies the strong Wolfe conditions (Algorithms 3.5 and 3.6, cubic interpolation).
 * Unconstrained; it stops like SciPy's L-BFGS-B: when the largest gradient component is at most
 * {@code gradientTolerance}, or when an iteration lowers f by at most {@code relativeTolerance}
 * relative to max(|f|, 1). Commons Math 3.6 has no L-BFGS, and Hoffmann et al. (2022) fitted with one.
 */
public final class Lbfgs {
    /** How a minimisation ended. */
    public enum Status { CONVERGED, MAX_ITER, LINE_SEARCH_FAILED }

    /**
     * @param maxIterations     most iterations
     * @param gradientTolerance stop when max |∂f/∂x_i| ≤ this
     * @param relativeTolerance stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ this
     * @param memory            correction pairs kept (SciPy's maxcor)
     */
    public record Options(int maxIterations, double gradientTolerance, double relativeTolerance, int memory) {
        /** Tight defaults, as for approach 3: 10,000 iterations, gtol 1e-10, ftol 1e-15, memory 10. */
        public static Options tight() {
            return new Options(10_000, 1e-10, 1e-15, 10);
        }
    }

    /** The minimiser found, f there, and how the search went. */
    public record Result(double[] x, double value, Status status, int iterations, int evaluations) {
    }

    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;

    private Lbfgs() {
    }

    public static Result minimize(DiffFunction f, double[] start, Options options) {
        int n = start.length;
        int m = options.memory();
        double[] x = start.clone();
        double[] g = new double[n];
        double fx = f.valueAndGradient(x, g);
        int evaluations = 1;
        double[][] s = new double[m][n];
        double[][] y = new double[m][n];
        double[] rho = new double[m];
        double[] alpha = new double[m];
        double[] d = new double[n];
        double[] xNew = new double[n];
        double[] gNew = new double[n];
        int stored = 0;
        int newest = -1;
        if (!Double.isFinite(fx)) {
            return new Result(x, fx, Status.LINE_SEARCH_FAILED, 0, evaluations);
        }
        for (int iter = 0; iter < options.maxIterations(); iter++) {
            if (maxAbs(g) <= options.gradientTolerance()) {
                return new Result(x, fx, Status.CONVERGED, iter, evaluations);
            }
            // Two-loop recursion: d = −H·g.
            for (int i = 0; i < n; i++) {
                d[i] = -g[i];
            }
            for (int k = 0; k < stored; k++) {
                int j = Math.floorMod(newest - k, m);
                alpha[j] = rho[j] * dot(s[j], d);
                axpy(-alpha[j], y[j], d);
            }
            if (stored > 0) {
                double gamma = dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
                for (int i = 0; i < n; i++) {
                    d[i] *= gamma;
                }
            } else {
                double norm = Math.sqrt(dot(g, g));
                for (int i = 0; i < n; i++) {
                    d[i] /= Math.max(norm, 1.0);
                }
            }
            for (int k = stored - 1; k >= 0; k--) {
                int j = Math.floorMod(newest - k, m);
                double beta = rho[j] * dot(y[j], d);
                axpy(alpha[j] - beta, s[j], d);
            }
            double slope = dot(g, d);
            if (!(slope < 0)) { // not a descent direction: restart from steepest descent
                stored = 0;
                for (int i = 0; i < n; i++) {
                    d[i] = -g[i];
                }
                slope = dot(g, d);
            }
            LineSearch ls = new LineSearch(f, x, fx, g, d, slope, xNew, gNew);
            double step = ls.search();
            evaluations += ls.evaluations;
            if (!(step > 0)) {
                return new Result(x, fx, Status.LINE_SEARCH_FAILED, iter, evaluations);
            }
            double fNew = ls.value;
            newest = (newest + 1) % m;
            for (int i = 0; i < n; i++) {
                s[newest][i] = xNew[i] - x[i];
                y[newest][i] = gNew[i] - g[i];
            }
            double sy = dot(s[newest], y[newest]);
            if (sy > 1e-300) {
                rho[newest] = 1 / sy;
                stored = Math.min(stored + 1, m);
            } else {
                newest = Math.floorMod(newest - 1, m); // skip a pair that would break positive definiteness
            }
            double decrease = (fx - fNew) / Math.max(Math.max(Math.abs(fx), Math.abs(fNew)), 1.0);
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            fx = fNew;
            if (decrease <= options.relativeTolerance()) {
                return new Result(x, fx, Status.CONVERGED, iter + 1, evaluations);
            }
        }
        return new Result(x, fx, Status.MAX_ITER, options.maxIterations(), evaluations);
    }

    /** Strong-Wolfe line search along d from x (Nocedal and Wright 2006, Algorithms 3.5-3.6). */
    private static final class LineSearch {
        final DiffFunction f;
        final double[] x;
        final double f0;
        final double[] d;
        final double slope0;
        final double[] xNew;
        final double[] gNew;
        double value;
        int evaluations;

        LineSearch(DiffFunction f, double[] x, double f0, double[] g0, double[] d, double slope0, double[] xNew,
                   double[] gNew) {
            this.f = f;
            this.x = x;
            this.f0 = f0;
            this.d = d;
            this.slope0 = slope0;
            this.xNew = xNew;
            this.gNew = gNew;
        }

        /** f and the directional derivative at x + t·d; leaves the point and gradient in xNew, gNew. */
        private double[] probe(double t) {
            for (int i = 0; i < x.length; i++) {
                xNew[i] = x[i] + t * d[i];
            }
            double v = f.valueAndGradient(xNew, gNew);
            evaluations++;
            return new double[] {v, dot(gNew, d)};
        }

        double search() {
            double tPrev = 0;
            double fPrev = f0;
            double dPrev = slope0;
            double t = 1.0;
            for (int i = 0; i < 30; i++) {
                double[] p = probe(t);
                if (!Double.isFinite(p[0]) || p[0] > f0 + C1 * t * slope0 || (i > 0 && p[0] >= fPrev)) {
                    return zoom(tPrev, fPrev, dPrev, t, p[0], p[1]);
                }
                if (Math.abs(p[1]) <= -C2 * slope0) {
                    value = p[0];
                    return t;
                }
                if (p[1] >= 0) {
                    return zoom(t, p[0], p[1], tPrev, fPrev, dPrev);
                }
                tPrev = t;
                fPrev = p[0];
                dPrev = p[1];
                t *= 2;
            }
            return -1;
        }

        private double zoom(double lo, double fLo, double dLo, double hi, double fHi, double dHi) {
            for (int i = 0; i < 40; i++) {
                double t = interpolate(lo, fLo, dLo, hi, fHi, dHi);
                double[] p = probe(t);
                if (!Double.isFinite(p[0]) || p[0] > f0 + C1 * t * slope0 || p[0] >= fLo) {
                    hi = t;
                    fHi = p[0];
                    dHi = p[1];
                } else {
                    if (Math.abs(p[1]) <= -C2 * slope0) {
                        value = p[0];
                        return t;
                    }
                    if (p[1] * (hi - lo) >= 0) {
                        hi = lo;
                        fHi = fLo;
                        dHi = dLo;
                    }
                    lo = t;
                    fLo = p[0];
                    dLo = p[1];
                }
                if (Math.abs(hi - lo) < 1e-16 * Math.max(1, Math.abs(lo))) {
                    break;
                }
            }
            // Accept the best point found if it lowers f at all (sufficient decrease holds at lo > 0).
            if (lo > 0) {
                double[] p = probe(lo);
                value = p[0];
                return lo;
            }
            return -1;
        }

        /** The minimiser of the cubic through both ends, kept inside the bracket; bisection if none. */
        private static double interpolate(double a, double fa, double da, double b, double fb, double db) {
            if (Double.isFinite(fb) && Double.isFinite(db)) {
                double d1 = da + db - 3 * (fa - fb) / (a - b);
                double disc = d1 * d1 - da * db;
                if (disc >= 0) {
                    double d2 = Math.signum(b - a) * Math.sqrt(disc);
                    double t = b - (b - a) * (db + d2 - d1) / (db - da + 2 * d2);
                    double lo = Math.min(a, b);
                    double hi = Math.max(a, b);
                    double margin = 0.1 * (hi - lo);
                    if (t > lo + margin && t < hi - margin) {
                        return t;
                    }
                }
            }
            return 0.5 * (a + b);
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] g) {
        double m = 0;
        for (double v : g) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
