package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Predictions from fit cards, checked against the laws' formulas written out here. */
class PredictorTest {
    // Hoffmann et al. 2022, eq. 10
    private static final double E = 1.69;
    private static final double A = 406.4;
    private static final double B = 410.7;
    private static final double ALPHA = 0.34;
    private static final double BETA = 0.28;

    private static FitCard card(String law, String variable, Map<String, Double> values, dev.scalelab.core.model.FlopCount convention,
                                FitCard.BootstrapDetail bootstrap) {
        Map<String, FitCard.Estimate> p = new LinkedHashMap<>();
        values.forEach((k, v) -> p.put(k, new FitCard.Estimate(v, null, null)));
        return new FitCard(FitCard.CARD_VERSION, law, variable, "", p, null, null, dev.scalelab.fitting.fit.FitStatus.CONVERGED, 10, List.of(), "",
                convention, null, null, bootstrap, null, null, "test", "");
    }

    private static Map<String, Double> hoffmann() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("E", E);
        p.put("A", A);
        p.put("B", B);
        p.put("alpha", ALPHA);
        p.put("beta", BETA);
        p.put("a", BETA / (ALPHA + BETA));
        p.put("b", ALPHA / (ALPHA + BETA));
        return p;
    }

    @Test
    void aChinchillaCardGivesTheLossOfAModelWithItsBootstrapInterval() {
        // five resamples that differ only in E: the loss interval is E's percentiles plus the rest of the law
        List<String> columns = List.of("E", "A", "B", "alpha", "beta", "a", "b");
        double[][] samples = new double[5][];
        for (int s = 0; s < 5; s++) {
            samples[s] = new double[] {1.6 + 0.1 * s, A, B, ALPHA, BETA, BETA / (ALPHA + BETA), ALPHA / (ALPHA + BETA)};
        }
        FitCard card = card("chinchilla", null, hoffmann(), dev.scalelab.core.model.FlopCount.SIX_N,
                new FitCard.BootstrapDetail(5, 1, 0.5, 0, columns, samples));
        FitCard.Estimate loss = new Predictor(card, "card.json").atModel(1e9, 2e10).outputs().get("loss");
        double rest = A / Math.pow(1e9, ALPHA) + B / Math.pow(2e10, BETA);
        assertThat(loss.value()).isCloseTo(E + rest, within(1e-12));
        assertThat(loss.lo()).isCloseTo(1.7 + rest, within(1e-12));
        assertThat(loss.hi()).isCloseTo(1.9 + rest, within(1e-12));
        assertThatThrownBy(() -> new Predictor(card, "card.json").atModel(1e9, Double.NaN))
                .isInstanceOf(NotPredictable.class).hasMessageContaining("needs both params and tokens");
    }

    @Test
    void theComputeOptimumIsHoffmannsEquationFourUnderTheCardsFlopConvention() {
        for (double k : new double[] {6, 8}) {
            FitCard card = card("chinchilla", null, hoffmann(), dev.scalelab.core.model.FlopCount.proportional(k), null);
            Predictor.Prediction p = new Predictor(card, "card.json").atBudget(1e21);
            // N*(C) = G (C/k)^(beta/(alpha+beta)), G = (alpha A / (beta B))^(1/(alpha+beta)); D* = C / (k N*)
            double g = Math.pow(ALPHA * A / (BETA * B), 1 / (ALPHA + BETA));
            double n = g * Math.pow(1e21 / k, BETA / (ALPHA + BETA));
            double d = 1e21 / (k * n);
            assertThat(p.outputs().get("params").value()).isCloseTo(n, within(1e-9 * n));
            assertThat(p.outputs().get("tokens").value()).isCloseTo(d, within(1e-9 * d));
            assertThat(p.outputs().get("tokensPerParam").value()).isCloseTo(d / n, within(1e-9 * d / n));
            assertThat(p.outputs().get("loss").value())
                    .isCloseTo(E + A / Math.pow(n, ALPHA) + B / Math.pow(d, BETA), within(1e-12));
            assertThat(p.outputs().get("loss").lo()).isNull(); // no resamples, no interval
            assertThat(p.inputs()).containsEntry("flops", 1e21);
        }
    }

    @Test
    void anIsoflopCardAllocatesButGivesNoLoss() {
        Map<String, Double> v = Map.of("a", 0.5, "b", 0.5, "k_N", 0.1, "k_D", 1.6);
        Predictor p = new Predictor(card("isoflop", null, v, dev.scalelab.core.model.FlopCount.SIX_N, null), "iso.json");
        Predictor.Prediction at = p.atBudget(1e20);
        assertThat(at.outputs().get("params").value()).isCloseTo(1e9, within(1e-3));
        assertThat(at.outputs().get("tokens").value()).isCloseTo(1.6e10, within(1e-2));
        assertThat(at.outputs()).doesNotContainKey("loss");
        assertThatThrownBy(() -> p.atModel(1e9, 1e10)).isInstanceOf(NotPredictable.class)
                .hasMessageContaining("predicts allocations, not losses");
    }

    @Test
    void oneVariableLawsReadTheirVariableOnly() {
        Predictor saturating = new Predictor(card("saturating", "params", Map.of("E", 2.0, "A", 100.0, "alpha", 0.5),
                dev.scalelab.core.model.FlopCount.SIX_N, null), "s.json");
        // L(N) = E + A / N^alpha
        assertThat(saturating.atModel(1e6, Double.NaN).outputs().get("loss").value()).isCloseTo(2.1, within(1e-12));
        assertThatThrownBy(() -> saturating.atModel(Double.NaN, 1e6)).isInstanceOf(NotPredictable.class)
                .hasMessageContaining("function of params");
        assertThatThrownBy(() -> saturating.atBudget(1e20)).isInstanceOf(NotPredictable.class)
                .hasMessageContaining("function of params");
        Predictor kaplan = new Predictor(card("kaplan", null, Map.of("N_c", 8.8e13, "D_c", 5.4e13, "alpha_N", 0.076,
                "alpha_D", 0.095), dev.scalelab.core.model.FlopCount.SIX_N, null), "k.json");
        // Kaplan et al. 2020, eq. 1.5: L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D
        double expected = Math.pow(Math.pow(8.8e13 / 1e9, 0.076 / 0.095) + 5.4e13 / 2e10, 0.095);
        assertThat(kaplan.atModel(1e9, 2e10).outputs().get("loss").value()).isCloseTo(expected, within(1e-12));
        assertThatThrownBy(() -> kaplan.atBudget(1e21)).isInstanceOf(NotPredictable.class)
                .hasMessageContaining("params and tokens");
    }

    @Test
    void aCardMissingAParameterIsRefusedNamingTheField() {
        Map<String, Double> v = new LinkedHashMap<>(hoffmann());
        v.remove("beta");
        assertThatThrownBy(() -> new Predictor(card("chinchilla", null, v, dev.scalelab.core.model.FlopCount.SIX_N, null), "cut.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cut.json")
                .hasMessageContaining("parameters.beta");
    }
}
