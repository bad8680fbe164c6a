package dev.scalelab.fitting.bench;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.Predictor;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.ChinchillaLaw;
import dev.scalelab.fitting.law.Variable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Simulated studies for measuring interval coverage: IsoFLOP tables drawn from a known surface
 * (Hoffmann et al. 2022, eq. 10: E 1.69, A 406.4, B 410.7, α 0.34, β 0.28) with log-normal noise
 * σ = 0.01 in log loss, each fitted with approach 3 and bootstrap; at 10x the largest budget and the
 * truth's compute-optimal N*, D* (C = 6ND), does the confidence interval hold the true mean, and the
 * prediction interval a fresh noisy draw? {@code CoverageTest} runs it with a few starts near the
 * truth; {@code scripts/bench/coverage} with the default 4,500-start grid.
 */
public final class CoverageStudy {
    public static final ChinchillaLaw TRUTH = new ChinchillaLaw(1.69, 406.4, 410.7, 0.34, 0.28);
    public static final double SIGMA = 0.01;
    public static final double LEVEL = 0.95;

    /**
     * An IsoFLOP design: {@code budgets} budgets a factor {@code step} apart from 1e18, {@code sizes}
     * sizes each log-spaced over a factor 16 around the truth's optimum.
     */
    public record Design(String name, int budgets, double step, int sizes) {
        public double largest() {
            return 1e18 * Math.pow(step, budgets - 1);
        }
    }

    /** Like the quickstart's: 3 budgets a factor 1.75 apart, 5 sizes each. */
    public static final Design QUICKSTART = new Design("3 budgets x 5 sizes", 3, 1.75, 5);
    /** Denser: 5 budgets a factor 3 apart, 9 sizes each; the confidence band is far narrower than the noise. */
    public static final Design DENSE = new Design("5 budgets x 9 sizes", 5, 3, 9);

    /**
     * Coverage rates and median widths relative to the true mean; {@code confidenceOfRun} is how often the
     * confidence interval holds the fresh run, which it does not claim to.
     */
    public record Coverage(double confidence, double prediction, double confidenceWidth, double predictionWidth,
                           double confidenceOfRun, int fits) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "confidence %.3f (median width %.4f), prediction %.3f (median width "
                    + "%.4f), confidence holding the new run %.3f, %d fits", confidence, confidenceWidth, prediction,
                    predictionWidth, confidenceOfRun, fits);
        }
    }

    private CoverageStudy() {
    }

    /** One simulated study's table: the truth at each point times exp(σ·z). */
    public static ObservationTable study(Design design, Random rng) {
        List<Observation> rows = new ArrayList<>();
        for (int i = 0; i < design.budgets(); i++) {
            double c = 1e18 * Math.pow(design.step(), i);
            double centre = TRUTH.optimalParams(c, 6);
            for (int j = 0; j < design.sizes(); j++) {
                double n = centre * Math.pow(16, j / (double) (design.sizes() - 1) - 0.5);
                double d = c / (6 * n);
                double loss = TRUTH.loss(n, d) * Math.exp(SIGMA * rng.nextGaussian());
                rows.add(new Observation(n, d, c, loss, c, null, null, null));
            }
        }
        return new ObservationTable("simulated", rows, null);
    }

    /**
     * Studies {@code first} to {@code first + studies − 1}, each seeding its data and its bootstrap by its
     * number, fitted with {@code grid} and {@code resamples} bootstrap resamples.
     */
    public static Coverage measure(Design design, boolean fixE, long first, int studies, Approach3.Options grid,
                                   int resamples) {
        double target = 10 * design.largest();
        double n = TRUTH.optimalParams(target, 6);
        double d = target / (6 * n);
        double mean = TRUTH.loss(n, d);
        Map<String, Double> fixed = fixE ? Map.of("E", TRUTH.e()) : Map.of();
        double[][] out = IntStream.range(0, studies).parallel().mapToObj(s -> {
            long seed = first + s;
            Random rng = new Random(seed);
            ObservationTable table = study(design, rng);
            double fresh = mean * Math.exp(SIGMA * rng.nextGaussian());
            FitCard card = Fitter.fit(table, new Fitter.Options(Fitter.Law.CHINCHILLA, Variable.PARAMS, resamples,
                    seed, LEVEL, fixed, grid, 0, FlopCount.SIX_N, "test", "coverage", null));
            FitCard.Estimate e = new Predictor(card, "simulated").atModel(n, d).outputs().get("loss");
            double[] pi = {e.prediction().get(0), e.prediction().get(1)};
            return new double[] {e.lo() <= mean && mean <= e.hi() ? 1 : 0, pi[0] <= fresh && fresh <= pi[1] ? 1 : 0,
                    (e.hi() - e.lo()) / mean, (pi[1] - pi[0]) / mean, e.lo() <= fresh && fresh <= e.hi() ? 1 : 0};
        }).toArray(double[][]::new);
        return new Coverage(mean(out, 0), mean(out, 1), median(out, 2), median(out, 3), mean(out, 4), out.length);
    }

    /** The mean of column {@code c} of the studies' rows (a coverage rate, for a column of 0s and 1s). */
    static double mean(double[][] rows, int c) {
        return Arrays.stream(rows).mapToDouble(r -> r[c]).average().orElseThrow();
    }

    /** The median of column {@code c} of the studies' rows (a width). */
    static double median(double[][] rows, int c) {
        double[] v = Arrays.stream(rows).mapToDouble(r -> r[c]).sorted().toArray();
        return (v[(v.length - 1) / 2] + v[v.length / 2]) / 2;
    }

    /**
     * {@code CoverageStudy DESIGN E FIRST STUDIES [RESAMPLES]}: one row with the default 4,500-start grid, as
     * JSON (DESIGN quickstart|dense, E free|fixed).
     */
    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: CoverageStudy quickstart|dense free|fixed FIRST_SEED STUDIES [RESAMPLES]");
            System.exit(2);
        }
        Design design = args[0].equals("dense") ? DENSE : QUICKSTART;
        boolean fixE = args[1].equals("fixed");
        long first = Long.parseLong(args[2]);
        int studies = Integer.parseInt(args[3]);
        int resamples = args.length > 4 ? Integer.parseInt(args[4]) : 100;
        long start = System.nanoTime();
        Coverage c = measure(design, fixE, first, studies, Approach3.Options.defaults().withThreads(1), resamples);
        System.out.printf(Locale.ROOT, "{\"design\": \"%s\", \"E\": \"%s\", \"firstSeed\": %d, \"studies\": %d, "
                        + "\"resamples\": %d, \"grid\": \"default 4,500 starts\", \"confidence\": %.4f, \"prediction\": %.4f, "
                        + "\"confidenceWidth\": %.4f, \"predictionWidth\": %.4f, \"confidenceHoldsRun\": %.4f, \"seconds\": %.1f}%n",
                design.name(), fixE ? "fixed" : "free", first, studies, resamples, c.confidence(), c.prediction(),
                c.confidenceWidth(), c.predictionWidth(), c.confidenceOfRun(), (System.nanoTime() - start) / 1e9);
    }
}
