package dev.scalelab.fitting.law;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** L = E + A·X^(−α): a power law above an irreducible loss E (Hestness et al. 2017; Henighan et al. 2020). */
public record SaturatingPowerLaw(Axis x, double e, double a, double alpha) implements ScalingLaw {
    /** The law in params, tokens or flops. */
    public SaturatingPowerLaw(Variable x, double e, double a, double alpha) {
        this(Axis.of(x), e, a, alpha);
    }

    @Override
    public String formula() {
        return String.format(Locale.ROOT, "L = %.6g + %.6g * %s^(-%.6g)", e, a, x.symbol(), alpha);
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("E", e);
        p.put("A", a);
        p.put("alpha", alpha);
        return p;
    }

    @Override
    public double predict(Point point) {
        return e + a * Math.pow(x.of(point), -alpha);
    }
}
