package dev.scalelab.sweep.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FastExpTest {
    @Test
    void isWithinSixMillionthsOfMathExpOnTheSoftmaxRange() {
        double worst = 0;
        for (int i = 0; i <= 870_000; i++) {
            float x = -i / 10_000f;
            double exact = Math.exp(x);
            worst = Math.max(worst, Math.abs(FastExp.expNonPositive(x) - exact) / exact);
        }
        assertThat(worst).isLessThan(6e-6);
        assertThat(FastExp.expNonPositive(0f)).isEqualTo(1f);
        assertThat(FastExp.expNonPositive(-1000f)).isPositive().isLessThan(2e-38f);
    }
}
