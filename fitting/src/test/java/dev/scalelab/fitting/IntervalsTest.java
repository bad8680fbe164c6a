package dev.scalelab.fitting;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IntervalsTest {
    @Test
    void everyResampleFailingGivesNoIntervalsInsteadOfACrash() {
        assertThat(FitCards.intervals(List.of("a", "b"), new double[0][], 0.95)).isEmpty();
        assertThat(FitCards.intervals(List.of("a", "b"), new double[][] {{}, {}}, 0.95)).isEmpty();
    }

    @Test
    void percentileIntervalsPerColumn() {
        double[][] samples = new double[101][];
        for (int k = 0; k <= 100; k++) {
            samples[k] = new double[] {k, -k};
        }
        var out = FitCards.intervals(List.of("a", "b"), samples, 0.9);
        assertThat(out.get("a")[0]).isBetween(4.0, 6.0);
        assertThat(out.get("a")[1]).isBetween(94.0, 96.0);
        assertThat(out.get("b")[1]).isBetween(-6.0, -4.0);
    }
}
