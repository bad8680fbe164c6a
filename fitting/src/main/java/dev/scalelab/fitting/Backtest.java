package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.fitting.fit.IsoFlop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Backtests: fit a law on the rows a {@link Holdout} keeps, predict every row it holds out with both
 * intervals, and score the predictions out of sample. The summary is the mean absolute relative error
 * (ARE, as in Choshen et al. 2024, "A Hitchhiker's Guide to Scaling Law Estimation"), the RMSE of log
 * loss, and the share of held-out rows inside the prediction interval (the interval one new run should
 * fall in) and inside the confidence interval (the law's mean). Choosing among laws by these numbers
 * chooses by how they extrapolate, not by their in-sample fit.
 *
 * <p>A loss law predicts each held-out row's loss at its N and D (or at its budget, for a law in flops).
 * Approach 2 ({@code isoflop}) predicts allocations: a held-out budget's truth is the vertex of its own
 * parabola (N*, D* and the loss there), and its rows are N* and D*, with confidence intervals only.
 */
public final class Backtest {
    /**
     * One held-out prediction.
     *
     * @param quantity          what is predicted: {@code loss}, or an isoflop budget's {@code params} (N*) or {@code tokens} (D*)
     * @param params            the held-out row's N (an isoflop row: its vertex's N*)
     * @param loss              the row's observed loss (an isoflop row: the loss at its vertex)
     * @param actual            the observed value of {@code quantity}
     * @param confidence        [lo, hi] of the law's mean there (null without resamples)
     * @param prediction        [lo, hi] of one new run's loss (null unless a loss with residuals and resamples)
     * @param insidePrediction  whether {@code actual} is inside {@code prediction} (null without one)
     */
    public record Row(String fold, String quantity, double params, double tokens, double flops, double loss,
                      double actual, double predicted, List<Double> confidence, List<Double> prediction,
                      double relativeError, Boolean insideConfidence, Boolean insidePrediction) {
    }

    /**
     * @param n                    held-out predictions scored
     * @param meanAbsRelativeError mean |predicted − actual| / actual (ARE)
     * @param meanRelativeError    mean (predicted − actual) / actual: its sign is the bias
     * @param logRmse              sqrt(mean (log predicted − log actual)²)
     * @param coverage             share inside the prediction interval (null when no row has one)
     * @param confidenceCoverage   share inside the confidence interval (null without resamples)
     * @param predictionWidth      mean (hi − lo) / predicted of the prediction intervals: what the coverage costs
     * @param confidenceWidth      the same for the confidence intervals
     * @param level                the level both intervals aim at
     */
    public record Summary(int n, double meanAbsRelativeError, double meanRelativeError, double logRmse,
                          Double coverage, Double confidenceCoverage, Double predictionWidth, Double confidenceWidth,
                          double level) {
    }

    /** A law's backtest: every fold's held-out rows, pooled into one summary. */
    public record Result(String law, String holdout, List<Row> rows, Summary summary, List<String> notes) {
    }

    /** One fold's fit and its held-out rows. */
    record FoldFit(FitCard card, List<Row> rows) {
    }

    private Backtest() {
    }

    /** Backtests one law under a holdout (every fold of it). */
    public static Result run(ObservationTable table, Fitter.Options o, Holdout holdout) {
        requireBacktestable(o.law(), o);
        List<Holdout.Fold> folds;
        try {
            folds = holdout.folds(table.observations());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(Fitter.BACKTEST, 0, "holdout", e.getMessage(), null);
        }
        List<IsoFlop.Vertex> truth = o.law() == Fitter.Law.ISOFLOP ? vertices(table, o) : null;
        List<Row> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Holdout.Fold f : folds) {
            rows.addAll(fold(table, o, f, truth, notes).rows());
        }
        if (rows.isEmpty()) {
            throw new NoUsableFitException("the holdout " + holdout.describe() + " leaves no held-out row to score"
                    + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")"));
        }
        return new Result(o.law().id(), holdout.describe(), rows, summarise(rows, o.level()), notes);
    }

    /**
     * The laws that predict losses, in order of held-out ARE, lowest first (then log RMSE). Approach 2's
     * errors are of N* and D*, and a law of another column's (an error, a learning rate) of that column, so
     * none of them is ranked against the losses.
     */
    public static List<String> ranking(List<Result> results) {
        return results.stream().filter(r -> r.rows().stream().allMatch(row -> row.quantity().equals(Predictor.LOSS)))
                .sorted(Comparator.comparingDouble((Result r) -> r.summary().meanAbsRelativeError())
                .thenComparingDouble(r -> r.summary().logRmse())).map(Result::law).toList();
    }

    /** Fits the kept rows of one fold and predicts its held-out ones. */
    static FoldFit fold(ObservationTable table, Fitter.Options o, Holdout.Fold f, List<IsoFlop.Vertex> truth,
                        List<String> notes) {
        List<Observation> all = table.observations();
        Set<Integer> held = new HashSet<>(f.heldOut());
        if (held.isEmpty()) {
            throw new InvalidInputException(Fitter.BACKTEST, 0, "holdout", "no rows are held out by " + f.name(),
                    "choose a lower cutoff, or check the table's budget, flops and params columns");
        }
        List<Observation> kept = new ArrayList<>();
        List<Observation> test = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (held.contains(i) ? test : kept).add(all.get(i));
        }
        requireEnough(o, f, kept);
        FitCard card = Fitter.fitAll(new ObservationTable(table.source(), kept, table.derivation(), table.excluded()), o);
        Predictor predictor = new Predictor(card, table.source());
        List<Row> rows = new ArrayList<>();
        if (truth != null) {
            Set<Double> budgets = new java.util.TreeSet<>();
            test.forEach(r -> budgets.add(Holdout.budgetOf(r)));
            for (double b : budgets) {
                IsoFlop.Vertex v = truth.stream().filter(x -> sameBudget(x.budget(), b)).findFirst().orElse(null);
                if (v == null) {
                    notes.add(String.format(Locale.ROOT, "budget %.4g has no vertex of its own (its parabola was "
                            + "skipped), so it is not scored", b));
                    continue;
                }
                Predictor.Prediction p = predictor.atBudget(b);
                rows.add(row(f.name(), "params", v, v.params(), p.outputs().get("params")));
                rows.add(row(f.name(), "tokens", v, v.tokens(), p.outputs().get("tokens")));
            }
            return new FoldFit(card, rows);
        }
        String response = o.law().response();
        for (Observation r : o.law().spec().scored(test, o)) {
            // the law's prediction at the held-out row's own inputs (its N and D, its budget, its loss)
            FitCard.Estimate e = predictor.atRow(r).outputs().get(response);
            double actual = r.value(response);
            rows.add(new Row(f.name(), response, r.params(), r.tokens(), r.flops(), r.loss(), actual, e.value(),
                    interval(e.lo(), e.hi()), e.prediction(), actual == 0 ? Double.NaN : (e.value() - actual) / actual,
                    e.lo() == null ? null : inside(actual, e.lo(), e.hi()),
                    e.prediction() == null ? null : inside(actual, e.prediction().get(0), e.prediction().get(1))));
        }
        return new FoldFit(card, rows);
    }

    private static Row row(String fold, String quantity, IsoFlop.Vertex v, double actual, FitCard.Estimate e) {
        return new Row(fold, quantity, v.params(), v.tokens(), v.budget(), v.loss(), actual, e.value(),
                interval(e.lo(), e.hi()), null, (e.value() - actual) / actual,
                e.lo() == null ? null : inside(actual, e.lo(), e.hi()), null);
    }

    static Summary summarise(List<Row> rows, double level) {
        double abs = 0;
        double signed = 0;
        double squares = 0;
        int withPrediction = 0;
        int inPrediction = 0;
        int withConfidence = 0;
        int inConfidence = 0;
        double predictionWidth = 0;
        double confidenceWidth = 0;
        int scored = 0;
        for (Row r : rows) {
            double d = Math.log(r.predicted()) - Math.log(r.actual());
            if (Double.isFinite(r.relativeError()) && Double.isFinite(d)) {
                // an observed 0 (an accuracy) has no relative error: its row is listed, not averaged
                scored++;
                abs += Math.abs(r.relativeError());
                signed += r.relativeError();
                squares += d * d;
            }
            if (r.insidePrediction() != null) {
                withPrediction++;
                inPrediction += r.insidePrediction() ? 1 : 0;
                predictionWidth += (r.prediction().get(1) - r.prediction().get(0)) / r.predicted();
            }
            if (r.insideConfidence() != null) {
                withConfidence++;
                inConfidence += r.insideConfidence() ? 1 : 0;
                confidenceWidth += (r.confidence().get(1) - r.confidence().get(0)) / r.predicted();
            }
        }
        int n = rows.size();
        int m = Math.max(scored, 1);
        return new Summary(n, scored == 0 ? Double.NaN : abs / m, scored == 0 ? Double.NaN : signed / m,
                scored == 0 ? Double.NaN : Math.sqrt(squares / m),
                withPrediction == 0 ? null : inPrediction / (double) withPrediction,
                withConfidence == 0 ? null : inConfidence / (double) withConfidence,
                withPrediction == 0 ? null : predictionWidth / withPrediction,
                withConfidence == 0 ? null : confidenceWidth / withConfidence, level);
    }

    /** Only laws that predict losses, and approach 2 (scored on its held-out budgets' vertices). */
    static void requireBacktestable(Fitter.Law law, Fitter.Options o) {
        if (law == Fitter.Law.ISOFLOP || law.predictsRows(o.variable())) {
            return;
        }
        List<String> ok = new ArrayList<>();
        for (Fitter.Law l : Fitter.Law.values()) {
            if (l == Fitter.Law.ISOFLOP || java.util.Arrays.stream(dev.scalelab.fitting.law.Variable.values())
                    .anyMatch(l::predictsRows)) {
                ok.add(l.id());
            }
        }
        throw new InvalidInputException(Fitter.BACKTEST, 0, "law", "an " + law.id() + " fit predicts allocations, "
                + "and a backtest has no held-out truth for them", "backtest " + Fitter.Law.or(ok));
    }

    /** A fold must keep at least as many rows as the law has free parameters (budgets, for approach 2). */
    private static void requireEnough(Fitter.Options o, Holdout.Fold f, List<Observation> kept) {
        if (o.law() == Fitter.Law.ISOFLOP || o.law() == Fitter.Law.ENVELOPE) {
            long budgets = kept.stream().map(Holdout::budgetOf).distinct().count();
            if (budgets < o.law().parameterCount()) {
                throw new NoUsableFitException(String.format(Locale.ROOT, "the holdout %s keeps %d budget%s, fewer than "
                        + "the %d that %s's power laws need; hold out fewer budgets", f.name(), budgets,
                        budgets == 1 ? "" : "s", o.law().parameterCount(), o.law().id()));
            }
            return;
        }
        int free = o.law().parameterCount() - o.fixed().size();
        if (kept.size() < free) {
            throw new NoUsableFitException(String.format(Locale.ROOT, "the holdout %s keeps %d row%s, fewer than the "
                    + "%d parameters %s fits; hold out fewer rows", f.name(), kept.size(), kept.size() == 1 ? "" : "s",
                    free, o.law().id()));
        }
    }

    /** Every budget's own vertex, from all the rows (a vertex depends only on its budget's rows). */
    private static List<IsoFlop.Vertex> vertices(ObservationTable table, Fitter.Options o) {
        FitData d = FitData.of(table);
        return IsoFlop.vertices(d.budget(), d.params(), d.tokens(), d.loss(), o.isoflopWindow());
    }

    private static boolean sameBudget(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    }

    private static List<Double> interval(Double lo, Double hi) {
        return lo == null ? null : List.of(lo, hi);
    }

    private static boolean inside(double x, double lo, double hi) {
        return x >= lo && x <= hi;
    }
}
