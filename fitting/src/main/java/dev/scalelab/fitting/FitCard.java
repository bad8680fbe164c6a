package dev.scalelab.fitting;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.fit.Envelope;
import dev.scalelab.fitting.fit.FitStatus;
import dev.scalelab.fitting.fit.IsoFlop;
import dev.scalelab.fitting.law.Variable;

import java.util.List;
import java.util.Map;

/**
 * Everything about one fit, written as JSON: the law and its parameters with bootstrap intervals,
 * how the optimiser ended, which rows were used, and enough to reproduce it. {@code scalelab predict}
 * reads it back.
 *
 * @param law            the law's id, one of {@link Fitter.Law#ids()}
 * @param variable       the x of a one-variable law (params, tokens, flops); null otherwise
 * @param formula        the law with its fitted values
 * @param parameters     each parameter's value, and its interval when bootstrapped
 * @param objective      what was minimised, and its value at the optimum
 * @param starts         the start grid, how many starts and how many converged
 * @param status         how the fit ended (written as its name: CONVERGED, MAX_ITER or AT_BOUND)
 * @param points         rows used
 * @param excluded       rows read but not used, with the reason
 * @param dataHash       SHA-256 of the rows used (params, tokens, flops, loss), to tell data apart
 * @param flops          how compute relates to params and tokens in the allocation: the FLOP convention, and
 *                       the factor k of C = k·N·D or the model family of C = f(N)·D
 * @param isoflop        approach 2's per-budget vertices and skipped budgets
 * @param envelope       approach 1's lower envelope of the training curves
 * @param bootstrap      the resamples, when asked for
 * @param residuals      the fit's log residuals (log observed − log fitted loss) and how many parameters it
 *                       fitted, for a law that predicts losses: what a prediction interval adds to the
 *                       bootstrap's (since card version 3)
 * @param backtest       held-out predictions, when asked for: the law was fitted without those rows
 * @param version        scalelab's version
 * @param command        the command line that made it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FitCard(int cardVersion, String law, String variable, String formula, Map<String, Estimate> parameters,
                      Objective objective, Starts starts, FitStatus status, int points,
                      List<ObservationTable.Excluded> excluded, String dataHash, FlopCount flops,
                      IsoFlopDetail isoflop, List<Envelope.Point> envelope, BootstrapDetail bootstrap,
                      Residuals residuals, Backtest backtest, String version,
                      String command) {
    /** The card format's version; a card of another version is refused rather than misread. */
    public static final int CARD_VERSION = 3; // 3: residuals; 2: flops (convention, k or family) replaced flopConvention

    /** The oldest version still read: a version 2 card predicts with confidence intervals only (it has no residuals). */
    public static final int OLDEST_READ_VERSION = 2;

    /**
     * This card, if it holds what predictions read: a known version and law, the law's variable,
     * every parameter it needs as a finite number, and bootstrap samples that match their columns.
     * A card that was cut or edited by hand is an error naming the file and the field (exit 3).
     */
    public FitCard validated(String source) {
        if (cardVersion < OLDEST_READ_VERSION || cardVersion > CARD_VERSION) {
            throw bad(source, "cardVersion", "fit card version " + cardVersion + " is not " + OLDEST_READ_VERSION
                    + " to " + CARD_VERSION, "refit with this scalelab");
        }
        Fitter.Law known = Fitter.Law.of(law);
        if (known == null) {
            throw bad(source, "law", law == null ? "missing" : "unknown law '" + law + "'", "one of "
                    + String.join(", ", Fitter.Law.ids()));
        }
        List<String> needed = known.predictors();
        List<String> variables = java.util.Arrays.stream(Variable.values()).map(Variable::id).toList();
        if (known.oneVariable() && (variable == null || variable.isBlank()
                || !variables.contains(variable) && variables.contains(variable.toLowerCase(java.util.Locale.ROOT)))) {
            throw bad(source, "variable", variable == null || variable.isBlank() ? "missing" : "'" + variable
                    + "' is not " + variable.toLowerCase(java.util.Locale.ROOT) + " as cards write it", "one of "
                    + String.join(", ", variables) + ", or the numeric column the law was fitted to");
        }
        if (parameters == null) {
            throw bad(source, "parameters", "missing", null);
        }
        parameters.forEach((name, e) -> {
            if (e == null) {
                throw bad(source, "parameters." + name, "null", null);
            }
        });
        for (String name : needed) {
            Estimate e = parameters.get(name);
            if (e == null || !Double.isFinite(e.value())) {
                throw bad(source, "parameters." + name, e == null ? "missing" : "not a finite number",
                        "the " + law + " law needs " + String.join(", ", needed));
            }
        }
        if (flops == null || flops.problem() != null) {
            throw bad(source, "flops", flops == null ? "missing" : flops.problem(),
                    "e.g. {\"convention\": \"6N\", \"flopsPerParamToken\": 6}");
        }
        if (isoflop != null && (isoflop.vertices() == null || isoflop.vertices().contains(null))) {
            throw bad(source, "isoflop.vertices", "missing or holds null", null);
        }
        if (envelope != null && envelope.contains(null)) {
            throw bad(source, "envelope", "holds null", null);
        }
        if (backtest != null && (backtest.cases() == null || backtest.cases().contains(null))) {
            throw bad(source, "backtest.cases", "missing or holds null", null);
        }
        if (residuals != null) {
            if (residuals.log() == null || residuals.log().isEmpty() || residuals.log().stream()
                    .anyMatch(r -> r == null || !Double.isFinite(r))) {
                throw bad(source, "residuals.log", "missing, empty or holds a value that is not a finite number", null);
            }
            if (residuals.parameters() < 0 || residuals.parameters() >= residuals.log().size()) {
                throw bad(source, "residuals.parameters", residuals.parameters() + " fitted parameters for "
                        + residuals.log().size() + " residuals (needs 0 to " + (residuals.log().size() - 1) + ")", null);
            }
        }
        if (bootstrap != null) {
            if (bootstrap.columns() == null || bootstrap.samples() == null) {
                throw bad(source, "bootstrap", "columns or samples missing", null);
            }
            if (!(bootstrap.level() > 0 && bootstrap.level() < 1)) {
                throw bad(source, "bootstrap.level", bootstrap.level() + " is not between 0 and 1", null);
            }
            if (bootstrap.samples().length > 0 && !bootstrap.columns().containsAll(needed)) {
                throw bad(source, "bootstrap.columns", "lacks some of " + String.join(", ", needed), null);
            }
            for (int i = 0; i < bootstrap.samples().length; i++) {
                double[] row = bootstrap.samples()[i];
                if (row == null || row.length != bootstrap.columns().size()) {
                    throw bad(source, "bootstrap.samples[" + i + "]", "has " + (row == null ? 0 : row.length)
                            + " values for " + bootstrap.columns().size() + " columns", null);
                }
            }
        }
        return this;
    }

    /** What this (validated) card's law predicts, for its variable. */
    public java.util.Set<Predicts> predicts() {
        return Fitter.Law.of(law).predicts(Variable.of(variable));
    }

    private static InvalidInputException bad(String source, String field, String problem, String fix) {
        return new InvalidInputException(source, 0, field, problem,
                fix == null ? "the card was cut or edited; refit with 'scalelab fit --out'" : fix);
    }

    /**
     * A parameter's or a prediction's estimate and, when bootstrapped, its percentile interval
     * {@code lo}, {@code hi}: the confidence interval of the law's mean. A prediction also names it
     * ({@code confidence}, with its {@code level}) and, for a loss from a card with residuals, gains the
     * {@code prediction} interval: where the loss of one new run there will fall ({@link Predictor}).
     *
     * @param confidence [lo, hi] of the law's mean, in a prediction; null in a card's parameters
     * @param prediction [lo, hi] of one new run's loss; null unless a loss with residuals and resamples
     * @param level      the coverage both intervals aim at, e.g. 0.95
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Estimate(double value, Double lo, Double hi, List<Double> confidence, List<Double> prediction,
                           Double level) {
        /** A parameter's estimate: its value and percentile interval (or none). */
        public Estimate(double value, Double lo, Double hi) {
            this(value, lo, hi, null, null, null);
        }
    }

    /**
     * @param log        log observed − log fitted loss of each row used, in the table's order
     * @param parameters how many parameters the fit estimated (those held fixed not counted)
     */
    public record Residuals(List<Double> log, int parameters) {
    }

    public record Objective(String name, double value) {
    }

    public record Starts(String grid, int count, int converged) {
    }

    public record IsoFlopDetail(int window, List<IsoFlop.Vertex> vertices, List<IsoFlop.Skipped> skipped) {
    }

    /**
     * @param split                 which rows were held out
     * @param cases                 each held-out row's actual and predicted loss
     * @param meanRelativeError     mean of (predicted − actual) / actual
     * @param meanAbsRelativeError  mean of |predicted − actual| / actual
     * @param logRmse               RMSE of log predicted − log actual (null in cards written before it)
     * @param coverage              share of held-out losses inside their prediction interval (null without one)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Backtest(String split, List<Case> cases, double meanRelativeError, double meanAbsRelativeError,
                           Double logRmse, Double coverage) {
    }

    /**
     * One held-out row: the loss it reached, the prediction with its confidence interval ({@code lo},
     * {@code hi}) and prediction interval (one new run's), and the relative error.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Case(double params, double tokens, double flops, double loss, double predicted, Double lo, Double hi,
                       List<Double> prediction, double relativeError) {
    }

    /**
     * @param columns the parameter names of each sample row
     * @param samples one row per resample (NaN for a failed refit)
     */
    public record BootstrapDetail(int resamples, long seed, double level, int failed, List<String> columns,
                                  double[][] samples) {
    }
}
