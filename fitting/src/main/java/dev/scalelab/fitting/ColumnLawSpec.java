package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.fitting.NotPredictable.Input;
import dev.scalelab.fitting.fit.CurveFit;
import dev.scalelab.fitting.fit.FitStatus;
import dev.scalelab.fitting.law.Point;
import dev.scalelab.fitting.law.ScalingLaw;
import dev.scalelab.fitting.law.Variable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A law that predicts one column of a table (its {@link #response()}: an error, an accuracy, a second
 * loss, a learning rate, or the loss itself) from others ({@link #inputs()}), with a few parameters
 * fitted by least squares (Levenberg-Marquardt from a grid of starts, {@link CurveFit}), in the
 * response's own units or its logs; any parameter may be held fixed. A card predicts at values of its
 * inputs ({@code predict --at loss=2.3}, or {@code --params} and {@code --tokens} where those are its
 * inputs), with the bootstrap's confidence interval and, where {@link #predictionInterval()}, one new
 * run's prediction interval from the log residuals.
 */
abstract class ColumnLawSpec implements LawSpec {
    /** The formula's value at parameters {@code theta} (in {@link #predictors()} order) and inputs {@code x}. */
    abstract double value(double[] theta, double[] x);

    /** The formula with its fitted values, for the card. */
    abstract String formula(double[] theta);

    /** Starts for the fit, each a full parameter vector (held entries are overwritten). */
    abstract double[][] starts(double[][] x, double[] y);

    /** How the starts were chosen, for the card. */
    abstract String startsDescription();

    /** Whether the fit minimises squared log residuals (true) or residuals in the response's units. */
    abstract boolean logSpace();

    /** Each parameter's lower bound, in {@link #predictors()} order (−∞ where it has none). */
    double[] lower() {
        double[] out = new double[predictors().size()];
        Arrays.fill(out, Double.NEGATIVE_INFINITY);
        return out;
    }

    /** Each parameter's upper bound (+∞ where it has none). */
    double[] upper() {
        double[] out = new double[predictors().size()];
        Arrays.fill(out, Double.POSITIVE_INFINITY);
        return out;
    }

    /** The same curve in the law's own convention (a sigmoid's mirror image, say); the parameters as they are by default. */
    double[] canonical(double[] theta) {
        return theta;
    }

    /**
     * A closed-form fit where the held parameters make the law linear (loss-to-loss with both floors known),
     * with its objective's name; null to fit by least squares from the starts.
     */
    Exact exact(double[][] x, double[] y, double[] weight, double[] held) {
        return null;
    }

    /** A closed-form fit's parameters, its objective and what that objective is. */
    record Exact(double[] theta, double objective, String name) {
    }

    /** Checks the domain of the rows (an accuracy within [0, 1], say); an {@link InvalidInputException} otherwise. */
    void check(String source, double[][] x, double[] y) {
    }

    /** The rows the law is fitted to: all of them, or for a hyperparameter law the optimal runs per cell. */
    Selection select(ObservationTable table, Fitter.Options o) {
        return new Selection(table, null);
    }

    /** The rows fitted, and a note of how they were chosen for the card's starts (null: all rows). */
    record Selection(ObservationTable table, String note) {
    }

    @Override
    public List<String> fixable() {
        return predictors();
    }

    @Override
    public List<String> reads() {
        List<String> out = new ArrayList<>(inputs());
        out.add(response());
        return out;
    }

    @Override
    public abstract List<String> inputs();

    @Override
    public abstract String response();

    @Override
    public FitCard fit(FitData all, Fitter.Options o) {
        Selection sel = select(all.table(), o);
        FitData d = FitData.of(sel.table());
        double[][] x = new double[d.size()][];
        double[] y = d.column(response());
        List<double[]> columns = inputs().stream().map(d::column).toList();
        for (int i = 0; i < d.size(); i++) {
            final int row = i;
            x[i] = columns.stream().mapToDouble(c -> c[row]).toArray();
        }
        check(d.table().source(), x, y);
        double[] held = held(o.fixed());
        int free = (int) Arrays.stream(held).filter(Double::isNaN).count();
        if (d.size() <= free) {
            throw new NoUsableFitException(d.size() + " rows cannot determine the " + free + " free parameters of the "
                    + o.law().id() + " law; add rows or hold parameters with --fix");
        }
        Exact exact = exact(x, y, null, held);
        if (exact != null) {
            Law law = new Law(this, exact.theta());
            return FitCards.withBootstrap(d, o, law, (k, counts) -> new Law(this, exact(x, y, counts, held).theta())
                    .parameters(), new FitCard.Objective(exact.name(), exact.objective()),
                    new FitCard.Starts("closed form", 1, 1), FitStatus.CONVERGED, null);
        }
        double[][] starts = starts(x, y);
        Fitted best = fit(x, y, null, held, starts);
        if (best == null) {
            throw new NoUsableFitException("the " + o.law().id() + " fit did not converge from any of its "
                    + starts.length + " starts");
        }
        Law law = new Law(this, best.theta());
        return FitCards.withBootstrap(d, o, law, (k, counts) -> {
            Fitted r = fit(x, y, counts, held, new double[][] {best.theta()});
            if (r == null) {
                throw new NoUsableFitException("resample did not converge");
            }
            return new Law(this, r.theta()).parameters();
        }, new FitCard.Objective(logSpace() ? "sum of squared log residuals of " + response()
                        : "sum of squared residuals of " + response(), best.objective()),
                new FitCard.Starts(startsDescription() + (sel.note() == null ? "" : "; " + sel.note()), starts.length,
                        best.converged()), FitStatus.CONVERGED, null);
    }

    private record Fitted(double[] theta, double objective, int converged) {
    }

    /**
     * The best least-squares fit over the free parameters from each start, within the bounds; null when none
     * converged. A start's optimum outside a bound is held at that bound and the others refitted from
     * there, until every parameter is inside (an active-set method: at most one pass per parameter).
     */
    private Fitted fit(double[][] x, double[] y, double[] weight, double[] held, double[][] starts) {
        double[] target = logSpace() ? Arrays.stream(y).map(Math::log).toArray() : y;
        Fitted best = null;
        int converged = 0;
        for (double[] start : starts) {
            double[] hold = held.clone();
            double[] from = start.clone();
            Fitted f = null;
            for (int pass = 0; pass <= held.length; pass++) {
                f = fitFree(x, target, weight, hold, from);
                if (f == null) {
                    break;
                }
                double[] theta = canonical(f.theta());
                boolean inside = true;
                for (int i = 0; i < theta.length; i++) {
                    if (Double.isNaN(hold[i]) && (theta[i] < lower()[i] || theta[i] > upper()[i])) {
                        hold[i] = Math.max(lower()[i], Math.min(upper()[i], theta[i]));
                        inside = false;
                    }
                }
                f = new Fitted(theta, f.objective(), 1);
                if (inside) {
                    break;
                }
                from = theta;
                f = null;
            }
            if (f != null) {
                converged++;
                if (best == null || f.objective() < best.objective()) {
                    best = f;
                }
            }
        }
        return best == null ? null : new Fitted(best.theta(), best.objective(), converged);
    }

    /** One Levenberg-Marquardt fit over the parameters {@code held} leaves free; null when it did not converge. */
    private Fitted fitFree(double[][] x, double[] target, double[] weight, double[] held, double[] start) {
        int[] free = java.util.stream.IntStream.range(0, held.length).filter(i -> Double.isNaN(held[i])).toArray();
        CurveFit.Model model = (t, i) -> {
            double v = value(full(held, free, t), x[i]);
            return logSpace() ? (v > 0 ? Math.log(v) : Double.NaN) : v;
        };
        if (free.length == 0) {
            double sse = 0;
            for (int i = 0; i < target.length; i++) {
                double r = model.value(new double[0], i) - target[i];
                sse += (weight == null ? 1 : weight[i]) * r * r;
            }
            return Double.isFinite(sse) ? new Fitted(held.clone(), sse, 1) : null;
        }
        double[] freeStart = Arrays.stream(free).mapToDouble(i -> start[i]).toArray();
        CurveFit.Result r = CurveFit.fit(model, target, weight, new double[][] {freeStart});
        return r.theta() == null ? null : new Fitted(full(held, free, r.theta()), r.objective(), 1);
    }

    private static double[] full(double[] held, int[] free, double[] t) {
        double[] theta = held.clone();
        for (int k = 0; k < free.length; k++) {
            theta[free[k]] = t[k];
        }
        return theta;
    }

    /** The held values, in predictor order, NaN where fitted. */
    private double[] held(Map<String, Double> fixed) {
        double[] out = new double[predictors().size()];
        Arrays.fill(out, Double.NaN);
        fixed.forEach((name, v) -> out[predictors().indexOf(name)] = v);
        return out;
    }

    @Override
    public Set<Predicts> predicts(Variable x) {
        return EnumSet.of(Predicts.RESPONSE);
    }

    @Override
    public Outputs atInputs(FitCard card, Map<String, Double> given) {
        for (String name : given.keySet()) {
            if (!inputs().contains(name)) {
                throw new NotPredictable(Input.COLUMNS, "a " + card.law() + " card reads " + String.join(" and ",
                        inputs()) + ", not " + name, Input.COLUMNS);
            }
        }
        double[] x = new double[inputs().size()];
        Map<String, Double> in = new LinkedHashMap<>();
        for (int k = 0; k < x.length; k++) {
            Double v = given.get(inputs().get(k));
            if (v == null || Double.isNaN(v)) {
                throw new NotPredictable(Input.COLUMNS, "a " + card.law() + " card predicts " + response() + " from "
                        + String.join(" and ", inputs()) + "; " + inputs().get(k) + " was not given", Input.COLUMNS);
            }
            x[k] = v;
            in.put(inputs().get(k), v);
        }
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put(response(), p -> value(theta(p), x));
        return new Outputs(in, outputs);
    }

    @Override
    public Outputs atRow(FitCard card, Observation r) {
        Map<String, Double> in = new LinkedHashMap<>();
        inputs().forEach(c -> in.put(c, r.value(c)));
        return atInputs(card, in);
    }

    /** A law whose inputs are params and tokens (or one of them) also predicts at {@code --params}/{@code --tokens}. */
    @Override
    public Outputs atModel(FitCard card, double params, double tokens) {
        if (!List.of("params", "tokens").containsAll(inputs())) {
            throw new NotPredictable(Input.MODEL, "a " + card.law() + " card predicts " + response() + " from "
                    + String.join(" and ", inputs()), Input.COLUMNS);
        }
        Map<String, Double> in = new LinkedHashMap<>();
        for (String c : inputs()) {
            in.put(c, c.equals("params") ? params : tokens);
        }
        return atInputs(card, in);
    }

    @Override
    public Outputs atBudget(FitCard card, double budget) {
        throw new NotPredictable(Input.BUDGET, "a " + card.law() + " card predicts " + response() + " from "
                + String.join(" and ", inputs()), inputs().contains("loss") ? Input.COLUMNS : Input.MODEL);
    }

    /** The parameters by name, in predictor order. */
    double[] theta(Map<String, Double> p) {
        return predictors().stream().mapToDouble(p::get).toArray();
    }

    /** The fitted law as the card's machinery reads it: the formula at a row's inputs. */
    record Law(ColumnLawSpec spec, double[] theta) implements ScalingLaw {
        @Override
        public String formula() {
            return spec.formula(theta);
        }

        @Override
        public Map<String, Double> parameters() {
            Map<String, Double> p = new LinkedHashMap<>();
            for (int i = 0; i < theta.length; i++) {
                p.put(spec.predictors().get(i), theta[i]);
            }
            return p;
        }

        @Override
        public double predict(Point point) {
            return spec.value(theta, spec.inputs().stream().mapToDouble(point::value).toArray());
        }
    }

    /** "%.6g" in the root locale, for formulas. */
    static String g(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** An input error naming the column, when a value lies outside the law's domain. */
    static void require(boolean ok, String source, String column, String problem, String fix) {
        if (!ok) {
            throw new InvalidInputException(source, 0, column, problem, fix);
        }
    }
}
