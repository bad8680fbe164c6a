package dev.scalelab.fitting.fit;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.fitting.law.Axis;
import dev.scalelab.fitting.law.PowerLaw;
import dev.scalelab.fitting.law.SaturatingPowerLaw;
import dev.scalelab.fitting.law.ScalingLaw;
import dev.scalelab.fitting.law.Variable;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * One-variable laws fitted in log space: the power law L = A·X^(−α) by linear least squares on
 * (log X, log L); the saturating law L = E + A·X^(−α) by Levenberg-Marquardt (Commons Math) on
 * log L = LSE(a − α·log X, e) from a grid of starts, keeping the lowest sum of squares.
 */
public final class OneVariable {
    /** The fitted law, its sum of squared log residuals, starts tried and converged. */
    public record Result(ScalingLaw law, double objective, int starts, int converged, FitStatus status,
                         double[] theta) {
    }

    private OneVariable() {
    }

    public static Result power(Variable x, double[] xs, double[] loss, double[] weight) {
        return power(Axis.of(x), xs, loss, weight);
    }

    public static Result power(Axis x, double[] xs, double[] loss, double[] weight) {
        if (xs.length < 3) {
            throw new NoUsableFitException(xs.length + " points cannot fit a power law with an error estimate; need 3 or more");
        }
        double[] lx = new double[xs.length];
        double[] ly = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            lx[i] = Math.log(xs[i]);
            ly[i] = Math.log(loss[i]);
        }
        double[] c = LeastSquares.line(lx, ly, weight);
        double sse = 0;
        for (int i = 0; i < xs.length; i++) {
            double r = c[0] + c[1] * lx[i] - ly[i];
            sse += (weight == null ? 1 : weight[i]) * r * r;
        }
        double alpha = -c[1];
        FitStatus status = alpha <= 0 ? FitStatus.AT_BOUND : FitStatus.CONVERGED;
        return new Result(new PowerLaw(x, Math.exp(c[0]), alpha), sse, 1, 1, status, new double[] {c[0], alpha});
    }

    /**
     * @param fixedE the irreducible loss held fixed, or NaN to fit it
     * @param start  a single start (a, e, alpha) instead of the grid, e.g. for bootstrap refits; null for the grid
     */
    public static Result saturating(Variable x, double[] xs, double[] loss, double[] weight, double fixedE,
                                    double[] start) {
        return saturating(Axis.of(x), xs, loss, weight, fixedE, start);
    }

    public static Result saturating(Axis x, double[] xs, double[] loss, double[] weight, double fixedE,
                                    double[] start) {
        int free = Double.isNaN(fixedE) ? 3 : 2;
        if (xs.length <= free) {
            throw new NoUsableFitException(xs.length + " points cannot determine " + free
                    + " parameters of the saturating law; add points or fix E with --fix E=...");
        }
        double[] lx = new double[xs.length];
        double[] ly = new double[xs.length];
        double minLoss = Double.POSITIVE_INFINITY;
        for (int i = 0; i < xs.length; i++) {
            lx[i] = Math.log(xs[i]);
            ly[i] = Math.log(loss[i]);
            minLoss = Math.min(minLoss, loss[i]);
        }
        double[][] starts = start != null ? new double[][] {start} : grid(lx, ly, minLoss, fixedE);
        double best = Double.POSITIVE_INFINITY;
        double[] bestTheta = null;
        int converged = 0;
        LeastSquaresOptimizer lm = new LevenbergMarquardtOptimizer().withCostRelativeTolerance(1e-14)
                .withParameterRelativeTolerance(1e-14).withOrthoTolerance(1e-14);
        for (double[] s : starts) {
            double[] init = Double.isNaN(fixedE) ? s : new double[] {s[0], s[2]};
            try {
                LeastSquaresOptimizer.Optimum o = lm.optimize(new LeastSquaresBuilder()
                        .model(model(lx, weight, fixedE))
                        .target(weighted(ly, weight))
                        .start(init)
                        .maxEvaluations(10_000).maxIterations(10_000)
                        .build());
                converged++;
                double cost = o.getCost() * o.getCost();
                if (cost < best) {
                    best = cost;
                    double[] p = o.getPoint().toArray();
                    bestTheta = Double.isNaN(fixedE) ? p : new double[] {p[0], Math.log(fixedE), p[1]};
                }
            } catch (RuntimeException tooManyIterations) {
                // a start that does not converge is counted out
            }
        }
        if (bestTheta == null) {
            throw new NoUsableFitException("no start of the saturating law converged; the losses may not fall with "
                    + x.column());
        }
        double e = Math.exp(bestTheta[1]);
        FitStatus status = bestTheta[2] <= 1e-6 || e < 1e-6 * minLoss ? FitStatus.AT_BOUND : FitStatus.CONVERGED;
        return new Result(new SaturatingPowerLaw(x, e, Math.exp(bestTheta[0]), bestTheta[2]), best, starts.length,
                converged, status, bestTheta);
    }

    /** Starts (a, e, alpha): α ∈ {0.05, 0.2, 0.5, 1}, E ∈ {0.5, 0.9, 0.99}×min loss, A through the first point. */
    private static double[][] grid(double[] lx, double[] ly, double minLoss, double fixedE) {
        double[] alphas = {0.05, 0.2, 0.5, 1.0};
        double[] fractions = Double.isNaN(fixedE) ? new double[] {0.5, 0.9, 0.99} : new double[] {fixedE / minLoss};
        int first = 0;
        for (int i = 1; i < lx.length; i++) {
            if (lx[i] < lx[first]) {
                first = i;
            }
        }
        double[][] starts = new double[alphas.length * fractions.length][];
        int k = 0;
        for (double alpha : alphas) {
            for (double f : fractions) {
                double e = Math.log(f * minLoss);
                double excess = Math.max(Math.exp(ly[first]) - f * minLoss, 1e-3 * minLoss);
                starts[k++] = new double[] {Math.log(excess) + alpha * lx[first], e, alpha};
            }
        }
        return starts;
    }

    private static RealVector weighted(double[] y, double[] w) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i] * (w == null ? 1 : Math.sqrt(w[i]));
        }
        return new ArrayRealVector(out, false);
    }

    /** √w·LSE(a − α·log X, e) and its Jacobian; with E fixed the parameters are (a, α). */
    private static MultivariateJacobianFunction model(double[] lx, double[] w, double fixedE) {
        boolean freeE = Double.isNaN(fixedE);
        double eFixed = freeE ? 0 : Math.log(fixedE);
        return point -> {
            double[] p = point.toArray();
            double a = p[0];
            double e = freeE ? p[1] : eFixed;
            double alpha = freeE ? p[2] : p[1];
            double[] value = new double[lx.length];
            double[][] jac = new double[lx.length][freeE ? 3 : 2];
            for (int i = 0; i < lx.length; i++) {
                double s = w == null ? 1 : Math.sqrt(w[i]);
                double t = a - alpha * lx[i];
                double m = Math.max(t, e);
                double et = Math.exp(t - m);
                double ee = Math.exp(e - m);
                double sum = et + ee;
                value[i] = s * (m + Math.log(sum));
                double wt = s * et / sum;
                double we = s * ee / sum;
                jac[i][0] = wt;
                if (freeE) {
                    jac[i][1] = we;
                    jac[i][2] = -wt * lx[i];
                } else {
                    jac[i][1] = -wt * lx[i];
                }
            }
            return new Pair<>(new ArrayRealVector(value, false), new Array2DRowRealMatrix(jac, false));
        };
    }
}
