package dev.scalelab.fitting.fit;

import dev.scalelab.core.NoUsableFitException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chinchilla approach 1 (Hoffmann et al. 2022, section 3.1): from training curves (loss against
 * FLOPs for each run), the lower envelope at log-spaced FLOP values, the run (its parameters) and
 * tokens attaining it, and power laws N* = k_N·C^a, D* = k_D·C^b fitted in log space. Each curve
 * is interpolated linearly in (log C, log L) between its logged points, and only inside its range.
 */
public final class Envelope {
    /** The envelope at one FLOP value: the best run's size, its tokens there, and the loss. */
    public record Point(double flops, double params, double tokens, double loss, String run) {
    }

    public record Result(double a, double paramsCoef, double b, double tokensCoef, List<Point> points, int runs) {
    }

    private Envelope() {
    }

    /**
     * @param run     the run each row belongs to
     * @param include which runs take part (bootstrap); null for all
     * @param samples FLOP values on the grid (Hoffmann et al. used 1,500)
     */
    public static Result fit(String[] run, double[] params, double[] tokens, double[] flops, double[] loss,
                             java.util.Set<String> include, int samples) {
        Map<String, List<Integer>> curves = new LinkedHashMap<>();
        for (int i = 0; i < run.length; i++) {
            if (include == null || include.contains(run[i])) {
                curves.computeIfAbsent(run[i], k -> new ArrayList<>()).add(i);
            }
        }
        if (curves.size() < 2) {
            throw new NoUsableFitException(curves.size() + " training curve(s); approach 1 needs several runs of "
                    + "different sizes, each with a 'run' column and several rows along its training");
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (List<Integer> rows : curves.values()) {
            rows.sort((x, y) -> Double.compare(flops[x], flops[y]));
            lo = Math.min(lo, flops[rows.get(0)]);
            hi = Math.max(hi, flops[rows.get(rows.size() - 1)]);
        }
        List<Point> points = new ArrayList<>();
        for (int k = 0; k < samples; k++) {
            double c = k == 0 ? lo : k == samples - 1 ? hi
                    : Math.min(hi, Math.max(lo, Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * k / (samples - 1))));
            Point best = null;
            for (Map.Entry<String, List<Integer>> curve : curves.entrySet()) {
                double[] at = interpolate(curve.getValue(), flops, tokens, loss, c);
                if (at != null && (best == null || at[1] < best.loss())) {
                    best = new Point(c, params[curve.getValue().get(0)], at[0], at[1], curve.getKey());
                }
            }
            if (best != null) {
                points.add(best);
            }
        }
        long distinct = points.stream().map(Point::run).distinct().count();
        if (distinct < 2) {
            throw new NoUsableFitException("one run is lowest at every FLOP value; approach 1 needs the envelope to "
                    + "pass through runs of different sizes (add smaller and larger models)");
        }
        double[] logC = new double[points.size()];
        double[] logN = new double[points.size()];
        double[] logD = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            logC[i] = Math.log(points.get(i).flops());
            logN[i] = Math.log(points.get(i).params());
            logD[i] = Math.log(points.get(i).tokens());
        }
        double[] pn = LeastSquares.line(logC, logN, null);
        double[] pd = LeastSquares.line(logC, logD, null);
        return new Result(pn[1], Math.exp(pn[0]), pd[1], Math.exp(pd[0]), points, curves.size());
    }

    /** {tokens, loss} of the curve at FLOPs c, interpolated in log space; null outside its range. */
    private static double[] interpolate(List<Integer> rows, double[] flops, double[] tokens, double[] loss, double c) {
        int first = rows.get(0);
        int last = rows.get(rows.size() - 1);
        if (c < flops[first] || c > flops[last]) {
            return null;
        }
        for (int j = 1; j < rows.size(); j++) {
            int i0 = rows.get(j - 1);
            int i1 = rows.get(j);
            if (c <= flops[i1]) {
                double span = Math.log(flops[i1]) - Math.log(flops[i0]);
                double t = span == 0 ? 0 : (Math.log(c) - Math.log(flops[i0])) / span;
                return new double[] {
                        Math.exp(Math.log(tokens[i0]) + t * (Math.log(tokens[i1]) - Math.log(tokens[i0]))),
                        Math.exp(Math.log(loss[i0]) + t * (Math.log(loss[i1]) - Math.log(loss[i0])))};
            }
        }
        return new double[] {tokens[first], loss[first]};
    }
}
