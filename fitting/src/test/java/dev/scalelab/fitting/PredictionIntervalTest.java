package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.fit.FitStatus;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The prediction interval: the bootstrap's loss times a centred, inflated log residual (Davison and Hinkley 1997). */
class PredictionIntervalTest {
    private static final double E = 1.69;
    private static final double A = 406.4;
    private static final double B = 410.7;
    private static final double ALPHA = 0.34;
    private static final double BETA = 0.28;
    private static final List<String> COLUMNS = List.of("E", "A", "B", "alpha", "beta", "a", "b");

    private static FitCard card(int version, FitCard.Residuals residuals, int resamples) {
        Map<String, FitCard.Estimate> p = new LinkedHashMap<>();
        double[] row = {E, A, B, ALPHA, BETA, BETA / (ALPHA + BETA), ALPHA / (ALPHA + BETA)};
        for (int c = 0; c < COLUMNS.size(); c++) {
            p.put(COLUMNS.get(c), new FitCard.Estimate(row[c], null, null));
        }
        double[][] samples = new double[resamples][];
        for (int s = 0; s < resamples; s++) {
            samples[s] = row.clone();
        }
        return new FitCard(version, "chinchilla", null, "", p, null, null, FitStatus.CONVERGED, 10, List.of(), "",
                FlopCount.SIX_N, null, null, new FitCard.BootstrapDetail(resamples, 7, 0.5, 0, COLUMNS, samples),
                residuals, null, "test", "");
    }

    private static double loss() {
        return E + A / Math.pow(1e9, ALPHA) + B / Math.pow(2e10, BETA);
    }

    @Test
    void theLossGainsTheResidualsCentredAndInflatedForTheFittedParameters() {
        // residuals 0.1 and 0.3 centre to ±0.1; one fitted parameter of two rows inflates them by sqrt(2/1); every
        // resample is the law itself, so the 25th and 75th percentiles are the loss times exp(∓0.1·sqrt 2)
        FitCard card = card(FitCard.CARD_VERSION, new FitCard.Residuals(List.of(0.1, 0.3), 1), 400);
        FitCard.Estimate e = new Predictor(card, "card.json").atModel(1e9, 2e10).outputs().get("loss");
        double l = loss();
        assertThat(e.value()).isCloseTo(l, within(1e-12));
        assertThat(e.lo()).isCloseTo(l, within(1e-12));
        assertThat(e.hi()).isCloseTo(l, within(1e-12));
        assertThat(e.confidence()).containsExactly(e.lo(), e.hi());
        assertThat(e.level()).isEqualTo(0.5);
        assertThat(e.prediction().get(0)).isCloseTo(l * Math.exp(-0.1 * Math.sqrt(2)), within(1e-12));
        assertThat(e.prediction().get(1)).isCloseTo(l * Math.exp(0.1 * Math.sqrt(2)), within(1e-12));
    }

    @Test
    void theDrawsFollowTheCardsSeedSoACardAlwaysPredictsTheSame() {
        List<Double> residuals = List.of(-0.03, 0.01, 0.02, -0.005, 0.012, -0.02, 0.004, 0.009);
        FitCard card = card(FitCard.CARD_VERSION, new FitCard.Residuals(residuals, 3), 50);
        List<Double> first = new Predictor(card, "c").atBudget(1e21).outputs().get("loss").prediction();
        List<Double> again = new Predictor(card, "c").atBudget(1e21).outputs().get("loss").prediction();
        assertThat(again).isEqualTo(first);
        assertThat(first.get(0)).isLessThan(first.get(1));
        FitCard.BootstrapDetail b = card.bootstrap();
        FitCard reseeded = new FitCard(card.cardVersion(), card.law(), null, "", card.parameters(), null, null,
                card.status(), 10, List.of(), "", card.flops(), null, null, new FitCard.BootstrapDetail(b.resamples(),
                8, b.level(), 0, b.columns(), b.samples()), card.residuals(), null, "test", "");
        assertThat(new Predictor(reseeded, "c").atBudget(1e21).outputs().get("loss").prediction()).isNotEqualTo(first);
    }

