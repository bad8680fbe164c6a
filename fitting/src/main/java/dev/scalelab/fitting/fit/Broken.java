package dev.scalelab.fitting.fit;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.fitting.law.Axis;
import dev.scalelab.fitting.law.BrokenPowerLaw;
import dev.scalelab.fitting.law.Variable;

/**
 * Fits a smoothly broken power law with one break (Caballero et al. 2022) by least squares on
 * log L over (log a, log b, c0, c1, log d1, log f1), from starts that place the break at each
 * quartile of the data's x range.
 */
public final class Broken {
    public record Result(BrokenPowerLaw law, double[] theta, double objective, int starts, int converged,
                         FitStatus status) {
    }

    private Broken() {
    }

    public static Result fit(Variable x, double[] xs, double[] loss, double[] weight, double[] start) {
        return fit(Axis.of(x), xs, loss, weight, start);
    }

    public static Result fit(Axis x, double[] xs, double[] loss, double[] weight, double[] start) {
        if (xs.length <= 6) {
            throw new NoUsableFitException(xs.length + " points cannot determine the 6 parameters of a broken power law");
        }
        int n = xs.length;
        double[] lx = new double[n];
        double[] ll = new double[n];
        double minLoss = Double.POSITIVE_INFINITY;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            lx[i] = Math.log(xs[i]);
            ll[i] = Math.log(loss[i]);
            minLoss = Math.min(minLoss, loss[i]);
            lo = Math.min(lo, lx[i]);
            hi = Math.max(hi, lx[i]);
        }
        double[][] starts;
        if (start != null) {
            starts = new double[][] {start};
        } else {
            double[] breaks = {lo + 0.25 * (hi - lo), lo + 0.5 * (hi - lo), lo + 0.75 * (hi - lo)};
            double[] c0s = {0.05, 0.3};
            double[] c1s = {-0.2, 0.2, 0.6};
            double[] floors = {0.5, 0.9};
            starts = new double[breaks.length * c0s.length * c1s.length * floors.length][];
            int k = 0;
            for (double d : breaks) {
                for (double c0 : c0s) {
                    for (double c1 : c1s) {
                        for (double f : floors) {
                            double a = f * minLoss;
                            double b = Math.max(Math.exp(ll[0]) - a, 1e-3 * minLoss) * Math.exp(c0 * lx[0]);
                            starts[k++] = new double[] {Math.log(a), Math.log(b), c0, c1, d, 0};
                        }
                    }
                }
            }
        }
        CurveFit.Result r = CurveFit.fit((t, i) -> {
            double v = BrokenPowerLaw.value(Math.exp(t[0]), Math.exp(t[1]), t[2], t[3], Math.exp(t[4]), Math.exp(t[5]),
                    Math.exp(lx[i]));
            return v > 0 ? Math.log(v) : Double.NaN;
        }, ll, weight, starts);
        if (r.theta() == null) {
            throw new NoUsableFitException("no start of the broken power law converged on these data");
        }
        double[] t = r.theta();
        BrokenPowerLaw law = new BrokenPowerLaw(x, Math.exp(t[0]), Math.exp(t[1]), t[2], t[3], Math.exp(t[4]),
                Math.exp(t[5]));
        FitStatus status = law.d1() < Math.exp(lo) || law.d1() > Math.exp(hi) ? FitStatus.AT_BOUND : FitStatus.CONVERGED;
        return new Result(law, t, r.objective(), r.starts(), r.converged(), status);
    }
}
