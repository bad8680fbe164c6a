package dev.scalelab.fitting;

import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.fitting.bench.CoverageStudy;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.ChinchillaLaw;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How often the 95% intervals of a chinchilla card cover, over simulated studies drawn from a known
 * surface (Hoffmann et al. 2022, eq. 10) with log-normal noise of σ = 0.01 in log loss: at 10x the
 * largest budget, at the true law's compute-optimal N*, D* (C = 6ND), the confidence interval must
 * cover the true mean and the prediction interval one fresh noisy run there. The measured rates are
 * in VALIDATION.md.
 */
class CoverageTest {
    static final ChinchillaLaw TRUTH = CoverageStudy.TRUTH;
    static final int STUDIES = 1000;
    static final int RESAMPLES = 100;
    /**
     * The studies checked here are numbered from this seed. The method and these bounds were settled on
     * other seeds (studies 500000-501499 and 600000-602999, VALIDATION.md) before these were run; 1,000
     * studies keep a rate's own sampling spread near ±0.5 points, where 200 left ±1.5.
     */
    static final long CHECK_SEEDS = 30_000;
    static final CoverageStudy.Design QUICKSTART = CoverageStudy.QUICKSTART;
    static final CoverageStudy.Design DENSE = CoverageStudy.DENSE;

    static ObservationTable study(CoverageStudy.Design design, Random rng) {
        return CoverageStudy.study(design, rng);
    }

    /** A handful of starts around the truth (log A, log B ≈ 6, log E ≈ 0.5) instead of the 4,500-start grid. */
    static Approach3.Options grid() {
        return Approach3.Options.defaults().withGrid(new double[] {0.3, 0.4}, new double[] {0.25, 0.35},
                new double[] {0.5}, new double[] {6}, new double[] {6}).withThreads(1);
    }

    private static void check(CoverageStudy.Design design, boolean fixE) {
        long start = System.nanoTime();
        CoverageStudy.Coverage c = CoverageStudy.measure(design, fixE, CHECK_SEEDS, STUDIES, grid(), RESAMPLES);
        System.out.printf(Locale.ROOT, "coverage, %s, E %s: %s (%.1f s)%n", design.name(), fixE ? "fixed" : "free", c,
                (System.nanoTime() - start) / 1e9);
        assertThat(c.prediction()).as("prediction coverage, " + design.name()).isBetween(0.90, 0.98);
        assertThat(c.confidence()).as("confidence coverage, " + design.name()).isBetween(0.90, 0.98);
        // one new run's interval adds its noise to the mean's: wider, in the median over the studies
        assertThat(c.predictionWidth()).as("prediction width, " + design.name()).isGreaterThan(c.confidenceWidth());
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
