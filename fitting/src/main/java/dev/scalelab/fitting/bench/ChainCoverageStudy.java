package dev.scalelab.fitting.bench;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.Predictor;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.Variable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Simulated studies for the coverage of the over-training law, the error-from-loss law and their chain
 * (Gadre et al. 2024's use: small runs at many token multipliers predict a large over-trained model's
 * loss, and a loss-to-error law its downstream error). The truths are chosen here, not fitted to
 * anything: L = 1.8 + (40·M^0.15 + 300·M^−0.15)·C^−0.15 over 5 sizes (1e7-1.6e8) x 5 multipliers
 * (5-80), and Err = 0.75 − 3·exp(−1.2·L) over 20 losses 2.2-4.1, each with log-normal noise σ. The target
 * is 1.4e9 parameters at M = 640 (nine times the largest size, eight times the largest multiplier);
 * does the confidence interval hold the true mean and the prediction interval a fresh noisy run, for the
 * loss, the error at the true loss, and the chained error?
 */
public final class ChainCoverageStudy {
    public static final double LEVEL = 0.95;
    static final double TARGET_PARAMS = 1.4e9;
    static final double TARGET_TOKENS = 640 * TARGET_PARAMS;

    private ChainCoverageStudy() {
    }

    public static double loss(double n, double d) {
        double m = d / n;
        return 1.8 + (40 * Math.pow(m, 0.15) + 300 * Math.pow(m, -0.15)) * Math.pow(6 * n * d, -0.15);
    }

    public static double error(double loss) {
        return 0.75 - 3 * Math.exp(-1.2 * loss);
    }

    static ObservationTable lossStudy(Random rng, double sigma) {
        List<Observation> rows = new ArrayList<>();
        for (double n : new double[] {1e7, 2e7, 4e7, 8e7, 1.6e8}) {
            for (double m : new double[] {5, 10, 20, 40, 80}) {
                double d = m * n;
                rows.add(new Observation(n, d, 6 * n * d, loss(n, d) * Math.exp(sigma * rng.nextGaussian()), null, null,
                        null, null));
            }
        }
        return new ObservationTable("simulated", rows, null);
    }

    static ObservationTable errorStudy(Random rng, double sigma) {
        List<Observation> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double l = 2.2 + 0.1 * i;
            rows.add(new Observation(Double.NaN, Double.NaN, Double.NaN, l, null, null, null, null, null,
                    Map.of("error", error(l) * Math.exp(sigma * rng.nextGaussian()))));
        }
        return new ObservationTable("simulated", rows, null);
    }

    private static Fitter.Options options(Fitter.Law law, long seed, int resamples) {
        return new Fitter.Options(law, Variable.PARAMS, resamples, seed, LEVEL, Map.of(),
                Approach3.Options.defaults().withThreads(1), 0, FlopCount.SIX_N, "bench", "chain coverage", null);
    }

    /** Per quantity (loss, error at the true loss, chained error): {CI holds mean, PI holds run, CI width, PI width}. */
    public static double[][] measure(long first, int studies, int resamples, double sigma) {
        double lossMean = loss(TARGET_PARAMS, TARGET_TOKENS);
        double errorMean = error(lossMean);
        double[][][] out = IntStream.range(0, studies).parallel().mapToObj(s -> {
            long seed = first + s;
            Random rng = new Random(seed);
            ObservationTable losses = lossStudy(rng, sigma);
            ObservationTable errors = errorStudy(rng, sigma);
            double freshLoss = lossMean * Math.exp(sigma * rng.nextGaussian());
            double freshError = error(freshLoss) * Math.exp(sigma * rng.nextGaussian());
            double freshErrorAtMean = errorMean * Math.exp(sigma * rng.nextGaussian());
            Predictor one = new Predictor(Fitter.fit(losses, options(Fitter.Law.OVERTRAINING, seed, resamples)), "loss");
            Predictor two = new Predictor(Fitter.fit(errors, options(Fitter.Law.ERROR_FROM_LOSS, seed + 1_000_000,
                    resamples)), "error");
            FitCard.Estimate l = one.atModel(TARGET_PARAMS, TARGET_TOKENS).outputs().get("loss");
            FitCard.Estimate e = two.atInputs(Map.of("loss", lossMean)).outputs().get("error");
            FitCard.Estimate c = one.chain(two, true, TARGET_PARAMS, TARGET_TOKENS, Double.NaN, Double.NaN)
                    .outputs().get("error");
            return new double[][] {row(l, lossMean, freshLoss), row(e, errorMean, freshErrorAtMean),
                    row(c, errorMean, freshError)};
        }).toArray(double[][][]::new);
        double[][] summary = new double[3][];
        for (int q = 0; q < 3; q++) {
            final int k = q;
            double[][] rows = Arrays.stream(out).map(r -> r[k]).toArray(double[][]::new);
            summary[q] = new double[] {CoverageStudy.mean(rows, 0), CoverageStudy.mean(rows, 1),
                    CoverageStudy.median(rows, 2), CoverageStudy.median(rows, 3)};
        }
        return summary;
    }

    private static double[] row(FitCard.Estimate e, double mean, double fresh) {
        List<Double> pi = e.prediction();
        return new double[] {e.lo() <= mean && mean <= e.hi() ? 1 : 0, pi.get(0) <= fresh && fresh <= pi.get(1) ? 1 : 0,
                (e.hi() - e.lo()) / mean, (pi.get(1) - pi.get(0)) / mean};
    }

    /** {@code ChainCoverageStudy FIRST STUDIES [RESAMPLES [SIGMA]]}: one JSON line per quantity. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ChainCoverageStudy FIRST_SEED STUDIES [RESAMPLES [SIGMA]]");
            System.exit(2);
        }
        long first = Long.parseLong(args[0]);
        int studies = Integer.parseInt(args[1]);
        int resamples = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        double sigma = args.length > 3 ? Double.parseDouble(args[3]) : 0.005;
        long start = System.nanoTime();
        double[][] s = measure(first, studies, resamples, sigma);
        String[] names = {"overtraining loss", "error-from-loss at the true loss", "chained error"};
        for (int q = 0; q < 3; q++) {
            System.out.printf(Locale.ROOT, "{\"quantity\": \"%s\", \"firstSeed\": %d, \"studies\": %d, \"resamples\": %d, "
                            + "\"sigma\": %s, \"confidence\": %.4f, \"prediction\": %.4f, \"confidenceWidth\": %.4f, "
                            + "\"predictionWidth\": %.4f, \"seconds\": %.1f}%n", names[q], first, studies, resamples,
                    sigma, s[q][0], s[q][1], s[q][2], s[q][3], (System.nanoTime() - start) / 1e9);
        }
    }
}
