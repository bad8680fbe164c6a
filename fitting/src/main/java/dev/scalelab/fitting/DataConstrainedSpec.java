package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.fitting.NotPredictable.Input;
import dev.scalelab.fitting.fit.DataConstrained;
import dev.scalelab.fitting.fit.FitStatus;
import dev.scalelab.fitting.law.DataConstrainedLaw;
import dev.scalelab.fitting.law.Variable;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Muennighoff et al.'s (2023) data-constrained law ({@link DataConstrainedLaw}), fitted as its authors
 * did ({@link DataConstrained}); it predicts the loss of a model trained on tokens of which some are
 * repeats, and so needs each run's unique tokens (a {@code unique_tokens} or {@code epochs} column).
 */
final class DataConstrainedSpec implements LawSpec {
    /**
     * The grid of starts, per parameter of {@link DataConstrained#NAMES}; a held parameter has one. R_D* and
     * R_N* start on the authors' grid (linspace(0, 20, 4) without the 0, which their formula cannot take).
     */
    static final double[][] GRID = {{5, 7}, {5, 7}, {0.5}, {0.25, 0.4}, {0.25, 0.4}, {20 / 3.0, 40 / 3.0, 20},
            {20 / 3.0, 40 / 3.0, 20}};
    private static final List<String> PARAMETERS = List.of("E", "A", "B", "alpha", "beta", "R_D_star", "R_N_star");

    @Override
    public String summary() {
        return "(L = E + A/N'^alpha + B/D'^beta, D' and N' the effective data and parameters of repeated tokens, "
                + "Muennighoff et al. 2023 eqs. 5-7; needs unique_tokens or epochs)";
    }

    @Override
    public List<String> predictors() {
        return PARAMETERS;
    }

    @Override
    public List<String> fixable() {
        return PARAMETERS;
    }

    @Override
    public FitCard fit(FitData d, Fitter.Options o) {
        for (double u : d.uniqueTokens()) {
            if (Double.isNaN(u)) {
                throw new InvalidInputException(d.table().source(), 0, "unique_tokens",
                        "the data-constrained law needs each run's unique tokens",
                        "add a unique_tokens column (or epochs, read as tokens / epochs)");
            }
        }
        DataConstrained.Data data = new DataConstrained.Data(d.params(), d.tokens(), d.uniqueTokens(), d.loss());
        double[] fixed = fixed(o.fixed());
        DataConstrained.Result r = DataConstrained.fit(data, fixed, starts(fixed));
        DataConstrainedLaw law = r.law();
        return FitCards.withBootstrap(d, o, law,
                (k, counts) -> DataConstrained.fit(data.weighted(counts), fixed, List.of(r.theta())).law().parameters(),
                new FitCard.Objective("sum of Huber(delta=" + DataConstrained.DELTA + ") of log residuals", r.objective()),
                new FitCard.Starts("a, b {5,7} x e {0.5} x alpha, beta {0.25,0.4} x R_D*, R_N* {6.67,13.3,20}, "
                        + "held parameters at their value", r.starts(), r.converged()),
                r.bestConverged() ? FitStatus.CONVERGED : FitStatus.MAX_ITER, null);
    }

    /** The held values in the fit's parametrisation (logs of E, A, B), NaN where fitted. */
    private static double[] fixed(Map<String, Double> held) {
        double[] theta = new double[7];
        java.util.Arrays.fill(theta, Double.NaN);
        held.forEach((name, v) -> {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new InvalidInputException("fixed parameters", 0, name, v + " is not a positive number",
                        "the data-constrained law's parameters are all positive");
            }
            switch (name) {
                case "E" -> theta[2] = Math.log(v);
                case "A" -> theta[0] = Math.log(v);
                case "B" -> theta[1] = Math.log(v);
                case "alpha" -> theta[3] = v;
                case "beta" -> theta[4] = v;
                case "R_D_star" -> theta[5] = v;
                case "R_N_star" -> theta[6] = v;
                default -> throw new IllegalStateException(name); // Fitter checks names against fixable()
            }
        });
        return theta;
    }

    /** Every combination of the grid over the parameters not held. */
    static List<double[]> starts(double[] fixed) {
        List<double[]> out = new ArrayList<>();
        out.add(fixed.clone());
        for (int i = 0; i < fixed.length; i++) {
            if (!Double.isNaN(fixed[i])) {
                continue;
            }
            List<double[]> next = new ArrayList<>();
            for (double[] s : out) {
                for (double v : GRID[i]) {
                    double[] t = s.clone();
                    t[i] = v;
                    next.add(t);
                }
            }
            out = next;
        }
        return out;
    }

    @Override
    public Set<Predicts> predicts(Variable x) {
        return EnumSet.of(Predicts.LOSS_OF_MODEL);
    }

    @Override
    public Outputs atBudget(FitCard card, double budget) {
        throw new NotPredictable(Input.BUDGET, "a data-constrained card predicts the loss of a given model and data",
                Input.REPEATED);
    }

    @Override
    public Outputs atModel(FitCard card, double params, double tokens) {
        throw new NotPredictable(Input.MODEL, "the data-constrained law also needs the unique tokens of the data",
                Input.REPEATED);
    }

    @Override
    public Outputs atModel(FitCard card, double n, double d, double u) {
        if (Double.isNaN(u) || Double.isNaN(n) || Double.isNaN(d)) {
            return atModel(card, n, d);
        }
        if (u > d * (1 + 1e-9)) {
            throw new NotPredictable(Input.REPEATED, "unique tokens " + u + " are more than the tokens " + d,
                    Input.REPEATED);
        }
        Map<String, Double> in = new LinkedHashMap<>();
        in.put("params", n);
        in.put("tokens", d);
        in.put("uniqueTokens", u);
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put("loss", p -> law(p).loss(n, d, u));
        return new Outputs(in, outputs);
    }

    static DataConstrainedLaw law(Map<String, Double> p) {
        return new DataConstrainedLaw(p.get("E"), p.get("A"), p.get("B"), p.get("alpha"), p.get("beta"),
                p.get("R_D_star"), p.get("R_N_star"));
    }
}
