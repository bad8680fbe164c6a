package dev.scalelab.fitting.fit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The nonparametric bootstrap (Efron and Tibshirani 1993): resampling counts and percentile intervals. */
class BootstrapTest {
    @Test
    void thePercentileIntervalOfKnownValuesInterpolatesAndSkipsNonFinite() {
        double[] hundredAndOne = new double[101];
        for (int i = 0; i <= 100; i++) {
            hundredAndOne[i] = 100 - i; // unsorted on purpose
        }
        assertThat(Bootstrap.percentileInterval(hundredAndOne, 0.90)).containsExactly(new double[] {5.0, 95.0}, within(1e-12));
        assertThat(Bootstrap.percentileInterval(hundredAndOne, 0.95)).containsExactly(new double[] {2.5, 97.5}, within(1e-12));
        // 4 values at level 0.5: the 25th percentile sits 3/4 of the way from 1 to 2, the 75th 1/4 from 3 to 4
        double[] four = {4, Double.NaN, 1, 3, Double.POSITIVE_INFINITY, 2};
        assertThat(Bootstrap.percentileInterval(four, 0.5)).containsExactly(new double[] {1.75, 3.25}, within(1e-12));
        assertThat(Bootstrap.percentileInterval(new double[] {Double.NaN}, 0.9)).containsExactly(Double.NaN, Double.NaN);
    }

    /** Each resample's counts, in resample order, as the refit saw them. */
    private static List<double[]> counts(int points, int resamples, long seed, int threads) {
        List<double[]> seen = Collections.synchronizedList(new ArrayList<>());
        double[][] byResample = new double[resamples][];
        Bootstrap.Samples s = Bootstrap.run(points, resamples, seed, threads, (r, c) -> {
            byResample[r] = c.clone();
            return new double[] {r};
        });
        assertThat(s.size()).isEqualTo(resamples);
        assertThat(s.failed()).isZero();
        for (int r = 0; r < resamples; r++) {
            assertThat(s.samples()[r]).containsExactly(r);
            seen.add(byResample[r]);
        }
        return seen;
    }

    @Test
    void eachResampleDrawsNPointsWithReplacement() {
        int n = 12;
        List<double[]> all = counts(n, 3000, 5, 1);
        double[] mean = new double[n];
        int distinctAll = 0;
        for (double[] c : all) {
            assertThat(c).hasSize(n);
            double sum = 0;
            int drawn = 0;
            for (double k : c) {
                assertThat(k).isGreaterThanOrEqualTo(0).isEqualTo(Math.rint(k));
                sum += k;
                drawn += k > 0 ? 1 : 0;
            }
            assertThat(sum).isEqualTo(n);
            distinctAll += drawn;
            for (int i = 0; i < n; i++) {
                mean[i] += c[i] / all.size();
            }
        }
        // every point is drawn once per resample on average; a share 1 - (1 - 1/n)^n of them at least once
        for (double m : mean) {
            assertThat(m).isCloseTo(1.0, within(0.06));
        }
        assertThat(distinctAll / (double) (all.size() * n)).isCloseTo(1 - Math.pow(1 - 1.0 / n, n), within(0.01));
    }

    @Test
    void theSameSeedGivesTheSameSamplesWhateverTheThreadsAndAnotherSeedOthers() {
        List<double[]> one = counts(9, 40, 11, 1);
        List<double[]> three = counts(9, 40, 11, 3);
        for (int r = 0; r < 40; r++) {
            assertThat(three.get(r)).containsExactly(one.get(r));
        }
        // the default seed 0 against seed 1, and 11 against 12: resamples of neighbouring seeds are as
        // unrelated as any two (two random resamples of 9 points rarely match; ones that share 8 of their
        // 9 draws match one time in 9)
        for (long[] seeds : new long[][] {{0, 1}, {11, 12}}) {
            List<double[]> a = counts(9, 40, seeds[0], 1);
            List<double[]> b = counts(9, 40, seeds[1], 1);
            int same = 0;
            for (int r = 0; r < 40; r++) {
                same += java.util.Arrays.equals(a.get(r), b.get(r)) ? 1 : 0;
            }
            assertThat(same).as("seeds %d and %d", seeds[0], seeds[1]).isZero();
        }
        // resamples differ from each other too
        assertThat(one.get(0)).isNotEqualTo(one.get(1));
    }

    @Test
    void aFailedRefitIsARowOfNaNAndCounted() {
        Bootstrap.Samples s = Bootstrap.run(5, 6, 1, 2, (r, c) -> r % 3 == 0 ? null : new double[] {r, 2 * r});
        assertThat(s.failed()).isEqualTo(2);
        assertThat(s.samples()[0]).containsExactly(Double.NaN, Double.NaN);
        assertThat(s.samples()[3]).containsExactly(Double.NaN, Double.NaN);
        assertThat(s.samples()[4]).containsExactly(4.0, 8.0);
    }
}
