package dev.scalelab.fitting;

import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.NotPredictable.Input;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.fit.Bootstrap;
import dev.scalelab.fitting.law.ChinchillaLaw;
import dev.scalelab.fitting.law.Variable;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The Chinchilla surface L = E + A/N^α + B/D^β, fitted by approach 3 of Hoffmann et al. (2022); it
 * predicts the loss of a model and a budget's compute-optimal allocation (their eq. 4) and its loss.
 */
final class ChinchillaSpec implements LawSpec {
    /** E, A, B, alpha and beta; a and b follow from alpha and beta. */
    @Override
    public int parameterCount() {
        return 5;
    }

    @Override
    public String summary() {
        return "(L = E + A/N^alpha + B/D^beta; approach 3 of Hoffmann et al. 2022: summed Huber loss of log "
                + "residuals, L-BFGS from a 4,500-start grid)";
    }

    @Override
    public List<String> predictors() {
        return List.of("E", "A", "B", "alpha", "beta", "a", "b");
    }

    @Override
    public List<String> fixable() {
        return List.of("E", "A", "B", "alpha", "beta");
    }

    @Override
    public FitCard fit(FitData d, Fitter.Options o) {
        Approach3.Data data = Approach3.Data.of(d.params(), d.tokens(), d.loss());
        Approach3.Options a3 = o.approach3().withFixed(o.fixed());
        Approach3.Result r = Approach3.fit(data, a3);
        Map<String, Double> values = r.law().parameters();
        FitCard.BootstrapDetail boot = null;
        Map<String, double[]> intervals = Map.of();
        if (o.bootstrap() > 0) {
            Bootstrap.Samples s = Approach3.bootstrap(data, a3, r, o.bootstrap(), o.seed());
            List<String> columns = new ArrayList<>(values.keySet());
            double[][] rowsOut = new double[s.size()][];
            for (int k = 0; k < s.size(); k++) {
                double[] t = s.samples()[k];
                ChinchillaLaw law = new ChinchillaLaw(Math.exp(t[2]), Math.exp(t[0]), Math.exp(t[1]), t[3], t[4]);
                rowsOut[k] = FitCards.values(law.parameters());
            }
            boot = new FitCard.BootstrapDetail(o.bootstrap(), o.seed(), o.level(), s.failed(), columns, rowsOut);
            intervals = FitCards.intervals(columns, rowsOut, o.level());
        }
        String grid = String.format(Locale.ROOT, "alpha %s x beta %s x e %s x a %s x b %s",
                FitCards.describe(a3.alphaGrid()), FitCards.describe(a3.betaGrid()), FitCards.describe(a3.eGrid()),
                FitCards.describe(a3.aGrid()), FitCards.describe(a3.bGrid()));
        // E, A, B, alpha and beta are fitted unless held fixed (a and b follow from alpha and beta)
        return FitCards.card(d, o, r.law(), values, intervals,
                new FitCard.Objective("sum of Huber(delta=" + a3.huberDelta() + ") of log residuals", r.objective()),
                new FitCard.Starts(grid, r.starts(), r.converged()), r.status(), null, boot, 5 - o.fixed().size());
    }

    @Override
    public Set<Predicts> predicts(Variable x) {
        return EnumSet.of(Predicts.LOSS_AT_BUDGET, Predicts.ALLOCATION, Predicts.LOSS_OF_MODEL);
    }

    /** N* and D* along the card's FLOP count, and the loss there. */
    @Override
    public Outputs atBudget(FitCard card, double budget) {
        FlopCount flops = card.flops();
        // a shaped count's optimum is a search: solved once per parameter set, not once per output
        Map<List<Double>, ChinchillaLaw.Allocation> solved = new java.util.concurrent.ConcurrentHashMap<>();
        Function<Map<String, Double>, ChinchillaLaw.Allocation> at = flops.proportional()
                ? p -> law(p).optimum(budget, flops)
                : p -> solved.computeIfAbsent(List.of(p.get("E"), p.get("A"), p.get("B"), p.get("alpha"), p.get("beta")),
                        k -> law(p).optimum(budget, flops));
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put("params", p -> at.apply(p).params());
        outputs.put("tokens", p -> at.apply(p).tokens());
        outputs.put("tokensPerParam", p -> {
            ChinchillaLaw.Allocation a = at.apply(p);
            return a.tokens() / a.params();
        });
        outputs.put("loss", p -> {
            ChinchillaLaw.Allocation a = at.apply(p);
            return law(p).loss(a.params(), a.tokens());
        });
        return new Outputs(Map.of("flops", budget), outputs);
    }

    @Override
    public Outputs atModel(FitCard card, double params, double tokens) {
        if (Double.isNaN(params) || Double.isNaN(tokens)) {
            throw new NotPredictable(Input.MODEL, "the chinchilla law needs both params and tokens", Input.MODEL,
                    Input.BUDGET);
        }
        Map<String, Double> in = new LinkedHashMap<>();
        in.put("params", params);
        in.put("tokens", tokens);
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put("loss", p -> law(p).loss(params, tokens));
        return new Outputs(in, outputs);
    }

    private static ChinchillaLaw law(Map<String, Double> p) {
        return new ChinchillaLaw(p.get("E"), p.get("A"), p.get("B"), p.get("alpha"), p.get("beta"));
    }
}
