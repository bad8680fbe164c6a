package dev.scalelab.fitting.fit;

import dev.scalelab.core.NoUsableFitException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chinchilla approach 2 (Hoffmann et al. 2022, section 3.2): for each compute budget, a parabola
 * of loss against log N (and against log D) whose vertex is the budget's optimum N*(C) (D*(C));
 * then N* = k_N·C^a and D* = k_D·C^b by least squares in log space. The parabola is fitted to the
 * budget's lowest-loss size and up to {@code window} sizes on each side of it (0: all sizes, as
 * Hoffmann et al. did): over a grid spanning a decade or more the loss is not a parabola in log N
 * and a global fit biases the vertex. Several rows of one size keep the lowest loss. A budget is skipped, with the
 * reason, when it has fewer than 3 sizes, its parabola is not convex, its vertex lies outside the
 * sampled sizes, or its lowest loss sits at the smallest or largest size (the grid does not bracket
 * the optimum, and an off-centre grid biases the vertex).
 */
public final class IsoFlop {
    /** One budget's optimum. */
    public record Vertex(double budget, int points, double params, double tokens, double loss) {
    }

    /** A budget left out, and why. */
    public record Skipped(double budget, int points, String reason) {
    }

    /**
     * N* = paramsCoef·C^a, D* = tokensCoef·C^b, fitted on the vertices.
     */
    public record Result(double a, double paramsCoef, double b, double tokensCoef, List<Vertex> vertices,
                         List<Skipped> skipped) {
        public double optimalParams(double flops) {
            return paramsCoef * Math.pow(flops, a);
        }

        public double optimalTokens(double flops) {
            return tokensCoef * Math.pow(flops, b);
        }
    }

    private IsoFlop() {
    }

    /**
     * @param budget the budget of each point (its group)
     * @param weight how many times each point counts (bootstrap); null for once each
     */
    /** Default neighbours on each side of the lowest loss: on Porian et al.'s data, 3 matches their exponents. */
    public static final int DEFAULT_WINDOW = 3;

    public static Result fit(double[] budget, double[] params, double[] tokens, double[] loss, double[] weight) {
        return fit(budget, params, tokens, loss, weight, DEFAULT_WINDOW);
    }

    /** @param window sizes on each side of the lowest loss that the parabola uses; 0 for all */
    public static Result fit(double[] budget, double[] params, double[] tokens, double[] loss, double[] weight,
                             int window) {
        List<Vertex> vertices = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        List<Budget> budgets = budgets(budget, params, tokens, loss, weight, window);
        for (Budget b : budgets) {
            if (b.vertex() != null) {
                vertices.add(b.vertex());
            } else {
                skipped.add(b.skipped());
            }
        }
        if (vertices.size() < 2) {
            throw new NoUsableFitException(vertices.size() + " usable budget(s) of " + budgets.size()
                    + "; approach 2 needs at least 2 (" + describe(skipped) + ")");
        }
        double[] logC = new double[vertices.size()];
        double[] logN = new double[vertices.size()];
        double[] logD = new double[vertices.size()];
        for (int i = 0; i < vertices.size(); i++) {
            logC[i] = Math.log(vertices.get(i).budget());
            logN[i] = Math.log(vertices.get(i).params());
            logD[i] = Math.log(vertices.get(i).tokens());
        }
        double[] pn = LeastSquares.line(logC, logN, null);
        double[] pd = LeastSquares.line(logC, logD, null);
        return new Result(pn[1], Math.exp(pn[0]), pd[1], Math.exp(pd[0]), vertices, skipped);
    }

    private static String describe(List<Skipped> skipped) {
        if (skipped.isEmpty()) {
            return "no budgets";
        }
        StringBuilder s = new StringBuilder();
        for (Skipped k : skipped) {
            if (s.length() > 0) {
                s.append("; ");
            }
            s.append(String.format(java.util.Locale.ROOT, "C=%.3g: %s", k.budget(), k.reason()));
        }
        return s.toString();
    }

    /** One row per distinct size, the one with the lowest loss, sorted by size. */
    private static List<Integer> lowestPerSize(List<Integer> rows, double[] params, double[] loss) {
        Map<Double, Integer> best = new TreeMap<>();
        for (int i : rows) {
            best.merge(params[i], i, (x, y) -> loss[y] < loss[x] ? y : x);
        }
        return new ArrayList<>(best.values());
    }

    /** The lowest-loss row and up to {@code k} rows on each side of it (rows sorted by size); all if k = 0. */
    private static List<Integer> window(List<Integer> sorted, double[] params, double[] loss, int k) {
        if (k <= 0) {
            return sorted;
        }
        int lowest = 0;
        for (int j = 1; j < sorted.size(); j++) {
            if (loss[sorted.get(j)] < loss[sorted.get(lowest)]) {
                lowest = j;
            }
        }
        return sorted.subList(Math.max(0, lowest - k), Math.min(sorted.size(), lowest + k + 1));
    }

