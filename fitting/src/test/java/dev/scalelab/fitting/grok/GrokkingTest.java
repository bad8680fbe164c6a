package dev.scalelab.fitting.grok;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrokkingTest {
    private static final long[] STEPS = {0, 10, 30, 100, 300, 1000, 3000, 10000};

    private static double[] curve(long at) {
        double[] a = new double[STEPS.length];
        for (int i = 0; i < STEPS.length; i++) {
            a[i] = STEPS[i] >= at ? 1.0 : 0.1;
        }
        return a;
    }

    @Test
    void delayedGeneralisationIsGrokking() {
        Grokking.Events e = Grokking.detect(STEPS, curve(100), curve(3000), Grokking.Thresholds.DEFAULT);
        assertThat(e.phase()).isEqualTo(Grokking.Phase.GROKKING);
        assertThat(e.memorisedStep()).isEqualTo(100);
        assertThat(e.generalisedStep()).isEqualTo(3000);
        assertThat(e.delaySteps()).isEqualTo(2900);
        assertThat(e.ratio()).isEqualTo(30.0);
        assertThat(e.summary()).contains("grokking", "100", "3000");
    }

    @Test
    void generalisingWithMemorisingIsComprehension() {
        Grokking.Events e = Grokking.detect(STEPS, curve(100), curve(100), Grokking.Thresholds.DEFAULT);
        assertThat(e.phase()).isEqualTo(Grokking.Phase.COMPREHENSION);
        assertThat(e.delaySteps()).isZero();
        // the ratio threshold is an option: 3x later is grokking at the default 3, comprehension at 4
        assertThat(Grokking.detect(STEPS, curve(100), curve(300), Grokking.Thresholds.DEFAULT).phase())
                .isEqualTo(Grokking.Phase.GROKKING);
        assertThat(Grokking.detect(STEPS, curve(100), curve(300), new Grokking.Thresholds(0.99, 0.99, 4)).phase())
                .isEqualTo(Grokking.Phase.COMPREHENSION);
    }

    @Test
    void noGeneralisationIsMemorisationAndNoFitIsConfusion() {
        Grokking.Events m = Grokking.detect(STEPS, curve(30), curve(Long.MAX_VALUE), Grokking.Thresholds.DEFAULT);
        assertThat(m.phase()).isEqualTo(Grokking.Phase.MEMORISATION);
        assertThat(m.generalisedStep()).isNull();
        assertThat(m.summary()).contains("no grokking within budget", "10000");
        Grokking.Events c = Grokking.detect(STEPS, curve(Long.MAX_VALUE), curve(Long.MAX_VALUE), Grokking.Thresholds.DEFAULT);
        assertThat(c.phase()).isEqualTo(Grokking.Phase.CONFUSION);
        assertThat(c.memorisedStep()).isNull();
    }

    @Test
    void thresholdsAreOptions() {
        double[] train = {0.1, 0.5, 0.9, 0.95, 0.96, 0.97, 0.98, 0.985};
        assertThat(Grokking.detect(STEPS, train, train, Grokking.Thresholds.DEFAULT).phase())
                .isEqualTo(Grokking.Phase.CONFUSION);
        Grokking.Events e = Grokking.detect(STEPS, train, train, new Grokking.Thresholds(0.9, 0.95, 3));
        assertThat(e.memorisedStep()).isEqualTo(30);
        assertThat(e.generalisedStep()).isEqualTo(100);
        assertThatThrownBy(() -> new Grokking.Thresholds(1.5, 0.9, 3)).hasMessageContaining("(0, 1]");
    }
}
