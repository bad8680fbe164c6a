package dev.scalelab.fitting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Step 2 of the task-scaling ladder (Bhagia et al. 2024, "Establishing Task Scaling Laws via
 * Compute-Efficient Model Ladders", eq. 2): a task's accuracy from its loss (or bits per byte) through a
 * sigmoid, Acc = a / (1 + exp(−k·(L − L0))) + b, a table with {@code loss} and {@code accuracy} columns.
 * b is the accuracy far above L0 (chance), a + b far below it; k is negative when accuracy rises as the
 * loss falls. Fitted by least squares on the accuracy. Step 1, (N, D) to the task's loss, is any loss
 * card ({@code chinchilla}, say); {@code predict CARD1 CARD2} chains the two.
 */
final class TaskSpec extends ColumnLawSpec {
    @Override
    public String summary() {
        return "(Acc = a / (1 + exp(-k·(L - L0))) + b, accuracy from task loss; Bhagia et al. 2024 step 2; columns "
                + "loss, accuracy; chain with a loss card in 'predict CARD1 CARD2')";
    }

    @Override
    public List<String> predictors() {
        return List.of("a", "k", "L0", "b");
    }

    @Override
    public List<String> inputs() {
        return List.of("loss");
    }

    @Override
    public String response() {
        return "accuracy";
    }

    @Override
    double value(double[] t, double[] x) {
        return t[0] / (1 + Math.exp(-t[1] * (x[0] - t[2]))) + t[3];
    }

    @Override
    String formula(double[] t) {
        return "Acc = " + g(t[0]) + " / (1 + exp(-(" + g(t[1]) + ")·(L - " + g(t[2]) + "))) + " + g(t[3]);
    }

    @Override
    boolean logSpace() {
        return false;
    }

    @Override
    void check(String source, double[][] x, double[] y) {
        for (double a : y) {
            require(a > 0 && a <= 1, source, "accuracy", "an accuracy of " + a + " is outside (0, 1]",
                    "give accuracy as a fraction of examples right");
        }
    }

    /** b at the lowest accuracy, a the range, L0 at the quartiles and median of the loss, k over a decade. */
    @Override
    double[][] starts(double[][] x, double[] y) {
        double lo = Arrays.stream(y).min().orElse(0);
        double hi = Arrays.stream(y).max().orElse(1);
        double[] l = Arrays.stream(x).mapToDouble(r -> r[0]).sorted().toArray();
        double range = Math.max(l[l.length - 1] - l[0], 1e-6);
        List<double[]> out = new ArrayList<>();
        for (double q : new double[] {0.25, 0.5, 0.75}) {
            double l0 = l[(int) Math.round(q * (l.length - 1))];
            for (double k : new double[] {-2, -6, -20}) {
                out.add(new double[] {Math.max(hi - lo, 1e-3), k / range, l0, lo});
            }
        }
        return out.toArray(double[][]::new);
    }

    @Override
    String startsDescription() {
        return "L0 {loss quartiles, median} x k {-2,-6,-20}/loss range, a = accuracy range, b = lowest accuracy";
    }
}
