package dev.scalelab.fitting;

import dev.scalelab.fitting.fit.Broken;
import dev.scalelab.fitting.law.BrokenPowerLaw;
import dev.scalelab.fitting.law.ScalingLaw;
import dev.scalelab.fitting.law.Axis;

import java.util.List;
import java.util.Map;

/** A smoothly broken power law with one break (Caballero et al. 2022), fitted by least squares on log L. */
final class BrokenSpec extends OneVariableSpec {
    @Override
    public String summary() {
        return "(a smoothly broken power law with one break, Caballero et al. 2022)";
    }

    @Override
    public List<String> predictors() {
        return List.of("a", "b", "c0", "c1", "d1", "f1");
    }

    @Override
    ScalingLaw law(Axis x, Map<String, Double> p) {
        return new BrokenPowerLaw(x, p.get("a"), p.get("b"), p.get("c0"), p.get("c1"), p.get("d1"), p.get("f1"));
    }

    @Override
    public FitCard fit(FitData d, Fitter.Options o) {
        Axis x = o.axis();
        double[] xs = d.positive(x.column());
        Broken.Result r = Broken.fit(x, xs, d.loss(), null, null);
        return FitCards.withBootstrap(d, o, r.law(),
                (k, counts) -> Broken.fit(x, xs, d.loss(), counts, r.theta()).law().parameters(),
                new FitCard.Objective("sum of squared log residuals", r.objective()),
                new FitCard.Starts("break at the x quartiles x c0 {0.05,0.3} x c1 {-0.2,0.2,0.6} x floor "
                        + "{0.5,0.9}*min loss", r.starts(), r.converged()), r.status(), x.column());
    }
}
