package dev.scalelab.fitting.law;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** L = A·X^(−α) (Kaplan et al. 2020, eqs. 1.1-1.3; Hestness et al. 2017). */
public record PowerLaw(Axis x, double a, double alpha) implements ScalingLaw {
    /** The law in params, tokens or flops. */
    public PowerLaw(Variable x, double a, double alpha) {
        this(Axis.of(x), a, alpha);
    }

    @Override
    public String formula() {
        return String.format(Locale.ROOT, "L = %.6g * %s^(-%.6g)", a, x.symbol(), alpha);
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("A", a);
        p.put("alpha", alpha);
        return p;
    }

    @Override
    public double predict(Point point) {
        return a * Math.pow(x.of(point), -alpha);
    }
}
