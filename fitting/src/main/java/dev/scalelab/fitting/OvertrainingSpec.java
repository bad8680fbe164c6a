package dev.scalelab.fitting;

import dev.scalelab.fitting.law.Variable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Scaling with over-training (Gadre et al. 2024, "Language models scale reliably with over-training and
 * on downstream tasks", eq. 4): the loss in compute C = 6·N·D and the token multiplier M = D/N,
 * L(C, M) = E + (a·M^η + b·M^−η)·C^−η. It is the Chinchilla surface with equal exponents rewritten in
 * (C, M), so a fixed M gives a power law in C whose exponent does not depend on M: small runs at many
 * multipliers predict a large model trained far past its compute-optimal multiplier. Fitted as its
 * authors did (mlfoundations/scaling, {@code scaling/shared.py::fit_ds}: {@code curve_fit} on the loss),
 * by least squares on L itself, from a grid of E and η with a and b by least squares at each start.
 */
final class OvertrainingSpec extends ColumnLawSpec {
    @Override
    public String summary() {
        return "(L = E + (a·M^eta + b·M^-eta)·C^-eta, C = 6ND, M = D/N; Gadre et al. 2024 eq. 4)";
    }

    @Override
    public List<String> predictors() {
        return List.of("E", "a", "b", "eta");
    }

    @Override
    public List<String> inputs() {
        return List.of("params", "tokens");
    }

    @Override
    public String response() {
        return "loss";
    }

    @Override
    public Set<Predicts> predicts(Variable x) {
        return EnumSet.of(Predicts.LOSS_OF_MODEL);
    }

    @Override
    double value(double[] t, double[] x) {
        double m = x[1] / x[0];
        double c = 6 * x[0] * x[1];
        return t[0] + (t[1] * Math.pow(m, t[3]) + t[2] * Math.pow(m, -t[3])) * Math.pow(c, -t[3]);
    }

    @Override
    String formula(double[] t) {
        return "L = " + g(t[0]) + " + (" + g(t[1]) + "·M^" + g(t[3]) + " + " + g(t[2]) + "·M^-" + g(t[3])
                + ")·C^-" + g(t[3]) + ", C = 6ND, M = D/N";
    }

    @Override
    boolean logSpace() {
        return false;
    }

    /** E {0, 0.5, 0.9}·lowest loss x η {0.05, 0.15, 0.3}; a and b by linear least squares at each. */
    @Override
    double[][] starts(double[][] x, double[] y) {
        double minLoss = Arrays.stream(y).min().orElse(1);
        List<double[]> out = new ArrayList<>();
        for (double f : new double[] {0, 0.5, 0.9}) {
            for (double eta : new double[] {0.05, 0.15, 0.3}) {
                double e = f * minLoss;
                double s11 = 0;
                double s12 = 0;
                double s22 = 0;
                double r1 = 0;
                double r2 = 0;
                for (int i = 0; i < y.length; i++) {
                    double m = x[i][1] / x[i][0];
                    double cEta = Math.pow(6 * x[i][0] * x[i][1], -eta);
                    double u = Math.pow(m, eta) * cEta;
                    double v = Math.pow(m, -eta) * cEta;
                    s11 += u * u;
                    s12 += u * v;
                    s22 += v * v;
                    r1 += u * (y[i] - e);
                    r2 += v * (y[i] - e);
                }
                double det = s11 * s22 - s12 * s12;
                double a = det != 0 ? (r1 * s22 - r2 * s12) / det : r1 / s11;
                double b = det != 0 ? (s11 * r2 - s12 * r1) / det : 0;
                out.add(new double[] {e, Math.max(a, 1e-9), Math.max(b, 1e-9), eta});
            }
        }
        return out.toArray(double[][]::new);
    }

    @Override
    String startsDescription() {
        return "E {0,0.5,0.9}·lowest loss x eta {0.05,0.15,0.3}, a and b by least squares";
    }
}
