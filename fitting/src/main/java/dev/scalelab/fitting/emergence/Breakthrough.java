package dev.scalelab.fitting.emergence;

import java.util.Arrays;

/**
 * Total improvement, linearity and breakthroughness of a series sorted by model scale (Srivastava
 * et al. 2022, "Beyond the Imitation Game", arXiv:2206.04615, Appendix B). With the consecutive
 * differences Δyᵢ = yᵢ₊₁ − yᵢ (i = 1..n−1, models in increasing scale; the scale only orders them):
 * <pre>
 *   I(y) = sign(argmax y − argmin y) · (max y − min y)
 *   L(y) = I(y) / sqrt(mean Δyᵢ²)      linearity: large when the change is spread evenly
 *   B(y) = I(y) / sqrt(median Δyᵢ²)    breakthroughness: large when one step carries the change
 * </pre>
 * argmax and argmin are the first positions of the maximum and minimum; the median of an even count
 * is the mean of the two middle squared differences. I is positive when the best value comes at a
 * larger model than the worst, so a metric where lower is better (edit distance, Brier) improves
 * with I &lt; 0. A straight line over n models has L = B = n − 1; a single step has L = √(n−1) and B
 * = ∞. Defined behaviour: fewer than 3 points is an error; a constant series (0/0) leaves L and B
 * undefined (NaN, with the reason); a zero median with a non-zero I makes B = ±∞.
 */
public record Breakthrough(double totalImprovement, double linearity, double breakthroughness, String undefined) {

    public static Breakthrough of(double[] ySortedByScale) {
        double[] y = ySortedByScale;
        if (y.length < 3) {
            throw new IllegalArgumentException("needs at least 3 points, got " + y.length);
        }
        int argMax = 0;
        int argMin = 0;
        for (int i = 1; i < y.length; i++) {
            if (y[i] > y[argMax]) {
                argMax = i;
            }
            if (y[i] < y[argMin]) {
                argMin = i;
            }
        }
        double range = y[argMax] - y[argMin];
        if (range == 0) {
            return new Breakthrough(0, Double.NaN, Double.NaN, "the series is constant (0/0)");
        }
        double improvement = Math.signum(argMax - argMin) * range;
        double[] squares = new double[y.length - 1];
        double sum = 0;
        for (int i = 0; i < squares.length; i++) {
            double d = y[i + 1] - y[i];
            squares[i] = d * d;
            sum += squares[i];
        }
        Arrays.sort(squares);
        int m = squares.length;
        double median = m % 2 == 1 ? squares[m / 2] : (squares[m / 2 - 1] + squares[m / 2]) / 2;
        double linearity = improvement / Math.sqrt(sum / m);
        double breakthroughness = median == 0 ? Math.copySign(Double.POSITIVE_INFINITY, improvement)
                : improvement / Math.sqrt(median);
        return new Breakthrough(improvement, linearity, breakthroughness, null);
    }
}
