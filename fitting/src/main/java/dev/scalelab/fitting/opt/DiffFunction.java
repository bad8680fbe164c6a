package dev.scalelab.fitting.opt;

/** A smooth objective: returns f(x) and writes ∇f(x) into {@code gradient}. */
@FunctionalInterface
public interface DiffFunction {
    double valueAndGradient(double[] x, double[] gradient);
}
