package dev.scalelab.plots;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Which interval holds a check run's loss, in the words the quickstart's headline and the report's
 * "Check run" table both use. A single run is judged by the prediction interval (one new run); the
 * confidence interval covers only the law's mean, so a run outside it alone is flagged only when the
 * fit has no prediction interval.
 */
public final class CheckVerdict {
    private CheckVerdict() {
    }

    /**
     * @param inPrediction whether the loss is inside the prediction interval; null when the fit has none
     * @param inConfidence whether it is inside the confidence interval; null when the fit has none
     * @param emphasis     how the judging "outside" is marked (upper case on a terminal, bold in HTML)
     */
    public static String of(Boolean inPrediction, Boolean inConfidence, UnaryOperator<String> emphasis) {
        List<String> parts = new ArrayList<>();
        if (inPrediction != null) {
            parts.add((inPrediction ? "inside" : emphasis.apply("outside")) + " the prediction interval");
        }
        if (inConfidence != null) {
            parts.add((inConfidence ? "inside" : parts.isEmpty() ? emphasis.apply("outside") : "outside")
                    + " the confidence interval of the mean law");
        }
        if (parts.isEmpty()) {
            return "not judged (the fit has no intervals)";
        }
        return String.join(", ", parts) + (inPrediction == null ? " (the fit has no prediction interval)" : "");
    }
}
