package dev.scalelab.fitting;

import java.util.ArrayList;
import java.util.List;

/**
 * Downstream error from loss (Gadre et al. 2024, "Language models scale reliably with over-training and
 * on downstream tasks", eq. 5): the average top-1 error Err = ε − k·exp(−γ·L), a table with {@code loss}
 * and {@code error} columns. ε is the error of a model of infinite loss (chance), and the error falls
 * toward ε − k·exp(−γ·E) as the loss falls. Fitted, as the authors did, by least squares on the error.
 */
final class ErrorFromLossSpec extends ColumnLawSpec {
    @Override
    public String summary() {
        return "(Err = epsilon - k·exp(-gamma·L), downstream error from loss; Gadre et al. 2024 eq. 5; columns "
                + "loss, error)";
    }

    @Override
    public List<String> predictors() {
        return List.of("epsilon", "k", "gamma");
    }

    @Override
    public List<String> inputs() {
        return List.of("loss");
    }

    @Override
    public String response() {
        return "error";
    }

    @Override
    double value(double[] t, double[] x) {
        return t[0] - t[1] * Math.exp(-t[2] * x[0]);
    }

    @Override
    String formula(double[] t) {
        return "Err = " + g(t[0]) + " - " + g(t[1]) + "·exp(-" + g(t[2]) + "·L)";
    }

    @Override
    boolean logSpace() {
        return false;
    }

    @Override
    void check(String source, double[][] x, double[] y) {
        for (double e : y) {
            require(e > 0 && e <= 1, source, "error", "an error of " + e + " is outside (0, 1]",
                    "give the top-1 error as a fraction, 1 - accuracy");
        }
    }

    /** ε at the largest error and at 1, γ over a decade; k by least squares at each. */
    @Override
    double[][] starts(double[][] x, double[] y) {
        double maxError = 0;
        for (double e : y) {
            maxError = Math.max(maxError, e);
        }
        List<double[]> out = new ArrayList<>();
        for (double eps : new double[] {Math.min(1, maxError * 1.05), 1.0}) {
            for (double gamma : new double[] {0.3, 1, 3}) {
                double num = 0;
                double den = 0;
                for (int i = 0; i < y.length; i++) {
                    double u = Math.exp(-gamma * x[i][0]);
                    num += (eps - y[i]) * u;
                    den += u * u;
                }
                out.add(new double[] {eps, num / den, gamma});
            }
        }
        return out.toArray(double[][]::new);
    }

    @Override
    String startsDescription() {
        return "epsilon {1.05·max error, 1} x gamma {0.3,1,3}, k by least squares";
    }
}
