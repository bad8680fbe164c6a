package dev.scalelab.fitting.fit;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.fitting.law.ChinchillaLaw;
import dev.scalelab.fitting.opt.Lbfgs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Chinchilla approach 3 (Hoffmann et al. 2022, section 3.3; the replication of Besiroglu et al.
 * 2024): fit L(N, D) = E + A/N^α + B/D^β by minimising the summed Huber loss of log residuals with
 * L-BFGS from every point of a grid of starts, and keep the best.
 */
public final class Approach3 {
    /**
     * @param alphaGrid, betaGrid, eGrid, aGrid, bGrid the starting values (their product is the grid)
     * @param huberDelta the Huber loss's δ (1e-3 in the paper)
     * @param lbfgs      the optimiser's tolerances
     * @param fixed      values held fixed, by name (E, A, B, alpha, beta); NaN or absent where free
     * @param threads    starts and bootstrap refits run on this many threads; results do not depend on it
     */
    public record Options(double[] alphaGrid, double[] betaGrid, double[] eGrid, double[] aGrid, double[] bGrid,
                         double huberDelta, Lbfgs.Options lbfgs, java.util.Map<String, Double> fixed, int threads) {
        /** The paper's grid: α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}: 4,500 starts. */
        public static Options defaults() {
            return new Options(range(0, 2, 0.5), range(0, 2, 0.5), range(-1, 1, 0.5), range(0, 25, 5),
                    range(0, 25, 5), 1e-3, Lbfgs.Options.tight(), java.util.Map.of(),
                    Runtime.getRuntime().availableProcessors());
        }

        public Options withFixed(java.util.Map<String, Double> values) {
            return new Options(alphaGrid, betaGrid, eGrid, aGrid, bGrid, huberDelta, lbfgs, values, threads);
        }

        public Options withThreads(int n) {
            return new Options(alphaGrid, betaGrid, eGrid, aGrid, bGrid, huberDelta, lbfgs, fixed, n);
        }

        public Options withGrid(double[] alpha, double[] beta, double[] e, double[] a, double[] b) {
            return new Options(alpha, beta, e, a, b, huberDelta, lbfgs, fixed, threads);
        }

        public Options withHuberDelta(double delta) {
            return new Options(alphaGrid, betaGrid, eGrid, aGrid, bGrid, delta, lbfgs, fixed, threads);
        }

        public int starts() {
            return alphaGrid.length * betaGrid.length * eGrid.length * aGrid.length * bGrid.length;
        }

        /** Values held fixed in (a, b, e, alpha, beta) order, NaN where free (E, A, B given in linear scale). */
        double[] fixedTheta() {
            double[] t = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
            fixed.forEach((name, v) -> {
                switch (name) {
                    case "A" -> t[0] = Math.log(v);
                    case "B" -> t[1] = Math.log(v);
                    case "E" -> t[2] = Math.log(v);
                    case "alpha" -> t[3] = v;
                    case "beta" -> t[4] = v;
                    default -> throw new IllegalArgumentException("cannot fix '" + name
                            + "' in the chinchilla law; fixable: E, A, B, alpha, beta");
                }
            });
            return t;
        }

        static double[] range(double from, double to, double step) {
            int n = (int) Math.round((to - from) / step) + 1;
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = from + i * step;
            }
            return v;
        }
    }

    /**
     * @param law       the best fit
     * @param theta     its (a, b, e, alpha, beta)
     * @param objective the summed Huber loss there
     * @param starts    starts tried
     * @param converged starts whose L-BFGS run met its tolerances
     * @param status    how the best start ended
     */
    public record Result(ChinchillaLaw law, double[] theta, double objective, int starts, int converged,
                         FitStatus status) {
    }

    /** log N, log D, log L of the points. */
    public record Data(double[] logN, double[] logD, double[] logL) {
        public static Data of(double[] params, double[] tokens, double[] loss) {
            int n = loss.length;
            double[] ln = new double[n];
            double[] ld = new double[n];
            double[] ll = new double[n];
            for (int i = 0; i < n; i++) {
                ln[i] = Math.log(params[i]);
                ld[i] = Math.log(tokens[i]);
                ll[i] = Math.log(loss[i]);
            }
            return new Data(ln, ld, ll);
        }

        public int size() {
            return logL.length;
        }
    }

    private Approach3() {
    }

    public static Result fit(Data data, Options options) {
        double[] fixed = options.fixedTheta();
        int free = 0;
        for (double v : fixed) {
            free += Double.isNaN(v) ? 1 : 0;
        }
        if (data.size() <= free) {
            throw new NoUsableFitException(data.size() + " points cannot determine " + free
                    + " free parameters of the chinchilla law; add runs or fix parameters with --fix");
        }
        int starts = options.starts();
        int threads = Math.max(1, Math.min(options.threads(), starts));
        List<Best> partial = runChunks(threads, starts, (from, to) -> {
            HuberLseObjective f = new HuberLseObjective(data.logN(), data.logD(), data.logL(), null,
                    options.huberDelta(), fixed, false);
            Best best = new Best();
            for (int s = from; s < to; s++) {
                Lbfgs.Result r = Lbfgs.minimize(f, f.reduce(start(options, s)), options.lbfgs());
                best.offer(s, r, f.expand(r.x()));
            }
            return best;
        });
        Best best = new Best();
        for (Best b : partial) {
            best.merge(b);
        }
        if (best.result == null || !Double.isFinite(best.result.value())) {
            throw new NoUsableFitException("no start reached a finite objective; the data may not follow "
                    + "the chinchilla law (check for constant or noisy losses)");
        }
        double[] t = best.theta;
        ChinchillaLaw law = new ChinchillaLaw(Math.exp(t[2]), Math.exp(t[0]), Math.exp(t[1]), t[3], t[4]);
        return new Result(law, t, best.result.value(), starts, best.converged, status(best.result, t, data));
    }

    /**
     * Refits each bootstrap resample with one L-BFGS run from the full-sample optimum; each sample
     * row is (a, b, e, alpha, beta).
     */
    public static Bootstrap.Samples bootstrap(Data data, Options options, Result full, int resamples, long seed) {
        double[] fixed = options.fixedTheta();
        return Bootstrap.run(data.size(), resamples, seed, options.threads(), (r, counts) -> {
            HuberLseObjective f = new HuberLseObjective(data.logN(), data.logD(), data.logL(), counts,
                    options.huberDelta(), fixed, false);
            Lbfgs.Result fit = Lbfgs.minimize(f, f.reduce(full.theta()), options.lbfgs());
            return Double.isFinite(fit.value()) ? f.expand(fit.x()) : null;
        });
    }

    /** Start number s of the grid, as (a, b, e, alpha, beta). */
    static double[] start(Options o, int s) {
        int i = s;
        double b = o.bGrid()[i % o.bGrid().length];
        i /= o.bGrid().length;
        double a = o.aGrid()[i % o.aGrid().length];
        i /= o.aGrid().length;
        double e = o.eGrid()[i % o.eGrid().length];
        i /= o.eGrid().length;
        double beta = o.betaGrid()[i % o.betaGrid().length];
        i /= o.betaGrid().length;
        double alpha = o.alphaGrid()[i];
        return new double[] {a, b, e, alpha, beta};
    }

    /**
     * AT_BOUND when the optimum left the plausible region: an exponent at or below zero, or a term
     * that vanished: E, or A/N^α or B/D^β at its largest over the data (the smallest N or D), below
     * the data's smallest loss by more than 30 nats (a factor e^30).
     */
    static FitStatus status(Lbfgs.Result r, double[] t, Data data) {
        double minLogL = min(data.logL());
        double termA = t[0] - t[3] * min(data.logN()); // log of A/N^α at the smallest N
        double termB = t[1] - t[4] * min(data.logD());
        boolean vanished = t[2] < minLogL - 30 || termA < minLogL - 30 || termB < minLogL - 30;
        boolean atBound = t[3] <= 1e-6 || t[4] <= 1e-6 || vanished;
        if (atBound) {
            return FitStatus.AT_BOUND;
        }
        return r.status() == Lbfgs.Status.MAX_ITER ? FitStatus.MAX_ITER : FitStatus.CONVERGED;
    }

    private static double min(double[] values) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : values) {
            m = Math.min(m, v);
        }
        return m;
    }

    /** The best start of a chunk; ties go to the lower start index, so the answer is thread-independent. */
    private static final class Best {
        int index = Integer.MAX_VALUE;
        Lbfgs.Result result;
        double[] theta;
        int converged;

        void offer(int s, Lbfgs.Result r, double[] t) {
            if (r.status() == Lbfgs.Status.CONVERGED) {
                converged++;
            }
            if (Double.isFinite(r.value()) && (result == null || r.value() < result.value()
                    || (r.value() == result.value() && s < index))) {
                index = s;
                result = r;
                theta = t;
            }
        }

        void merge(Best other) {
            converged += other.converged;
            if (other.result != null && (result == null || other.result.value() < result.value()
                    || (other.result.value() == result.value() && other.index < index))) {
                index = other.index;
                result = other.result;
                theta = other.theta;
            }
        }
    }

    /** Work on [from, to). */
    interface Chunk<T> {
        T run(int from, int to);
    }

    /** Splits [0, n) into contiguous chunks, one per thread, and returns their results in order. */
    static <T> List<T> runChunks(int threads, int n, Chunk<T> chunk) {
        if (threads <= 1) {
            return List.of(chunk.run(0, n));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "scalelab-fit");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int c = 0; c < threads; c++) {
                int from = (int) ((long) n * c / threads);
                int to = (int) ((long) n * (c + 1) / threads);
                futures.add(pool.submit(() -> chunk.run(from, to)));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
