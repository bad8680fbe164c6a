package dev.scalelab.fitting.fit;

import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Nonlinear least squares (Levenberg-Marquardt, Commons Math) from several starts, with a
 * central-difference Jacobian: for curves whose parameters are few (Kaplan's laws and the broken
 * power law, fitted to log L; the emergence sigmoid and saturating power law, fitted to a metric).
 */
public final class CurveFit {
    /** The value predicted for point i under parameters θ; NaN where θ is invalid. */
    @FunctionalInterface
    public interface Model {
        double value(double[] theta, int i);
    }

    /** The best start's parameters (null when no start converged) and its weighted sum of squares. */
    public record Result(double[] theta, double objective, int starts, int converged) {
    }

    private CurveFit() {
    }

    /** Minimises Σ wᵢ·(model(θ, i) − yᵢ)² from each start; weight may be null (all 1). */
    public static Result fit(Model model, double[] y, double[] weight, double[][] starts) {
        int n = y.length;
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            target[i] = y[i] * (weight == null ? 1 : Math.sqrt(weight[i]));
        }
        LeastSquaresOptimizer lm = new LevenbergMarquardtOptimizer().withCostRelativeTolerance(1e-12)
                .withParameterRelativeTolerance(1e-12);
        double best = Double.POSITIVE_INFINITY;
        double[] bestTheta = null;
        int converged = 0;
        for (double[] start : starts) {
            try {
                LeastSquaresOptimizer.Optimum o = lm.optimize(new LeastSquaresBuilder()
                        .model(theta -> evaluate(model, theta.toArray(), n, weight))
                        .target(new ArrayRealVector(target, false))
                        .start(start).maxEvaluations(5_000).maxIterations(5_000).build());
                double cost = o.getCost() * o.getCost();
                if (Double.isFinite(cost)) {
                    converged++;
                    if (cost < best) {
                        best = cost;
                        bestTheta = o.getPoint().toArray();
                    }
                }
            } catch (RuntimeException notConverged) {
                // counted out
            }
        }
        return new Result(bestTheta, best, starts.length, converged);
    }

    private static Pair<org.apache.commons.math3.linear.RealVector, org.apache.commons.math3.linear.RealMatrix> evaluate(
            Model model, double[] theta, int n, double[] weight) {
        double[] value = new double[n];
        double[][] jac = new double[n][theta.length];
        for (int i = 0; i < n; i++) {
            double s = weight == null ? 1 : Math.sqrt(weight[i]);
            value[i] = s * model.value(theta, i);
        }
        for (int k = 0; k < theta.length; k++) {
            double h = 1e-6 * Math.max(1, Math.abs(theta[k]));
            double[] up = theta.clone();
            double[] down = theta.clone();
            up[k] += h;
            down[k] -= h;
            for (int i = 0; i < n; i++) {
                double s = weight == null ? 1 : Math.sqrt(weight[i]);
                jac[i][k] = s * (model.value(up, i) - model.value(down, i)) / (2 * h);
            }
        }
        return new Pair<>(new ArrayRealVector(value, false), new Array2DRowRealMatrix(jac, false));
    }
}