    /** Null when the lowest loss is strictly inside the sampled sizes; otherwise the reason. */
    private static String bracketProblem(List<Integer> rows, double[] x, double[] loss) {
        int lowest = rows.get(0);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i : rows) {
            if (loss[i] < loss[lowest]) {
                lowest = i;
            }
            min = Math.min(min, x[i]);
            max = Math.max(max, x[i]);
        }
        if (x[lowest] == min) {
            return "the lowest loss is at the smallest size: the grid does not bracket the optimum";
        }
        if (x[lowest] == max) {
            return "the lowest loss is at the largest size: the grid does not bracket the optimum";
        }
        return null;
    }

    /**
     * One budget's parabola as approach 2 fitted it: loss = c0 + c1·u + c2·u², u = ln N − centre,
     * over the sizes it used (the window around the lowest loss), from {@code minParams} to
     * {@code maxParams}. Charts draw this, so the curve on the page is the fit.
     */
    public record Parabola(double budget, double centre, double c0, double c1, double c2, double minParams,
                           double maxParams) {
        public double loss(double params) {
            double u = Math.log(params) - centre;
            return c0 + c1 * u + c2 * u * u;
        }
    }

    /**
     * The parabolas in log N of every budget that approach 2 uses ({@link #fit} with the same
     * window; budgets it skips have none), in budget order.
     */
    public static List<Parabola> parabolas(double[] budget, double[] params, double[] tokens, double[] loss, int window) {
        return budgets(budget, params, tokens, loss, null, window).stream().filter(b -> b.vertex() != null)
                .map(Budget::parabola).toList();
    }

    /** The vertex of every budget that approach 2 uses ({@link #fit} with the same window), in budget order. */
    public static List<Vertex> vertices(double[] budget, double[] params, double[] tokens, double[] loss, int window) {
        return budgets(budget, params, tokens, loss, null, window).stream().filter(b -> b.vertex() != null)
                .map(Budget::vertex).toList();
    }

    /** One budget as approach 2 sees it: its vertex and parabola in log N, or why it is skipped. */
    private record Budget(Vertex vertex, Parabola parabola, Skipped skipped) {
    }

    /** Every budget of the rows (those of positive weight), in budget order: the one place that decides each. */
    private static List<Budget> budgets(double[] budget, double[] params, double[] tokens, double[] loss,
                                        double[] weight, int window) {
        Map<Double, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < budget.length; i++) {
            if (weight == null || weight[i] > 0) {
                groups.computeIfAbsent(budget[i], k -> new ArrayList<>()).add(i);
            }
        }
        List<Budget> out = new ArrayList<>();
        for (Map.Entry<Double, List<Integer>> g : groups.entrySet()) {
            List<Integer> rows = lowestPerSize(g.getValue(), params, loss);
            double c = g.getKey();
            String problem = rows.size() < 3 ? "fewer than 3 model sizes" : bracketProblem(rows, params, loss);
            if (problem != null) {
                out.add(new Budget(null, null, new Skipped(c, rows.size(), problem)));
                continue;
            }
            List<Integer> near = window(rows, params, loss, window);
            double[] nq = quadratic(near, params, loss, weight);
            double[] np = vertex(nq);
            double[] dp = vertex(quadratic(near, tokens, loss, weight));
            String bad = np[2] <= 0 || dp[2] <= 0 ? "the parabola is not convex"
                    : !Double.isFinite(np[0]) || !Double.isFinite(dp[0]) ? "the vertex lies outside the sampled sizes"
                    : null;
            if (bad != null) {
                out.add(new Budget(null, null, new Skipped(c, rows.size(), bad)));
                continue;
            }
            out.add(new Budget(new Vertex(c, rows.size(), np[0], dp[0], np[1]),
                    new Parabola(c, nq[0], nq[1], nq[2], nq[3], Math.exp(nq[0] + nq[4]), Math.exp(nq[0] + nq[5])), null));
        }
        return out;
    }

    /** The vertex of a parabola from {@link #quadratic}: {x there (NaN outside the sampled range), loss there, c2}. */
    private static double[] vertex(double[] q) {
        double centre = q[0];
        double[] c = {q[1], q[2], q[3]};
        double uStar = -c[1] / (2 * c[2]);
        double lossStar = c[0] + c[1] * uStar + c[2] * uStar * uStar;
        double xStar = uStar < q[4] || uStar > q[5] ? Double.NaN : Math.exp(centre + uStar);
        return new double[] {xStar, lossStar, c[2]};
    }

    /** {centre, c0, c1, c2, lowest u, highest u} of the least-squares parabola of loss against u = log x − centre. */
    private static double[] quadratic(List<Integer> rows, double[] x, double[] loss, double[] weight) {
        int n = rows.size();
        double[] u = new double[n];
        double[] y = new double[n];
        double[] w = weight == null ? null : new double[n];
        double centre = 0;
        for (int k = 0; k < n; k++) {
            centre += Math.log(x[rows.get(k)]);
        }
        centre /= n;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            int i = rows.get(k);
            u[k] = Math.log(x[i]) - centre;
            y[k] = loss[i];
            if (w != null) {
                w[k] = weight[i];
            }
            lo = Math.min(lo, u[k]);
            hi = Math.max(hi, u[k]);
        }
        double[] c = LeastSquares.quadratic(u, y, w);
        return new double[] {centre, c[0], c[1], c[2], lo, hi};
    }
}
