package dev.scalelab.fitting.emergence;

import dev.scalelab.core.data.EvalRow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EmergenceTest {
    private static final Emergence.Options OPTIONS = new Emergence.Options(100, 1, 0.95);

    private static Emergence.Series series(String metric, double[] log10Params, java.util.function.DoubleUnaryOperator f,
                                           int n) {
        List<Emergence.Point> points = new ArrayList<>();
        for (double x : log10Params) {
            points.add(new Emergence.Point(Math.pow(10, x), f.applyAsDouble(x), n, null));
        }
        return new Emergence.Series("fam", "task", metric, points, 0);
    }

    private static double[] grid(double from, double to, double step) {
        int n = (int) Math.round((to - from) / step) + 1;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = from + i * step;
        }
        return x;
    }

    @Test
    void aSharpSigmoidIsEmergentWithItsMidpointRecovered() {
        Emergence.Series s = series("exact_match", grid(6, 11, 0.5),
                x -> 0.02 + 0.9 / (1 + Math.exp(-(x - 8.6) / 0.15)), 0);
        Emergence.Result r = Emergence.analyse(s, OPTIONS);
        assertThat(r.verdict()).isEqualTo(Emergence.EMERGENT);
        assertThat(r.bestModel()).isEqualTo("sigmoid");
        assertThat(Math.log10(r.sigmoid().midpointParams())).isCloseTo(8.6, within(0.05));
        assertThat(r.sigmoid().floor()).isCloseTo(0.02, within(1e-3));
        assertThat(r.sigmoid().ceiling()).isCloseTo(0.92, within(1e-3));
        assertThat(r.criterion()).isEqualTo("AICc");
        assertThat(r.sigmoid().midpointInterval()).isNull(); // no n: no interval
    }

    @Test
    void aSaturatingPowerLawIsSmooth() {
        Emergence.Series s = series("token_accuracy", grid(6, 11, 0.5), x -> 0.95 - 40 * Math.pow(10, -0.25 * x), 0);
        Emergence.Result r = Emergence.analyse(s, OPTIONS);
        assertThat(r.verdict()).isEqualTo(Emergence.SMOOTH);
        assertThat(r.powerLaw().exponent()).isCloseTo(0.25, within(1e-3));
        assertThat(r.powerLaw().limit()).isCloseTo(0.95, within(1e-3));
        assertThat(r.powerLaw().coefficient()).isCloseTo(-40, within(0.05));
    }

    @Test
    void aStraightRampInLogParamsIsSmooth() {
        Emergence.Result r = Emergence.analyse(series("exact_match", grid(6, 10, 0.5), x -> 0.1 * (x - 6), 0), OPTIONS);
        assertThat(r.verdict()).isEqualTo(Emergence.SMOOTH);
        assertThat(r.linearity()).isEqualTo(8.0);
        assertThat((Double) r.breakthroughness()).isCloseTo(8.0, within(1e-9));
    }

    @Test
    void aSingleStepIsEmergentAndReportsInfiniteBreakthroughness() {
        Emergence.Result r = Emergence.analyse(series("exact_match", grid(6, 10, 0.5), x -> x < 8.2 ? 0 : 0.8, 0), OPTIONS);
        assertThat(r.verdict()).isEqualTo(Emergence.EMERGENT);
        assertThat(r.breakthroughness()).isEqualTo("inf");
        assertThat(Math.log10(r.sigmoid().midpointParams())).isBetween(8.0, 8.5);
    }

    @Test
    void aConstantSeriesIsUndefinedAndTwoPointsAreAnErrorForThatSeriesOnly() {
        Emergence.Result flat = Emergence.analyse(series("exact_match", grid(6, 8, 0.5), x -> 0.0, 0), OPTIONS);
        assertThat(flat.verdict()).isEqualTo(Emergence.UNDEFINED);
        assertThat(flat.linearity()).isNull();
        assertThat(flat.undefined()).contains("constant");
        List<Emergence.Result> all = Emergence.analyse(List.of(
                series("exact_match", grid(6, 6.5, 0.5), x -> x, 0),
                series("token_accuracy", grid(6, 8, 0.5), x -> x / 10, 0)), OPTIONS);
        assertThat(all.get(0).error()).contains("needs at least 3");
        assertThat(all.get(1).error()).isNull();
    }

    @Test
    void midpointIntervalFromABinomialBootstrapCoversTheTruth() {
        Emergence.Series s = series("exact_match", grid(6, 11, 0.5), x -> 0.02 + 0.9 / (1 + Math.exp(-(x - 8.6) / 0.3)), 400);
        Emergence.Interval ci = Emergence.analyse(s, OPTIONS).sigmoid().midpointInterval();
        assertThat(ci).isNotNull();
        assertThat(ci.resamples()).isGreaterThan(90);
        assertThat(Math.log10(ci.lo())).isLessThan(8.6);
        assertThat(Math.log10(ci.hi())).isGreaterThan(8.6);
        assertThat(Math.log10(ci.hi()) - Math.log10(ci.lo())).isLessThan(0.5);
        // same seed, same interval
        assertThat(Emergence.analyse(s, OPTIONS).sigmoid().midpointInterval()).isEqualTo(ci);
    }

    /** Per-token accuracy p = exp(-CE), with a per-token cross-entropy that falls as a power law in N. */
    private static double tokenProbability(double log10Params) {
        return Math.exp(-4 * Math.pow(10, -0.35 * (log10Params - 5)));
    }

    private static final int ANSWER_TOKENS = 6;
    private static final int EXAMPLES = 1000;

    /**
     * Simulated evaluations of {@link #EXAMPLES} answers of {@link #ANSWER_TOKENS} tokens at each size:
     * token_accuracy and exact_match counted from the draws. Independent tokens are each right with
     * probability p; correlated answers are wholly right with probability p^L and wholly wrong otherwise.
     */
    private static List<EvalRow> simulate(double[] log10Params, boolean correlated, long seed) {
        Random rng = new Random(seed);
        List<EvalRow> rows = new ArrayList<>();
        for (double v : log10Params) {
            double p = tokenProbability(v);
            int rightTokens = 0;
            int rightAnswers = 0;
            for (int e = 0; e < EXAMPLES; e++) {
                int right = 0;
                if (correlated) {
                    right = rng.nextDouble() < Math.pow(p, ANSWER_TOKENS) ? ANSWER_TOKENS : 0;
                } else {
                    for (int t = 0; t < ANSWER_TOKENS; t++) {
                        right += rng.nextDouble() < p ? 1 : 0;
                    }
                }
                rightTokens += right;
                rightAnswers += right == ANSWER_TOKENS ? 1 : 0;
            }
            double params = Math.pow(10, v);
            rows.add(new EvalRow("toy", null, params, "add", "token_accuracy",
                    rightTokens / (double) (EXAMPLES * ANSWER_TOKENS), EXAMPLES, ANSWER_TOKENS, 0, 0, 0));
            rows.add(new EvalRow("toy", null, params, "add", "exact_match", rightAnswers / (double) EXAMPLES, EXAMPLES,
                    ANSWER_TOKENS, 0, 0, 0));
            if (!correlated) {
                rows.add(new EvalRow("toy", null, params, "add", "answer_logprob", Math.log(p), 0, ANSWER_TOKENS, 0, 0, 0));
            }
        }
        return rows;
    }

    private static Emergence.Result metric(List<Emergence.Result> results, String metric) {
        return results.stream().filter(r -> r.metric().equals(metric)).findFirst().orElseThrow();
    }

    /**
     * Schaeffer et al.'s construction, simulated: each answer token is right independently with
     * probability p, and exact match is counted from the draws, not computed as p^6. The mirage check's
     * p^L from the measured token accuracy agrees with the measured exact match within binomial noise at
     * every size, and the abrupt exact match is called a mirage of the smooth log-probability.
     */
    @Test
    void exactMatchOfIndependentTokensIsPredictedByPToTheLAndIsAMirage() {
        double[] x = grid(3, 12, 0.5); // nine decades: p^6 rises within three of them
        List<EvalRow> rows = simulate(x, false, 7);
        List<Emergence.Result> results = Emergence.analyse(Emergence.series(rows, Map.of()), OPTIONS);
        Emergence.Result exact = metric(results, "exact_match");
        assertThat(metric(results, "answer_logprob").verdict()).isEqualTo(Emergence.SMOOTH);
        assertThat(exact.verdict()).as(exact.reason()).isEqualTo(Emergence.EMERGENT);
        assertThat(exact.mirage()).isNotNull();
        assertThat(exact.mirage().answerTokens()).isEqualTo(ANSWER_TOKENS);
        assertThat(exact.mirage().exactFromTokens()).hasSize(x.length);
        double worstZ = 0;
        for (Emergence.PowerOfL point : exact.mirage().exactFromTokens()) {
            double p = tokenProbability(Math.log10(point.params()));
            double pl = Math.pow(p, ANSWER_TOKENS);
            // the observed share's binomial variance, plus the delta-method variance of p-hat^L
            double variance = pl * (1 - pl) / EXAMPLES
                    + Math.pow(ANSWER_TOKENS * Math.pow(p, ANSWER_TOKENS - 1), 2) * p * (1 - p) / (EXAMPLES * ANSWER_TOKENS);
            double error = Math.abs(point.predicted() - point.observed());
            assertThat(error).as("at N = %.3g", point.params()).isLessThanOrEqualTo(4 * Math.sqrt(variance) + 1e-12);
            worstZ = Math.max(worstZ, variance > 0 ? error / Math.sqrt(variance) : 0);
        }
        // measured with seed 7: mean |p^L - exact match| 0.0027, the worst point 1.2 standard errors off
        assertThat(worstZ).isLessThan(4);
        assertThat(exact.mirage().meanAbsoluteError()).isLessThan(0.01);
        assertThat(exact.mirage().verdict()).startsWith("mirage: exact_match looks emergent while answer_logprob");
    }

    /**
     * All-or-nothing answers: every token of an answer is right or every one is wrong, so token
     * accuracy equals exact match and p^L (p^6 of it) falls far below the exact match measured. The
     * check reports the misfit, and with token accuracy as abrupt as exact match there is no mirage.
     */
    @Test
    void exactMatchOfAllOrNothingAnswersIsNotExplainedByPToTheL() {
        double[] x = grid(3, 12, 0.5);
        List<Emergence.Result> results = Emergence.analyse(Emergence.series(simulate(x, true, 7), Map.of()), OPTIONS);
        Emergence.Result exact = metric(results, "exact_match");
        assertThat(exact.verdict()).as(exact.reason()).isEqualTo(Emergence.EMERGENT);
        Emergence.Mirage mirage = exact.mirage();
        assertThat(mirage.exactFromTokens()).hasSize(x.length);
        double worst = 0;
        for (Emergence.PowerOfL point : mirage.exactFromTokens()) {
            assertThat(point.tokenAccuracy()).isEqualTo(point.observed()); // wholly right or wholly wrong
            worst = Math.max(worst, point.observed() - point.predicted());
        }
        // at a share of 1/2, p^6 predicts 1/64: the misfit is many binomial standard errors (at most 0.016)
        // wide; measured with seed 7: mean |p^L - exact match| 0.19, the worst point 0.58 below the share seen
        assertThat(worst).isGreaterThan(0.3);
        assertThat(mirage.meanAbsoluteError()).isGreaterThan(0.05);
        assertThat(mirage.verdict()).isEqualTo("emergent under every metric: exact_match and token_accuracy");
    }
}