    @Test
    void onlyALossGainsAPredictionIntervalAndTheJsonHasNoNulls() throws Exception {
        FitCard card = card(FitCard.CARD_VERSION, new FitCard.Residuals(List.of(0.1, -0.1, 0.05), 0), 20);
        Predictor.Prediction p = new Predictor(card, "c").atBudget(1e21);
        assertThat(p.outputs().get("params").prediction()).isNull();
        assertThat(p.outputs().get("params").confidence()).hasSize(2);
        assertThat(p.outputs().get("loss").prediction()).hasSize(2);
        String json = Json.toText(List.of(p));
        assertThat(json).doesNotContain("null").contains("\"prediction\"").contains("\"confidence\"")
                .contains("\"level\"");
    }

    @Test
    void aVersionTwoCardStillReadsWithAConfidenceIntervalOnly() {
        FitCard.Estimate e = new Predictor(card(2, null, 20), "old.json").atModel(1e9, 2e10).outputs().get("loss");
        assertThat(e.lo()).isNotNull();
        assertThat(e.confidence()).hasSize(2);
        assertThat(e.prediction()).isNull();
        assertThatThrownBy(() -> new Predictor(card(1, null, 20), "older.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cardVersion");
    }

    @Test
    void residualsThatCannotBeResampledAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new Predictor(card(3, new FitCard.Residuals(List.of(0.1, 0.2), 2), 5), "r.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("residuals.parameters");
        assertThatThrownBy(() -> new Predictor(card(3, new FitCard.Residuals(List.of(), 0), 5), "r.json"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("residuals.log");
    }

    @Test
    void everyLawThatPredictsALossRecordsItsResidualsOnce() {
        var simulated = CoverageTest.study(CoverageTest.QUICKSTART, new java.util.Random(3));
        // each run's tokens repeated 1-3 times, for the law of repeated data (the others leave the column)
        List<dev.scalelab.core.data.Observation> withUnique = new java.util.ArrayList<>();
        for (int i = 0; i < simulated.size(); i++) {
            var o = simulated.observations().get(i);
            withUnique.add(new dev.scalelab.core.data.Observation(o.params(), o.tokens(), o.flops(), o.loss(), o.budget(),
                    o.run(), o.step(), o.group(), o.tokens() / (1 + i % 3)));
        }
        var table = new dev.scalelab.core.data.ObservationTable("simulated", withUnique, null);
        var rows = table.observations();
        int n = rows.size();
        for (Fitter.Law law : Fitter.Law.values()) {
            if (law == Fitter.Law.ENVELOPE || !law.response().equals("loss")) {
                continue; // needs training curves (it allocates, as isoflop does), or columns of its own (ColumnLawsTest)
            }
            var a3 = dev.scalelab.fitting.fit.Approach3.Options.defaults().withGrid(new double[] {0.3}, new double[] {0.3},
                    new double[] {0.5}, new double[] {6}, new double[] {6}).withThreads(1);
            FitCard card = Fitter.fit(table, new Fitter.Options(law, dev.scalelab.fitting.law.Variable.PARAMS, 0, 0, 0.95,
                    Map.of(), a3, 0, FlopCount.SIX_N, "t", "t", null));
            assertThat(card.cardVersion()).isEqualTo(3);
            if (!law.predictsRows(dev.scalelab.fitting.law.Variable.PARAMS)) {
                assertThat(card.residuals()).as(law.id()).isNull();
                continue;
            }
            assertThat(card.residuals()).as(law.id()).isNotNull();
            assertThat(card.residuals().log()).as(law.id()).hasSize(n);
            // log observed minus log fitted, row by row, through the card's own prediction
            Predictor p = new Predictor(card, "t");
            for (int i = 0; i < n; i++) {
                var r = rows.get(i);
                double fitted = p.atModel(r.params(), r.tokens(), r.uniqueTokens()).outputs().get("loss").value();
                assertThat(card.residuals().log().get(i)).as(law.id()).isCloseTo(Math.log(r.loss() / fitted), within(1e-9));
            }
        }
    }
}
