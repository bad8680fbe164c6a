package dev.scalelab.fitting;

import dev.scalelab.fitting.fit.OneVariable;
import dev.scalelab.fitting.law.PowerLaw;
import dev.scalelab.fitting.law.ScalingLaw;
import dev.scalelab.fitting.law.Axis;

import java.util.List;
import java.util.Map;

/** L = A·X^(−α) (Kaplan et al. 2020, eqs. 1.1-1.3), fitted in closed form on (log X, log L). */
final class PowerSpec extends OneVariableSpec {
    @Override
    public String summary() {
        return "(L = A·X^-alpha)";
    }

    @Override
    public List<String> predictors() {
        return List.of("A", "alpha");
    }

    @Override
    ScalingLaw law(Axis x, Map<String, Double> p) {
        return new PowerLaw(x, p.get("A"), p.get("alpha"));
    }

    @Override
    public FitCard fit(FitData d, Fitter.Options o) {
        Axis x = o.axis();
        double[] xs = d.positive(x.column());
        OneVariable.Result r = OneVariable.power(x, xs, d.loss(), null);
        return FitCards.withBootstrap(d, o, r.law(),
                (k, counts) -> OneVariable.power(x, xs, d.loss(), counts).law().parameters(),
                new FitCard.Objective("sum of squared log residuals", r.objective()),
                new FitCard.Starts("closed form", r.starts(), r.converged()), r.status(), x.column());
    }
}
