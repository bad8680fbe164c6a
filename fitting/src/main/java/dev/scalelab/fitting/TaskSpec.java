package dev.scalelab.fitting;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Step 2 of the task-scaling ladder (Bhagia et al. 2024, "Establishing Task Scaling Laws via
 * Compute-Efficient Model Ladders", eq. 2): a task's accuracy from its loss (or bits per byte) through a
 * sigmoid, Acc = a / (1 + exp(−k·(L − L0))) + b, a table with {@code loss} and {@code accuracy} columns.
 * In the authors' convention and bounds (allenai/OLMo-ladder, {@code src/scripts/step2.py}): b ∈ [0, 1] is
 * the accuracy of a model of loss far below L0, a ∈ [−1, 0] what the accuracy loses toward chance (a + b)
 * as the loss rises, k ≥ 0 how steeply, L0 ≥ 0 where. Fitted by least squares on the accuracy within those
 * bounds (searched through transforms that keep them); the authors add the ideal point (loss 0, accuracy 1)
 * to the table. Step 1, (N, D) to the task's
 * loss, is any loss card ({@code chinchilla}, say); {@code predict CARD1 CARD2} chains the two.
 */
final class TaskSpec extends ColumnLawSpec {
    @Override
    public String summary() {
        return "(Acc = a / (1 + exp(-k·(L - L0))) + b, a in [-1,0], k >= 0, b in [0,1]: accuracy from task loss; "
                + "Bhagia et al. 2024 step 2; columns loss, accuracy; chain with a loss card in 'predict CARD1 CARD2')";
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
        return "Acc = " + g(t[0]) + " / (1 + exp(-" + g(t[1]) + "·(L - " + g(t[2]) + "))) + " + g(t[3]);
    }

    @Override
    boolean logSpace() {
        return false;
    }

    @Override
    double[] lower() {
        return new double[] {-1, 0, 0, 0};
    }

    @Override
    double[] upper() {
        return new double[] {0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1};
    }

    @Override
    void check(String source, double[][] x, double[] y) {
        for (double a : y) {
            require(a >= 0 && a <= 1, source, "accuracy", "an accuracy of " + a + " is outside [0, 1]",
                    "give accuracy as a fraction of examples right");
        }
        if (Arrays.stream(y).distinct().count() < 2) {
            throw new dev.scalelab.core.NoUsableFitException("every accuracy is " + y[0] + ", so no sigmoid can say "
                    + "how accuracy moves with the loss; the task needs models that differ on it");
        }
    }

    /**
     * The authors' start (chance − 1, 0.9, 3, 1) with chance read as the lowest accuracy, and L0 also at the
     * loss quartiles and k over a decade.
     */
    @Override
    double[][] starts(double[][] x, double[] y) {
        double lo = Arrays.stream(y).min().orElse(0);
        double[] l = Arrays.stream(x).mapToDouble(r -> r[0]).sorted().toArray();
        List<double[]> out = new ArrayList<>();
        out.add(new double[] {lo - 1, 3, 0.9, 1});
        for (double q : new double[] {0.25, 0.5, 0.75}) {
            for (double k : new double[] {1, 3, 10}) {
                out.add(new double[] {lo - 1, k, l[(int) Math.round(q * (l.length - 1))], 1});
            }
        }
        return out.toArray(double[][]::new);
    }

    @Override
    String startsDescription() {
        return "a = lowest accuracy - 1, b = 1, (k, L0) (3, 0.9) and {1,3,10} x loss quartiles; bounds a [-1,0], "
                + "k >= 0, L0 >= 0, b [0,1]";
    }
}
