package dev.scalelab.plots;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class CheckVerdictTest {
    private static final UnaryOperator<String> LOUD = w -> w.toUpperCase(Locale.ROOT);

    @Test
    void aRunIsJudgedByThePredictionIntervalAndTheConfidenceIntervalIsSaidBeside() {
        assertThat(CheckVerdict.of(true, false, LOUD))
                .isEqualTo("inside the prediction interval, outside the confidence interval of the mean law");
        assertThat(CheckVerdict.of(false, false, LOUD))
                .isEqualTo("OUTSIDE the prediction interval, outside the confidence interval of the mean law");
        assertThat(CheckVerdict.of(false, true, w -> "<b>" + w + "</b>"))
                .isEqualTo("<b>outside</b> the prediction interval, inside the confidence interval of the mean law");
    }

    @Test
    void withoutAPredictionIntervalTheConfidenceIntervalJudgesAndSaysSo() {
        assertThat(CheckVerdict.of(null, false, LOUD))
                .isEqualTo("OUTSIDE the confidence interval of the mean law (the fit has no prediction interval)");
        assertThat(CheckVerdict.of(null, true, LOUD))
                .isEqualTo("inside the confidence interval of the mean law (the fit has no prediction interval)");
        assertThat(CheckVerdict.of(null, null, LOUD)).isEqualTo("not judged (the fit has no intervals)");
    }
}
