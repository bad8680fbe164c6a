package dev.scalelab.fitting.fit;

import dev.scalelab.fitting.law.DataConstrainedLaw;
import dev.scalelab.fitting.opt.Lbfgs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fits the data-constrained law (Muennighoff et al. 2023; {@link DataConstrainedLaw}) as its authors
 * did (huggingface/datablations, utils/parametric_fit.ipynb): the sum over runs of
 * Huber_δ(LSE(a − α·log N', b − β·log D', e) − log L), δ = 1e-3, with A = e^a, B = e^b, E = e^e, any of
 * the seven parameters held at a known value (the authors held a, b, e, α, β at their Chinchilla C4
 * fit and estimated R_D*, R_N*), minimised by L-BFGS from a grid of starts. R_D* and R_N* are searched
 * as their logs, so they stay positive. N' depends on A, B, α, β through U_N = min(N, N*(U_D)), which
 * bends where U_N switches, so the gradient is taken by central differences (steps 1e-6), not by hand.
 */
public final class DataConstrained {
    /** The parameters in the order of {@code theta}: a, b, e are logs of A, B, E. */
    public static final List<String> NAMES = List.of("a", "b", "e", "alpha", "beta", "R_D_star", "R_N_star");
    /** Huber's δ, as the authors' fit and approach 3's. */
    public static final double DELTA = 1e-3;

    /**
     * Runs: parameters, tokens seen (repeats included), unique tokens, loss, and how many times each counts
     * (a bootstrap resample's counts; null for once each).
     */
    public record Data(double[] params, double[] tokens, double[] uniqueTokens, double[] loss, double[] weight) {
        public Data {
            int n = loss.length;
            if (params.length != n || tokens.length != n || uniqueTokens.length != n
                    || weight != null && weight.length != n) {
                throw new IllegalArgumentException("params, tokens, unique tokens and loss must have one value per run");
            }
        }

        public Data(double[] params, double[] tokens, double[] uniqueTokens, double[] loss) {
            this(params, tokens, uniqueTokens, loss, null);
        }

        /** The same runs counted {@code counts} times each. */
        public Data weighted(double[] counts) {
            return new Data(params, tokens, uniqueTokens, loss, counts);
        }
    }

    /**
     * @param theta     the seven parameters (a, b, e, alpha, beta, R_D*, R_N*) at the minimum
     * @param objective the sum of Huber losses there
     * @param starts    starts tried; {@code converged} of them ended converged
     * @param bestConverged whether the start with the lowest objective ended converged
     */
    public record Result(DataConstrainedLaw law, double[] theta, double objective, int starts, int converged,
                         boolean bestConverged) {
    }

    private DataConstrained() {
    }

    /** The law of a full (a, b, e, alpha, beta, R_D*, R_N*). */
    public static DataConstrainedLaw law(double[] theta) {
        return new DataConstrainedLaw(Math.exp(theta[2]), Math.exp(theta[0]), Math.exp(theta[1]), theta[3], theta[4],
                theta[5], theta[6]);
    }

    /** The authors' objective at a full parameter vector. */
    public static double objective(Data d, double[] theta) {
        DataConstrainedLaw law = law(theta);
        double sum = 0;
        for (int i = 0; i < d.loss().length; i++) {
            double w = d.weight() == null ? 1 : d.weight()[i];
            if (w == 0) {
                continue;
            }
            double t1 = theta[0] - theta[3] * Math.log(law.effectiveParams(d.params()[i], d.uniqueTokens()[i]));
            double t2 = theta[1] - theta[4] * Math.log(law.effectiveTokens(d.tokens()[i], d.uniqueTokens()[i]));
            double t3 = theta[2];
            double m = Math.max(t1, Math.max(t2, t3));
            double lse = m + Math.log(Math.exp(t1 - m) + Math.exp(t2 - m) + Math.exp(t3 - m));
            sum += w * huber(lse - Math.log(d.loss()[i]));
        }
        return sum;
    }

    static double huber(double r) {
        double a = Math.abs(r);
        return a <= DELTA ? 0.5 * r * r : DELTA * (a - 0.5 * DELTA);
    }

    /**
     * The best of L-BFGS runs from each start over the free parameters.
     *
     * @param fixed  per parameter of {@link #NAMES}, its known value, or NaN where it is fitted
     * @param starts full parameter vectors to start from (their fixed entries are ignored)
     */
    public static Result fit(Data d, double[] fixed, List<double[]> starts) {
        if (fixed.length != NAMES.size()) {
            throw new IllegalArgumentException("give one fixed value or NaN for each of " + NAMES);
        }
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < fixed.length; i++) {
            if (Double.isNaN(fixed[i])) {
                free.add(i);
            }
        }
        double[] best = null;
        double bestValue = Double.POSITIVE_INFINITY;
        boolean bestConverged = false;
        int converged = 0;
        for (double[] start : starts) {
            double[] x0 = free.stream().mapToDouble(i -> searched(i, start[i])).toArray();
            Lbfgs.Result r = Lbfgs.minimize((x, g) -> valueAndGradient(d, fixed, free, x, g), x0,
                    new Lbfgs.Options(2_000, 1e-12, 1e-14, 10));
            converged += r.status() == Lbfgs.Status.CONVERGED ? 1 : 0;
            if (r.value() < bestValue) {
                bestValue = r.value();
                best = full(fixed, free, r.x());
                bestConverged = r.status() == Lbfgs.Status.CONVERGED;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no starts given");
        }
        return new Result(law(best), best, bestValue, starts.size(), converged, bestConverged);
    }

    /** R_D* and R_N* are searched as their logs. */
    private static double searched(int index, double value) {
        return index >= 5 ? Math.log(value) : value;
    }

    private static double[] full(double[] fixed, List<Integer> free, double[] x) {
        double[] theta = fixed.clone();
        for (int k = 0; k < free.size(); k++) {
            int i = free.get(k);
            theta[i] = i >= 5 ? Math.exp(x[k]) : x[k];
        }
        return theta;
    }

    private static double valueAndGradient(Data d, double[] fixed, List<Integer> free, double[] x, double[] g) {
        double value = objective(d, full(fixed, free, x));
        if (!Double.isFinite(value)) {
            Arrays.fill(g, 0);
            return Double.POSITIVE_INFINITY;
        }
        double[] step = x.clone();
        for (int k = 0; k < x.length; k++) {
            double h = 1e-6 * Math.max(1, Math.abs(x[k]));
            step[k] = x[k] + h;
            double up = objective(d, full(fixed, free, step));
            step[k] = x[k] - h;
            double down = objective(d, full(fixed, free, step));
            step[k] = x[k];
            g[k] = (up - down) / (2 * h);
        }
        return value;
    }
}
