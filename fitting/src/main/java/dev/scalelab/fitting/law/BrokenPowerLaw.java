package dev.scalelab.fitting.law;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A smoothly broken power law with one break (Caballero et al. 2022, eq. 1 with n = 1):
 * L = a + b·X^(−c0)·(1 + (X/d1)^(1/f1))^(−c1·f1). Below the break d1 the slope is c0, above it
 * c0 + c1; f1 sets how sharp the bend is.
 */
public record BrokenPowerLaw(Axis x, double a, double b, double c0, double c1, double d1, double f1)
        implements ScalingLaw {
    /** The law in params, tokens or flops. */
    public BrokenPowerLaw(Variable x, double a, double b, double c0, double c1, double d1, double f1) {
        this(Axis.of(x), a, b, c0, c1, d1, f1);
    }

    @Override
    public String formula() {
        return String.format(Locale.ROOT, "L = %.6g + %.6g * %s^(-%.6g) * (1 + (%s/%.6g)^(1/%.6g))^(-%.6g*%.6g)",
                a, b, x.symbol(), c0, x.symbol(), d1, f1, c1, f1);
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("a", a);
        p.put("b", b);
        p.put("c0", c0);
        p.put("c1", c1);
        p.put("d1", d1);
        p.put("f1", f1);
        return p;
    }

    public static double value(double a, double b, double c0, double c1, double d1, double f1, double x) {
        return a + b * Math.pow(x, -c0) * Math.pow(1 + Math.pow(x / d1, 1 / f1), -c1 * f1);
    }

    @Override
    public double predict(Point p) {
        return value(a, b, c0, c1, d1, f1, x.of(p));
    }
}
