package dev.scalelab.fitting;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.fitting.fit.Envelope;
import dev.scalelab.fitting.fit.IsoFlop;

import java.util.List;
import java.util.Map;

/**
 * Everything about one fit, written as JSON: the law and its parameters with bootstrap intervals,
 * how the optimiser ended, which rows were used, and enough to reproduce it. {@code scalelab predict}
 * reads it back.
 *
 * @param law            power, saturating, chinchilla or isoflop
 * @param variable       the x of a one-variable law (params, tokens, flops); null otherwise
 * @param formula        the law with its fitted values
 * @param parameters     each parameter's value, and its interval when bootstrapped
 * @param objective      what was minimised, and its value at the optimum
 * @param starts         the start grid, how many starts and how many converged
 * @param status         CONVERGED, MAX_ITER or AT_BOUND
 * @param points         rows used
 * @param excluded       rows read but not used, with the reason
 * @param dataHash       SHA-256 of the rows used (params, tokens, flops, loss), to tell data apart
 * @param flopConvention how FLOPs relate to params and tokens in the allocation (C = k·N·D)
 * @param isoflop        approach 2's per-budget vertices and skipped budgets
 * @param envelope       approach 1's lower envelope of the training curves
 * @param bootstrap      the resamples, when asked for
 * @param backtest       held-out predictions, when asked for: the law was fitted without those rows
 * @param version        scalelab's version
 * @param command        the command line that made it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FitCard(int cardVersion, String law, String variable, String formula, Map<String, Estimate> parameters,
                      Objective objective, Starts starts, String status, int points,
                      List<ObservationTable.Excluded> excluded, String dataHash, String flopConvention,
                      IsoFlopDetail isoflop, List<Envelope.Point> envelope, BootstrapDetail bootstrap,
                      Backtest backtest, String version,
                      String command) {
    /** The card format's version; a card of another version is refused rather than misread. */
    public static final int CARD_VERSION = 1;

    /** A parameter's estimate and, when bootstrapped, its percentile interval. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Estimate(double value, Double lo, Double hi) {
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
     */
    public record Backtest(String split, List<Case> cases, double meanRelativeError, double meanAbsRelativeError) {
    }

    /** One held-out row: the loss it reached, the prediction (with its interval) and the relative error. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Case(double params, double tokens, double flops, double loss, double predicted, Double lo, Double hi,
                       double relativeError) {
    }

    /**
     * @param columns the parameter names of each sample row
     * @param samples one row per resample (NaN for a failed refit)
     */
    public record BootstrapDetail(int resamples, long seed, double level, int failed, List<String> columns,
                                  double[][] samples) {
    }
}
