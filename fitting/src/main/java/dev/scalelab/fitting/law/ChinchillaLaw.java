package dev.scalelab.fitting.law;

import dev.scalelab.core.model.FlopCount;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Chinchilla loss surface L(N, D) = E + A/N^α + B/D^β (Hoffmann et al. 2022, eq. 2), with its
 * compute-optimal allocation under C = k·N·D (their eq. 4, k = 6 by default):
 * N*(C) = G·(C/k)^a, D*(C) = G⁻¹·(C/k)^b, G = (αA/(βB))^(1/(α+β)), a = β/(α+β), b = α/(α+β).
 * Under a FLOP count that depends on shape (C = f(N)·D, {@link FlopCount}) the optimum has no closed
 * form and is found along the budget's constraint ({@link #optimum}).
 */
public record ChinchillaLaw(double e, double a, double b, double alpha, double beta) implements ScalingLaw {
    @Override
    public String formula() {
        return String.format(Locale.ROOT, "L = %.6g + %.6g/N^%.6g + %.6g/D^%.6g", e, a, alpha, b, beta);
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("E", e);
        p.put("A", a);
        p.put("B", b);
        p.put("alpha", alpha);
        p.put("beta", beta);
        p.put("a", paramsExponent());
        p.put("b", tokensExponent());
        return p;
    }

    public double loss(double params, double tokens) {
        return e + a / Math.pow(params, alpha) + b / Math.pow(tokens, beta);
    }

    @Override
    public double predict(Point point) {
        return loss(point.params(), point.tokens());
    }

    /** a = β/(α+β): N* ∝ C^a. */
    public double paramsExponent() {
        return beta / (alpha + beta);
    }

    /** b = α/(α+β): D* ∝ C^b. */
    public double tokensExponent() {
        return alpha / (alpha + beta);
    }

    /** G = (αA/(βB))^(1/(α+β)) of eq. 4: N* = G·(C/k)^a. */
    public double allocationConstant() {
        return Math.pow(alpha * a / (beta * b), 1 / (alpha + beta));
    }

    /** N*(C) under C = k·N·D. */
    public double optimalParams(double flops, double flopsPerParamToken) {
        return allocationConstant() * Math.pow(flops / flopsPerParamToken, paramsExponent());
    }

    /** D*(C) = C / (k·N*). */
    public double optimalTokens(double flops, double flopsPerParamToken) {
        return flops / (flopsPerParamToken * optimalParams(flops, flopsPerParamToken));
    }

    /** A budget's compute-optimal parameters and tokens. */
    public record Allocation(double params, double tokens) {
    }

    /**
     * The compute-optimal allocation of {@code flops} under {@code count}: eq. 4 when C = k·N·D;
     * otherwise N* minimises L(N, C/f(N)) over log N (Brent's method; the loss is convex in log N
     * there, as A·N^-α is and B·(f(N)/C)^β is for f a sum of powers of N), and D* = C/f(N*).
     */
    public Allocation optimum(double flops, FlopCount count) {
        if (count.proportional()) {
            double k = count.k();
            return new Allocation(optimalParams(flops, k), optimalTokens(flops, k));
        }
        double hi = Math.log(count.maxParams(flops));
        UnivariateObjectiveFunction f = new UnivariateObjectiveFunction(u -> {
            double n = Math.exp(u);
            return loss(n, count.tokens(flops, n));
        });
        double u = new BrentOptimizer(1e-13, 1e-13).optimize(new MaxEval(10_000), f, GoalType.MINIMIZE,
                new SearchInterval(0, hi, 0.5 * hi)).getPoint();
        double n = Math.exp(u);
        return new Allocation(n, count.tokens(flops, n));
    }
}
