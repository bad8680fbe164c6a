package dev.scalelab.fitting.fit;

import dev.scalelab.fitting.opt.DiffFunction;

/**
 * Approach 3's objective (Hoffmann et al. 2022, eq. 3; Besiroglu et al. 2024): the SUM over points
 * of Huber_δ(LSE(a − α·log N, b − β·log D, e) − log L), with E = exp(e), A = exp(a), B = exp(b).
 * The sum, not the mean: the mean scales the gradient down by the number of points, and L-BFGS's
 * absolute gradient tolerance then stops it early (a test shows it). Parameters, in order:
 * a, b, e, alpha, beta; any of them may be held fixed.
 */
public final class HuberLseObjective implements DiffFunction {
    public static final String[] NAMES = {"a", "b", "e", "alpha", "beta"};

    /** Whether the JDK's Vector API module is present (the launcher and the tests add it). */
    static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final double[] logN;
    private final double[] logD;
    private final double[] logL;
    private final double[] weight;   // how many times each point counts (bootstrap resamples)
    private final double delta;
    private final boolean[] free;
    private final double[] fixedValues;
    private final boolean mean;
    private boolean vectorise = true;
    private final double[] full = new double[5];
    private final double[] fullGrad = new double[5];

    /**
     * @param fixed values of held parameters by index (NaN where free)
     * @param mean  average instead of sum; only to demonstrate why the sum is used
     */
    public HuberLseObjective(double[] logN, double[] logD, double[] logL, double[] weight, double delta,
                             double[] fixed, boolean mean) {
        this.logN = logN;
        this.logD = logD;
        this.logL = logL;
        this.weight = weight != null ? weight : ones(logL.length);
        this.delta = delta;
        this.free = new boolean[5];
        this.fixedValues = fixed.clone();
        for (int i = 0; i < 5; i++) {
            free[i] = Double.isNaN(fixed[i]);
        }
        this.mean = mean;
    }

    /** Turns the Vector API loop off (tests compare both paths). */
    HuberLseObjective scalarOnly() {
        vectorise = false;
        return this;
    }

    private static double[] ones(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1.0);
        return w;
    }

    /** Number of free parameters. */
    public int dimension() {
        int n = 0;
        for (boolean f : free) {
            n += f ? 1 : 0;
        }
        return n;
    }

    /** The full (a, b, e, alpha, beta) from the free ones. */
    public double[] expand(double[] x) {
        double[] theta = new double[5];
        int k = 0;
        for (int i = 0; i < 5; i++) {
            theta[i] = free[i] ? x[k++] : fixedValues[i];
        }
        return theta;
    }

    /** The free parameters of a full (a, b, e, alpha, beta). */
    public double[] reduce(double[] theta) {
        double[] x = new double[dimension()];
        int k = 0;
        for (int i = 0; i < 5; i++) {
            if (free[i]) {
                x[k++] = theta[i];
            }
        }
        return x;
    }

    @Override
    public double valueAndGradient(double[] x, double[] gradient) {
        int k = 0;
        for (int i = 0; i < 5; i++) {
            full[i] = free[i] ? x[k++] : fixedValues[i];
        }
        double a = full[0];
        double b = full[1];
        double e = full[2];
        double alpha = full[3];
        double beta = full[4];
        double value = 0;
        double ga = 0;
        double gb = 0;
        double ge = 0;
        double gAlpha = 0;
        double gBeta = 0;
        double total = 0;
        int first = 0;
        if (VECTOR && vectorise) {
            double[] acc = HuberLseVector.accumulate(logN, logD, logL, weight, delta, a, b, e, alpha, beta);
            value = acc[0];
            ga = acc[1];
            gb = acc[2];
            ge = acc[3];
            gAlpha = acc[4];
            gBeta = acc[5];
            total = acc[6];
            first = (int) acc[7];
        }
        for (int i = first; i < logL.length; i++) {
            double w = weight[i];
            if (w == 0) {
                continue;
            }
            total += w;
            double t1 = a - alpha * logN[i];
            double t2 = b - beta * logD[i];
            double m;
            double e1;
            double e2;
            double e3;
            if (t1 >= t2 && t1 >= e) { // the largest term is exp(0) = 1: two exps, not three
                m = t1;
                e1 = 1;
                e2 = Math.exp(t2 - m);
                e3 = Math.exp(e - m);
            } else if (t2 >= e) {
                m = t2;
                e1 = Math.exp(t1 - m);
                e2 = 1;
                e3 = Math.exp(e - m);
            } else {
                m = e;
                e1 = Math.exp(t1 - m);
                e2 = Math.exp(t2 - m);
                e3 = 1;
            }
            double s = e1 + e2 + e3;
            double r = m + Math.log(s) - logL[i];
            double abs = Math.abs(r);
            double h;
            double dh;
            if (abs <= delta) {
                h = 0.5 * r * r;
                dh = r;
            } else {
                h = delta * (abs - 0.5 * delta);
                dh = delta * Math.signum(r);
            }
            value += w * h;
            double c = w * dh / s;
            ga += c * e1;
            gb += c * e2;
            ge += c * e3;
            gAlpha -= c * e1 * logN[i];
            gBeta -= c * e2 * logD[i];
        }
        double scale = mean ? 1 / total : 1;
        fullGrad[0] = ga * scale;
        fullGrad[1] = gb * scale;
        fullGrad[2] = ge * scale;
        fullGrad[3] = gAlpha * scale;
        fullGrad[4] = gBeta * scale;
        k = 0;
        for (int i = 0; i < 5; i++) {
            if (free[i]) {
                gradient[k++] = fullGrad[i];
            }
        }
        return value * scale;
    }
}
