package dev.scalelab.fitting.fit;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Nonparametric bootstrap (Efron and Tibshirani 1993): refit on resamples of the points drawn
 * with replacement and take percentile intervals. Resample r draws from its own seeded generator,
 * so the samples do not depend on the thread count.
 */
public final class Bootstrap {
    /**
     * @param samples one row per resample: the refit's parameter vector (NaN rows for failed refits)
     * @param failed  resamples whose refit failed
     */
    public record Samples(double[][] samples, int failed) {
        public int size() {
            return samples.length;
        }
    }

    private Bootstrap() {
    }

    /**
     * @param points    number of points
     * @param resamples number of resamples
     * @param seed      seeds the resampling
     * @param threads   worker threads
     * @param refit     (resample index, counts per point) → parameter vector, or null if the refit failed
     */
    public static Samples run(int points, int resamples, long seed, int threads,
                              BiFunction<Integer, double[], double[]> refit) {
        double[][] out = new double[resamples][];
        List<Integer> failures = Approach3.runChunks(Math.max(1, Math.min(threads, resamples)), resamples, (from, to) -> {
            int failed = 0;
            for (int r = from; r < to; r++) {
                double[] counts = counts(points, seed, r);
                double[] p = refit.apply(r, counts);
                out[r] = p;
                if (p == null) {
                    failed++;
                }
            }
            return failed;
        });
        int width = 0;
        for (double[] row : out) {
            if (row != null) {
                width = row.length;
                break;
            }
        }
        for (int r = 0; r < resamples; r++) {
            if (out[r] == null) {
                out[r] = new double[width];
                Arrays.fill(out[r], Double.NaN);
            }
        }
        return new Samples(out, failures.stream().mapToInt(Integer::intValue).sum());
    }

    /**
     * How many times each point is drawn in resample r: n draws with replacement. The seed is spread
     * by an odd constant other than SplittableRandom's own step (0x9E3779B97F4A7C15): with that one,
     * seed s + 1 started where seed s's second draw was, and its resamples repeated all but one draw.
     */
    static double[] counts(int n, long seed, int r) {
        SplittableRandom rng = new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + r);
        double[] counts = new double[n];
        for (int i = 0; i < n; i++) {
            counts[rng.nextInt(n)]++;
        }
        return counts;
    }

    /**
     * Which of {@code n} residuals each of {@code resamples} bootstrap samples adds to its prediction: one
     * draw with replacement per sample, from a generator of its own derived from the bootstrap's seed (a
     * multiplier other than {@link #counts}'s, so its stream is not one of the resamples').
     */
    public static int[] residualDraws(int n, long seed, int resamples) {
        SplittableRandom rng = new SplittableRandom(seed * 0x94D049BB133111EBL + 0x2545F4914F6CDD1DL);
        int[] draws = new int[resamples];
        for (int r = 0; r < resamples; r++) {
            draws[r] = rng.nextInt(n);
        }
        return draws;
    }

    /** The (1 − level)/2 and (1 + level)/2 percentiles of the finite values (linear interpolation). */
    public static double[] percentileInterval(double[] values, double level) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {percentile(v, (1 - level) / 2), percentile(v, (1 + level) / 2)};
    }

    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
