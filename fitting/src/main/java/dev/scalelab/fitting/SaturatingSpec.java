package dev.scalelab.fitting;

import dev.scalelab.fitting.fit.OneVariable;
import dev.scalelab.fitting.law.SaturatingPowerLaw;
import dev.scalelab.fitting.law.ScalingLaw;
import dev.scalelab.fitting.law.Axis;

import java.util.List;
import java.util.Map;

/** L = E + A·X^(−α) (Hestness et al. 2017), fitted by Levenberg-Marquardt from a grid; E may be held fixed. */
final class SaturatingSpec extends OneVariableSpec {
    @Override
    public String summary() {
        return "(L = E + A·X^-alpha)";
    }

    @Override
    public List<String> predictors() {
        return List.of("E", "A", "alpha");
    }

    @Override
    public List<String> fixable() {
        return List.of("E");
    }

    @Override
    ScalingLaw law(Axis x, Map<String, Double> p) {
        return new SaturatingPowerLaw(x, p.get("E"), p.get("A"), p.get("alpha"));
    }

    @Override
    public FitCard fit(FitData d, Fitter.Options o) {
        Axis x = o.axis();
        double[] xs = d.positive(x.column());
        double fixedE = o.fixed().getOrDefault("E", Double.NaN);
        OneVariable.Result r = OneVariable.saturating(x, xs, d.loss(), null, fixedE, null);
        return FitCards.withBootstrap(d, o, r.law(),
                (k, counts) -> OneVariable.saturating(x, xs, d.loss(), counts, fixedE, r.theta()).law().parameters(),
                new FitCard.Objective("sum of squared log residuals", r.objective()),
                new FitCard.Starts("alpha {0.05,0.2,0.5,1} x E {0.5,0.9,0.99}*min loss", r.starts(), r.converged()),
                r.status(), x.column());
    }
}
