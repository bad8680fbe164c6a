package dev.scalelab.fitting.emergence;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BreakthroughTest {
    @Test
    void aStraightRampHasLinearityAndBreakthroughnessOfItsSteps() {
        Breakthrough b = Breakthrough.of(new double[] {0, 1, 2, 3, 4});
        assertThat(b.totalImprovement()).isEqualTo(4.0);
        assertThat(b.linearity()).isEqualTo(4.0);
        assertThat(b.breakthroughness()).isEqualTo(4.0);
        assertThat(b.undefined()).isNull();
    }

    @Test
    void aSingleStepIsInfinitelyBreakthroughAndLinearityIsRootOfSteps() {
        Breakthrough b = Breakthrough.of(new double[] {0, 0, 0, 1, 1});
        assertThat(b.totalImprovement()).isEqualTo(1.0);
        assertThat(b.linearity()).isCloseTo(2.0, within(1e-12)); // 1 / sqrt(1/4)
        assertThat(b.breakthroughness()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void aFallingSeriesHasNegativeImprovement() {
        Breakthrough b = Breakthrough.of(new double[] {4, 3, 2, 1, 0});
        assertThat(b.totalImprovement()).isEqualTo(-4.0);
        assertThat(b.breakthroughness()).isEqualTo(-4.0);
        Breakthrough step = Breakthrough.of(new double[] {1, 1, 1, 0, 0});
        assertThat(step.breakthroughness()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void anEvenCountOfDifferencesAveragesTheTwoMiddleSquares() {
        // dy = 1, 2, 3, 4: squares 1, 4, 9, 16; median 6.5, mean 7.5; I = 10
        Breakthrough b = Breakthrough.of(new double[] {0, 1, 3, 6, 10});
        assertThat(b.breakthroughness()).isCloseTo(10 / Math.sqrt(6.5), within(1e-12));
        assertThat(b.linearity()).isCloseTo(10 / Math.sqrt(7.5), within(1e-12));
    }

    @Test
    void improvementUsesTheFullRangeWithTheSignOfWhereTheBestIs() {
        // best at position 2, worst at 4: I = -(0.9 - 0.1)
        Breakthrough b = Breakthrough.of(new double[] {0.5, 0.6, 0.9, 0.4, 0.1});
        assertThat(b.totalImprovement()).isCloseTo(-0.8, within(1e-12));
    }

    @Test
    void aConstantSeriesIsUndefinedAndTooFewPointsAreAnError() {
        Breakthrough b = Breakthrough.of(new double[] {0.3, 0.3, 0.3});
        assertThat(b.linearity()).isNaN();
        assertThat(b.breakthroughness()).isNaN();
        assertThat(b.undefined()).contains("constant");
        assertThatThrownBy(() -> Breakthrough.of(new double[] {0, 1})).hasMessageContaining("at least 3");
    }
}
