package dev.scalelab.fitting;

import dev.scalelab.fitting.NotPredictable.Input;
import dev.scalelab.fitting.fit.Kaplan;
import dev.scalelab.fitting.law.KaplanLaw;
import dev.scalelab.fitting.law.Point;
import dev.scalelab.fitting.law.Variable;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Kaplan et al.'s (2020) joint law of parameters and tokens, eq. 1.5; it predicts the loss of a given model. */
final class KaplanSpec implements LawSpec {
    @Override
    public String summary() {
        return "(L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D, Kaplan et al. 2020 eq. 1.5)";
    }

    @Override
    public List<String> predictors() {
        return List.of("N_c", "D_c", "alpha_N", "alpha_D");
    }

    @Override
    public FitCard fit(FitData d, Fitter.Options o) {
        Kaplan.Result r = Kaplan.fit(d.params(), d.tokens(), d.loss(), null, null);
        return FitCards.withBootstrap(d, o, r.law(),
                (k, counts) -> Kaplan.fit(d.params(), d.tokens(), d.loss(), counts, r.theta()).law().parameters(),
                new FitCard.Objective("sum of squared log residuals", r.objective()),
                new FitCard.Starts("log N_c, log D_c {20,30,40} x alpha_N, alpha_D {0.05,0.1,0.3}", r.starts(),
                        r.converged()), r.status(), null);
    }

    @Override
    public Set<Predicts> predicts(Variable x) {
        return EnumSet.of(Predicts.LOSS_OF_MODEL);
    }

    @Override
    public Outputs atBudget(FitCard card, double budget) {
        throw new NotPredictable(Input.BUDGET, "a kaplan card predicts the loss of a given model", Input.MODEL);
    }

    @Override
    public Outputs atModel(FitCard card, double params, double tokens) {
        if (Double.isNaN(params) || Double.isNaN(tokens)) {
            throw new NotPredictable(Input.MODEL, "Kaplan's law needs both params and tokens", Input.MODEL);
        }
        Map<String, Double> in = new LinkedHashMap<>();
        in.put("params", params);
        in.put("tokens", tokens);
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put("loss", p -> new KaplanLaw(p.get("N_c"), p.get("D_c"), p.get("alpha_N"), p.get("alpha_D"))
                .predict(new Point(params, tokens, Double.NaN)));
        return new Outputs(in, outputs);
    }
}
