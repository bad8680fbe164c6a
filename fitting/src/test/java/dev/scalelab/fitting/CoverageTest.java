package dev.scalelab.fitting;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.ChinchillaLaw;
import dev.scalelab.fitting.law.Variable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How often the 95% intervals of a chinchilla card cover, over simulated studies drawn from a known
 * surface (Hoffmann et al. 2022, eq. 10) with log-normal noise of σ = 0.01 in log loss: at 10x the
 * largest budget, at the true law's compute-optimal N*, D* (C = 6ND), the confidence interval must
 * cover the true mean and the prediction interval one fresh noisy run there. The measured rates are
 * in VALIDATION.md.
 */
class CoverageTest {
    static final ChinchillaLaw TRUTH = new ChinchillaLaw(1.69, 406.4, 410.7, 0.34, 0.28);
    static final double SIGMA = 0.01;
    static final int STUDIES = 1000;
    static final int RESAMPLES = 100;
    static final double LEVEL = 0.95;
    /**
     * The studies checked here are numbered from this seed. The method and these bounds were settled on
     * other seeds (studies 500000-501499 and 600000-602999, VALIDATION.md) before these were run; 1,000
     * studies keep a rate's own sampling spread near ±0.5 points, where 200 left ±1.5.
     */
    static final long CHECK_SEEDS = 30_000;

    /**
     * An IsoFLOP design: {@code budgets} budgets a factor {@code step} apart from 1e18, {@code sizes}
     * sizes each log-spaced over a factor 16 around the truth's optimum.
     */
    record Design(String name, int budgets, double step, int sizes) {
        double largest() {
            return 1e18 * Math.pow(step, budgets - 1);
        }
    }

    /** Like the quickstart's: 3 budgets a factor 1.75 apart, 5 sizes each. */
    static final Design QUICKSTART = new Design("3 budgets x 5 sizes", 3, 1.75, 5);
    /** Denser: 5 budgets a factor 3 apart, 9 sizes each; the confidence band is far narrower than the noise. */
    static final Design DENSE = new Design("5 budgets x 9 sizes", 5, 3, 9);

    /**
     * Coverage rates and median widths relative to the true mean; {@code confidenceOfRun} is how often the
     * confidence interval holds the fresh run, which it does not claim to.
     */
    record Coverage(double confidence, double prediction, double confidenceWidth, double predictionWidth,
                    double confidenceOfRun, int fits) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "confidence %.3f (median width %.4f), prediction %.3f (median width "
                    + "%.4f), confidence holding the new run %.3f, %d fits", confidence, confidenceWidth, prediction,
                    predictionWidth, confidenceOfRun, fits);
        }
    }

    /** One simulated study's table: the truth at each point times exp(σ·z). */
    static ObservationTable study(Design design, Random rng) {
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

    /** A handful of starts around the truth (log A, log B ≈ 6, log E ≈ 0.5) instead of the 4,500-start grid. */
    static Approach3.Options grid() {
        return Approach3.Options.defaults().withGrid(new double[] {0.3, 0.4}, new double[] {0.25, 0.35},
                new double[] {0.5}, new double[] {6}, new double[] {6}).withThreads(1);
    }

    /** Studies {@code first} to {@code first + studies − 1}, each seeding its data and its bootstrap by its number. */
    static Coverage measure(Design design, boolean fixE, long first, int studies) {
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
            FitCard card = Fitter.fit(table, new Fitter.Options(Fitter.Law.CHINCHILLA, Variable.PARAMS, RESAMPLES,
                    seed, LEVEL, fixed, grid(), 0, FlopCount.SIX_N, "test", "coverage", null));
            FitCard.Estimate e = new Predictor(card, "simulated").atModel(n, d).outputs().get("loss");
            double[] pi = {e.prediction().get(0), e.prediction().get(1)};
            return new double[] {e.lo() <= mean && mean <= e.hi() ? 1 : 0, pi[0] <= fresh && fresh <= pi[1] ? 1 : 0,
                    (e.hi() - e.lo()) / mean, (pi[1] - pi[0]) / mean, e.lo() <= fresh && fresh <= e.hi() ? 1 : 0};
        }).toArray(double[][]::new);
        return new Coverage(mean(out, 0), mean(out, 1), median(out, 2), median(out, 3), mean(out, 4), out.length);
    }

    private static double mean(double[][] rows, int c) {
        return Arrays.stream(rows).mapToDouble(r -> r[c]).average().orElseThrow();
    }

    private static double median(double[][] rows, int c) {
        double[] v = Arrays.stream(rows).mapToDouble(r -> r[c]).sorted().toArray();
        return (v[(v.length - 1) / 2] + v[v.length / 2]) / 2;
    }

    private static void check(Design design, boolean fixE) {
        long start = System.nanoTime();
        Coverage c = measure(design, fixE, CHECK_SEEDS, STUDIES);
        System.out.printf(Locale.ROOT, "coverage, %s, E %s: %s (%.1f s)%n", design.name(), fixE ? "fixed" : "free", c,
                (System.nanoTime() - start) / 1e9);
        assertThat(c.prediction()).as("prediction coverage, " + design.name()).isBetween(0.90, 0.98);
        assertThat(c.confidence()).as("confidence coverage, " + design.name()).isBetween(0.90, 0.98);
    }

    @Test
    void quickstartDesignWithEFree() {
        check(QUICKSTART, false);
    }

    @Test
    void quickstartDesignWithEFixed() {
        check(QUICKSTART, true);
    }

    @Test
    void denseDesignWithEFree() {
        check(DENSE, false);
    }

    @Test
    void denseDesignWithEFixed() {
        check(DENSE, true);
    }
}
