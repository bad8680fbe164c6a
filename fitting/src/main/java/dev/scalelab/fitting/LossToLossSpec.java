package dev.scalelab.fitting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Loss-to-loss prediction (Brandfonbrener et al. 2024, "Loss-to-Loss Prediction: Scaling Laws for All
 * Datasets", eq. 2): one validation loss from another across the same models, L_B = K·(L_A − E_A)^κ + E_B,
 * a table with {@code loss_a} and {@code loss_b} columns; E_A and E_B are the two sets' irreducible losses.
 * With both held ({@code --fix E_A=... --fix E_B=...}, the floors of each set's own scaling law), as the
 * authors fit it (KempnerInstitute/loss-to-loss-notebooks, {@code utils_plotting.py}), κ and log K are the
 * ordinary least squares line of log(L_B − E_B) on log(L_A − E_A); otherwise all four are fitted by least
 * squares on log L_B.
 */
final class LossToLossSpec extends ColumnLawSpec {
    @Override
    public String summary() {
        return "(L_B = K·(L_A - E_A)^kappa + E_B, one loss from another; Brandfonbrener et al. 2024; columns loss_a, "
                + "loss_b)";
    }

    @Override
    public List<String> predictors() {
        return List.of("K", "kappa", "E_A", "E_B");
    }

    @Override
    public List<String> inputs() {
        return List.of("loss_a");
    }

    @Override
    public String response() {
        return "loss_b";
    }

    @Override
    double value(double[] t, double[] x) {
        double gap = x[0] - t[2];
        return gap > 0 ? t[0] * Math.pow(gap, t[1]) + t[3] : Double.NaN;
    }

    @Override
    String formula(double[] t) {
        return "L_B = " + g(t[0]) + "·(L_A - " + g(t[2]) + ")^" + g(t[1]) + " + " + g(t[3]);
    }

    @Override
    boolean logSpace() {
        return true;
    }

    @Override
    void check(String source, double[][] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            require(y[i] > 0 && x[i][0] > 0, source, y[i] > 0 ? "loss_a" : "loss_b", "a loss must be positive",
                    "give losses in nats (or bits) per token");
        }
    }

    /** The authors' line in logs, when both floors are held and K and κ are free. */
    @Override
    Exact exact(double[][] x, double[] y, double[] weight, double[] held) {
        if (Double.isNaN(held[2]) || Double.isNaN(held[3]) || !Double.isNaN(held[0]) || !Double.isNaN(held[1])) {
            return null;
        }
        double sw = 0;
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < y.length; i++) {
            double w = weight == null ? 1 : weight[i];
            sw += w;
            sx += w * Math.log(x[i][0] - held[2]);
            sy += w * Math.log(y[i] - held[3]);
        }
        double mx = sx / sw;
        double my = sy / sw;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < y.length; i++) {
            double w = weight == null ? 1 : weight[i];
            double dx = Math.log(x[i][0] - held[2]) - mx;
            sxy += w * dx * (Math.log(y[i] - held[3]) - my);
            sxx += w * dx * dx;
        }
        double kappa = sxy / sxx;
        double logK = my - kappa * mx;
        double sse = 0;
        for (int i = 0; i < y.length; i++) {
            double w = weight == null ? 1 : weight[i];
            double r = Math.log(y[i] - held[3]) - logK - kappa * Math.log(x[i][0] - held[2]);
            sse += w * r * r;
        }
        if (!Double.isFinite(kappa) || !Double.isFinite(logK)) {
            throw new dev.scalelab.core.NoUsableFitException("with E_A " + held[2] + " and E_B " + held[3]
                    + " held, some loss is at or below its floor; hold floors below every loss");
        }
        return new Exact(new double[] {Math.exp(logK), kappa, held[2], held[3]}, sse,
                "sum of squared residuals of log(L_B - E_B) on log(L_A - E_A), the floors held");
    }

    /** E_A, E_B at {0, 0.5, 0.9} of each set's lowest loss, κ {0.5, 1, 2}; K by least squares at each. */
    @Override
    double[][] starts(double[][] x, double[] y) {
        double minA = Arrays.stream(x).mapToDouble(r -> r[0]).min().orElse(1);
        double minB = Arrays.stream(y).min().orElse(1);
        List<double[]> out = new ArrayList<>();
        for (double fa : new double[] {0, 0.5, 0.9}) {
            for (double fb : new double[] {0, 0.5, 0.9}) {
                for (double kappa : new double[] {0.5, 1, 2}) {
                    double num = 0;
                    double den = 0;
                    for (int i = 0; i < y.length; i++) {
                        double u = Math.pow(x[i][0] - fa * minA, kappa);
                        num += (y[i] - fb * minB) * u;
                        den += u * u;
                    }
                    out.add(new double[] {Math.max(num / den, 1e-6), kappa, fa * minA, fb * minB});
                }
            }
        }
        return out.toArray(double[][]::new);
    }

    @Override
    String startsDescription() {
        return "E_A, E_B {0,0.5,0.9}·lowest loss x kappa {0.5,1,2}, K by least squares";
    }
}
