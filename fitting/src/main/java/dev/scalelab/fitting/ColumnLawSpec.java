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
                        best.converged()), best.atBound() ? FitStatus.AT_BOUND : FitStatus.CONVERGED, null);
    }

    /** @param atBound whether a fitted parameter ended on one of its bounds (within 1e-6) */
    private record Fitted(double[] theta, double objective, int converged, boolean atBound) {
        Fitted(double[] theta, double objective, int converged) {
            this(theta, objective, converged, false);
        }
    }

    /**
     * The best least-squares fit over the free parameters from each start, within the bounds; null when none
     * converged. A bounded parameter is searched through a transform that cannot leave its bounds (Box-style:
     * l + (u − l)·σ(t) between two bounds, l + e^t above one), so an optimum on a bound is approached, not
     * crossed; a parameter that ends within 1e-6 of a bound marks the fit {@code AT_BOUND}.
     */
    private Fitted fit(double[][] x, double[] y, double[] weight, double[] held, double[][] starts) {
        double[] target = logSpace() ? Arrays.stream(y).map(Math::log).toArray() : y;
        int[] free = java.util.stream.IntStream.range(0, held.length).filter(i -> Double.isNaN(held[i])).toArray();
        double[] lo = lower();
        double[] hi = upper();
        CurveFit.Model model = (t, i) -> {
            double v = value(full(held, free, bounded(t, free, lo, hi)), x[i]);
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
        double[][] searched = Arrays.stream(starts).map(s -> unbounded(s, free, lo, hi)).toArray(double[][]::new);
        CurveFit.Result r = CurveFit.fit(model, target, weight, searched);
        if (r.theta() == null) {
            return null;
        }
        double[] theta = full(held, free, bounded(r.theta(), free, lo, hi));
        boolean atBound = false;
        for (int i : free) {
            atBound |= Double.isFinite(lo[i]) && theta[i] - lo[i] <= 1e-6 * Math.max(1, Math.abs(lo[i]))
                    || Double.isFinite(hi[i]) && hi[i] - theta[i] <= 1e-6 * Math.max(1, Math.abs(hi[i]));
        }
        return new Fitted(theta, r.objective(), r.converged(), atBound);
    }

    /** The free parameters' values from their searched values. */
    private static double[] bounded(double[] t, int[] free, double[] lo, double[] hi) {
        double[] p = new double[t.length];
        for (int k = 0; k < t.length; k++) {
            int i = free[k];
            boolean l = Double.isFinite(lo[i]);
            boolean u = Double.isFinite(hi[i]);
            p[k] = l && u ? lo[i] + (hi[i] - lo[i]) / (1 + Math.exp(-t[k]))
                    : l ? lo[i] + Math.exp(t[k]) : u ? hi[i] - Math.exp(t[k]) : t[k];
        }
        return p;
    }

    /** A start's searched values; a start on or past a bound is moved 0.1% (or 1e-3) inside it. */
    private static double[] unbounded(double[] start, int[] free, double[] lo, double[] hi) {
        double[] t = new double[free.length];
        for (int k = 0; k < free.length; k++) {
            int i = free[k];
            boolean l = Double.isFinite(lo[i]);
            boolean u = Double.isFinite(hi[i]);
            double v = start[i];
            if (l && u) {
                double w = hi[i] - lo[i];
                double f = Math.min(1 - 1e-3, Math.max(1e-3, (v - lo[i]) / w));
                t[k] = Math.log(f / (1 - f));
            } else if (l) {
                t[k] = Math.log(Math.max(v - lo[i], 1e-3));
            } else if (u) {
                t[k] = Math.log(Math.max(hi[i] - v, 1e-3));
            } else {
                t[k] = v;
            }
        }
        return t;
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
