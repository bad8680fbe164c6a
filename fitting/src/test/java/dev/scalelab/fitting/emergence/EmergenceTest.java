package dev.scalelab.fitting.emergence;

import dev.scalelab.core.data.EvalRow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /**
     * Schaeffer et al.'s construction: per-token accuracy p = exp(-CE) with a per-token cross-entropy
     * that falls as a power law in N; exact match of L = 6 tokens is p^6, which looks abrupt.
     */
    @Test
    void exactMatchAsAPowerOfTokenAccuracyIsAMirage() {
        double[] x = grid(3, 12, 0.5); // nine decades: p^6 rises within three of them
        java.util.function.DoubleUnaryOperator p = v -> Math.exp(-4 * Math.pow(10, -0.35 * (v - 5)));
        List<EvalRow> rows = new ArrayList<>();
        for (double v : x) {
            double params = Math.pow(10, v);
            rows.add(new EvalRow("toy", null, params, "add", "token_accuracy", p.applyAsDouble(v), 0, 6, 0, 0, 0));
            rows.add(new EvalRow("toy", null, params, "add", "exact_match", Math.pow(p.applyAsDouble(v), 6), 0, 6, 0, 0, 0));
            rows.add(new EvalRow("toy", null, params, "add", "answer_logprob", -4 * Math.pow(10, -0.35 * (v - 5)), 0, 6, 0, 0, 0));
        }
        List<Emergence.Result> results = Emergence.analyse(Emergence.series(rows, Map.of()), OPTIONS);
        Emergence.Result exact = results.stream().filter(r -> r.metric().equals("exact_match")).findFirst().orElseThrow();
        Emergence.Result logprob = results.stream().filter(r -> r.metric().equals("answer_logprob")).findFirst().orElseThrow();
        assertThat(logprob.verdict()).isEqualTo(Emergence.SMOOTH);
        assertThat(exact.mirage()).isNotNull();
        assertThat(exact.mirage().answerTokens()).isEqualTo(6);
        assertThat(exact.mirage().meanAbsoluteError()).isCloseTo(0.0, within(1e-12));
        assertThat(exact.mirage().exactFromTokens()).hasSize(x.length);
        assertThat(exact.verdict()).as(exact.reason()).isEqualTo(Emergence.EMERGENT);
        assertThat(exact.mirage().verdict()).startsWith("mirage: exact_match looks emergent while answer_logprob");
    }
}
