package dev.scalelab.study;

import dev.scalelab.core.data.Observation;
import dev.scalelab.fitting.FitCard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run-to-run spread a sweep's replicates measure (runs of one model on the same tokens that differ
 * only in their training seed, {@code grid.replicates}): the pooled standard deviation of log loss,
 * sqrt(Σ_g Σ_i (ln L_gi − mean_g)² / Σ_g (n_g − 1)) over the points g with two or more runs.
 *
 * @param logSd   pooled standard deviation of ln loss between seeds
 * @param points  replicated points
 * @param runs    runs at those points
 */
public record RunToRunSpread(double logSd, int points, int runs) {
    /** The spread of the replicated points among {@code runs}, or null when no point has two runs. */
    public static RunToRunSpread of(List<Observation> runs) {
        Map<List<Double>, List<Double>> groups = new LinkedHashMap<>();
        for (Observation o : runs) {
            groups.computeIfAbsent(List.of(o.params(), o.tokens()), k -> new ArrayList<>()).add(Math.log(o.loss()));
        }
        double squares = 0;
        int dof = 0;
        int points = 0;
        int n = 0;
        for (List<Double> g : groups.values()) {
            if (g.size() < 2) {
                continue;
            }
            double mean = g.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            for (double x : g) {
                squares += (x - mean) * (x - mean);
            }
            dof += g.size() - 1;
            points++;
            n += g.size();
        }
        return points == 0 ? null : new RunToRunSpread(Math.sqrt(squares / dof), points, n);
    }

    /** The fit's residual standard deviation in ln loss, sqrt(Σ e² / (n − p)), or NaN without residuals. */
    public static double residualSd(FitCard card) {
        if (card == null || card.residuals() == null || card.residuals().log().size() <= card.residuals().parameters()) {
            return Double.NaN;
        }
        double s = 0;
        for (double e : card.residuals().log()) {
            s += e * e;
        }
        return Math.sqrt(s / (card.residuals().log().size() - card.residuals().parameters()));
    }

    /** One sentence for the report, beside the fit's residual spread. */
    public String describe(String fit, double residualSd) {
        return String.format(Locale.ROOT, "Run-to-run spread measured on %d replicated points (%d runs, training seeds "
                + "only): %.4f in ln loss (about %.2f%%)%s. The prediction interval draws on the fit's residuals, "
                + "which include the replicates.", points, runs, logSd, 100 * logSd, Double.isNaN(residualSd) ? ""
                : String.format(Locale.ROOT, ", against a residual spread of %.4f for the %s fit", residualSd, fit));
    }
}
