package dev.scalelab.fitting.fit;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VectorMathTest {
    @Test
    void expAndLogAreAccurateTo1e14() {
        double worstExp = 0;
        double worstLog = 0;
        for (int i = 0; i <= 200_000; i++) {
            double x = -700 + 1400.0 * i / 200_000;
            double e = HuberLseVector.exp(DoubleVector.broadcast(DoubleVector.SPECIES_PREFERRED, x)).lane(0);
            worstExp = Math.max(worstExp, Math.abs(e - Math.exp(x)) / Math.exp(x));
            double s = 1 + 2.0 * i / 200_000;
            double l = HuberLseVector.logOneToThree(DoubleVector.broadcast(DoubleVector.SPECIES_PREFERRED, s)).lane(0);
            if (s > 1) {
                worstLog = Math.max(worstLog, Math.abs(l - Math.log(s)) / Math.log(s));
            }
        }
        assertThat(worstExp).isLessThan(1e-14);
        assertThat(worstLog).isLessThan(1e-14);
    }
}
