package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.Variable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The laws of downstream metrics, of one loss against another, of over-training and of hyperparameters
 * recover the parameters they were simulated with, predict with their named intervals, backtest, and
 * chain (Bhagia et al. 2024).
 */
class ColumnLawsTest {
    static Fitter.Options options(Fitter.Law law, int bootstrap, Map<String, Double> fixed) {
        return new Fitter.Options(law, Variable.PARAMS, bootstrap, 3, 0.95, fixed,
                Approach3.Options.defaults().withThreads(1), 0, FlopCount.SIX_N, "test", "test", null);
    }

    private static Observation row(double params, double tokens, double loss, Map<String, Double> values) {
        return new Observation(params, tokens, Double.isNaN(params) ? Double.NaN : 6 * params * tokens, loss, null,
                null, null, null, null, values);
    }

    private static ObservationTable table(List<Observation> rows) {
        return new ObservationTable("simulated", rows, null);
    }

    /** Err = 0.75 − 3·exp(−1.2·L) with 0.3% noise over losses 2.2-4.1. */
    static ObservationTable errors(long seed) {
        Random r = new Random(seed);
        List<Observation> rows = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double l = 2.2 + 0.1 * i;
            double e = (0.75 - 3 * Math.exp(-1.2 * l)) * (1 + 0.003 * r.nextGaussian());
            rows.add(row(Double.NaN, Double.NaN, l, Map.of("error", e)));
        }
        return table(rows);
    }

    @Test
    void errorFromLossRecoversItsParametersAndPredictsBothIntervals() {
        FitCard card = Fitter.fit(errors(1), options(Fitter.Law.ERROR_FROM_LOSS, 200, Map.of()));
        assertThat(card.parameters().get("epsilon").value()).isCloseTo(0.75, within(0.02));
        assertThat(card.parameters().get("gamma").value()).isCloseTo(1.2, within(0.15));
        assertThat(card.parameters().get("k").value()).isCloseTo(3.0, within(0.6));
        Predictor p = new Predictor(card, "card");
        FitCard.Estimate e = p.atInputs(Map.of("loss", 2.0)).outputs().get("error");
        double truth = 0.75 - 3 * Math.exp(-2.4);
        assertThat(e.value()).isCloseTo(truth, within(0.01));
        assertThat(e.confidence().get(0)).isLessThan(e.value());
        assertThat(e.prediction()).isNotNull();
        assertThat(e.prediction().get(1) - e.prediction().get(0))
                .isGreaterThan(e.confidence().get(1) - e.confidence().get(0));
        assertThatThrownBy(() -> p.atModel(1e9, 2e10)).isInstanceOf(NotPredictable.class)
                .hasMessageContaining("predicts error from loss");
        assertThatThrownBy(() -> p.atInputs(Map.of("los", 2.0))).isInstanceOf(NotPredictable.class)
                .hasMessageContaining("not los");
    }

    @Test
    void anErrorOutsideZeroToOneIsNamed() {
        List<Observation> rows = new ArrayList<>(errors(1).observations());
        rows.set(3, row(Double.NaN, Double.NaN, 2.5, Map.of("error", 63.0)));
        assertThatThrownBy(() -> Fitter.fit(table(rows), options(Fitter.Law.ERROR_FROM_LOSS, 0, Map.of())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("field \"error\"")
                .hasMessageContaining("outside (0, 1]");
    }

    @Test
    void theTaskSigmoidRecoversItsMidpointAndSteepness() {
        Random r = new Random(2);
        List<Observation> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            double l = 0.6 + 0.05 * i;
            double acc = (0.6 / (1 + Math.exp(8 * (l - 1.1))) + 0.25) * (1 + 0.01 * r.nextGaussian());
            rows.add(row(Double.NaN, Double.NaN, l, Map.of("accuracy", acc)));
        }
        FitCard card = Fitter.fit(table(rows), options(Fitter.Law.TASK, 0, Map.of()));
        // in the authors' convention: b the accuracy far below L0 (0.85), a what is lost toward chance (-0.6)
        assertThat(card.parameters().get("L0").value()).isCloseTo(1.1, within(0.02));
        assertThat(card.parameters().get("k").value()).isCloseTo(8, within(1.0));
        assertThat(card.parameters().get("b").value()).isCloseTo(0.85, within(0.03));
        assertThat(card.parameters().get("a").value()).isCloseTo(-0.6, within(0.03));
    }

    @Test
    void lossToLossRecoversItsExponentWhereTheRangeReachesTheFloor() {
        Random r = new Random(3);
        List<Observation> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double a = 1.7 + 0.1 * i;
            double b = (1.3 * Math.pow(a - 1.6, 0.8) + 1.1) * (1 + 0.001 * r.nextGaussian());
            rows.add(row(Double.NaN, Double.NaN, Double.NaN, Map.of("loss_a", a, "loss_b", b)));
        }
        FitCard card = Fitter.fit(table(rows), options(Fitter.Law.LOSS_TO_LOSS, 0, Map.of()));
        assertThat(card.parameters().get("kappa").value()).isCloseTo(0.8, within(0.08));
        assertThat(card.parameters().get("E_A").value()).isCloseTo(1.6, within(0.05));
        assertThat(card.parameters().get("E_B").value()).isCloseTo(1.1, within(0.15));
        // with the floors held at their values, the remaining two are pinned
        FitCard held = Fitter.fit(table(rows), options(Fitter.Law.LOSS_TO_LOSS, 0, Map.of("E_A", 1.6, "E_B", 1.1)));
        assertThat(held.parameters().get("kappa").value()).isCloseTo(0.8, within(0.01));
        assertThat(held.parameters().get("K").value()).isCloseTo(1.3, within(0.02));
    }

    /** L = 1.8 + (40·M^0.15 + 300·M^−0.15)·C^−0.15, small models at M of 5-80. */
    static ObservationTable overtrained(long seed, double noise) {
        Random r = new Random(seed);
        List<Observation> rows = new ArrayList<>();
        for (double n : new double[] {1e7, 2e7, 4e7, 8e7, 1.6e8}) {
            for (double m : new double[] {5, 10, 20, 40, 80}) {
                rows.add(row(n, m * n, overtrainedLoss(n, m * n) * (1 + noise * r.nextGaussian()), Map.of()));
            }
        }
        return table(rows);
    }

    static double overtrainedLoss(double n, double d) {
        double m = d / n;
        double c = 6 * n * d;
        return 1.8 + (40 * Math.pow(m, 0.15) + 300 * Math.pow(m, -0.15)) * Math.pow(c, -0.15);
    }

    @Test
    void overtrainingPredictsALargeHeavilyOvertrainedModelFromSmallRuns() {
        FitCard card = Fitter.fit(overtrained(4, 0.003), options(Fitter.Law.OVERTRAINING, 200, Map.of()));
        assertThat(card.parameters().get("eta").value()).isCloseTo(0.15, within(0.02));
        // 1.4B parameters at M = 640, nine times the largest model and eight times the largest multiplier
        double n = 1.4e9;
        double d = 640 * n;
        FitCard.Estimate e = new Predictor(card, "card").atModel(n, d).outputs().get("loss");
        double truth = overtrainedLoss(n, d);
        assertThat(Math.abs(e.value() - truth) / truth).isLessThan(0.02);
        assertThat(e.prediction().get(0)).isLessThan(truth);
        assertThat(e.prediction().get(1)).isGreaterThan(truth);
        // and a backtest holding out the largest models scores their losses
        ObservationTable t = overtrained(4, 0.003);
        Backtest.Result b = Backtest.run(t, options(Fitter.Law.OVERTRAINING, 50, Map.of()), new Holdout.ParamsAtLeast(1.6e8));
        assertThat(b.rows()).hasSize(5).allSatisfy(row -> assertThat(row.quantity()).isEqualTo("loss"));
        assertThat(b.summary().meanAbsRelativeError()).isLessThan(0.01);
    }

    @Test
    void aChainFeedsStepOnesLossIntoStepTwoAndWidensBothIntervals() {
        // step 1: over-training's loss; step 2: error from loss, both fitted with resamples
        FitCard one = Fitter.fit(overtrained(5, 0.01), options(Fitter.Law.OVERTRAINING, 400, Map.of()));
        Fitter.Options other = new Fitter.Options(Fitter.Law.ERROR_FROM_LOSS, Variable.PARAMS, 400, 11, 0.95, Map.of(),
                Approach3.Options.defaults().withThreads(1), 0, FlopCount.SIX_N, "test", "test", null);
        FitCard two = Fitter.fit(errors(6), other);
        Predictor first = new Predictor(one, "one");
        Predictor second = new Predictor(two, "two");
        double n = 3e8;
        double d = 3e9;
        Predictor.Prediction chained = first.chain(second, true, n, d, Double.NaN, Double.NaN);
        FitCard.Estimate loss = chained.outputs().get("loss");
        FitCard.Estimate error = chained.outputs().get("error");
        // the point estimate is step 2's formula, with its fitted values written out, at step 1's loss
        double eps = two.parameters().get("epsilon").value();
        double k = two.parameters().get("k").value();
        double gamma = two.parameters().get("gamma").value();
        assertThat(error.value()).isCloseTo(eps - k * Math.exp(-gamma * loss.value()), within(1e-12));
        assertThat(loss.value()).isCloseTo(overtrainedLoss(n, d), within(0.02 * overtrainedLoss(n, d)));
        // step 1's uncertainty reaches step 2: wider than step 2's own interval at that loss
        FitCard.Estimate alone = second.atInputs(Map.of("loss", loss.value())).outputs().get("error");
        double chainedWidth = error.confidence().get(1) - error.confidence().get(0);
        assertThat(chainedWidth).isGreaterThan(alone.confidence().get(1) - alone.confidence().get(0));
        assertThat(error.prediction().get(1) - error.prediction().get(0)).isGreaterThan(chainedWidth);
        double truth = 0.75 - 3 * Math.exp(-1.2 * overtrainedLoss(n, d));
        assertThat(error.prediction().get(0)).isLessThan(truth);
        assertThat(error.prediction().get(1)).isGreaterThan(truth);
        assertThatThrownBy(() -> second.chain(second, true, n, d, Double.NaN, Double.NaN))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("must predict a loss");
        assertThatThrownBy(() -> first.chain(first, true, n, d, Double.NaN, Double.NaN))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("metric against the loss");
    }

    /**
     * A grid per (N, D) cell: loss 3 + 0.03·ln(lr/lr*)² + 0.01·ln(B/B*)², lr* = 1.5·N^−0.25·D^0.1 and
     * B* = 0.3·D^0.5, learning rates at powers of √2 and batch sizes at powers of 2 around the optimum.
     */
    static ObservationTable hparams() {
        List<Observation> rows = new ArrayList<>();
        for (double n : new double[] {1e7, 3e7, 1e8}) {
            for (double d : new double[] {2e8, 1e9, 5e9}) {
                double lr = 1.5 * Math.pow(n, -0.25) * Math.pow(d, 0.1);
                double b = 0.3 * Math.sqrt(d);
                for (int i = -3; i <= 3; i++) {
                    for (int j = -1; j <= 1; j++) {
                        double lri = lr * Math.pow(Math.sqrt(2), i + 0.3); // the grid misses the optimum
                        double bj = b * Math.pow(2, j);
                        double loss = 3 + 0.03 * Math.pow(Math.log(lri / lr), 2) + 0.01 * Math.pow(Math.log(bj / b), 2);
                        rows.add(row(n, d, loss, Map.of("lr", lri, "batch", bj)));
                    }
                }
            }
        }
        rows.add(row(5e8, 1e10, 2.9, Map.of("lr", 1e-3, "batch", 256.0)));
        return table(rows);
    }

    @Test
    void theStepLawKeepsNearOptimalRunsPerCellAndRecoversTheExponents() {
        FitCard lr = Fitter.fit(hparams(), options(Fitter.Law.LR, 100, Map.of()));
        assertThat(lr.parameters().get("alpha").value()).isCloseTo(-0.25, within(0.02));
        assertThat(lr.parameters().get("beta").value()).isCloseTo(0.1, within(0.02));
        assertThat(lr.excluded()).singleElement().satisfies(e -> assertThat(e.reason())
                .contains("params=5.000e+08").contains("one run"));
        // within 0.25% of 3 (0.0075): learning rates -0.7, +0.3 and +1.3 half-powers of 2 from the optimum at the
        // best batch (0.0018, 0.0003, 0.0061 above it), the first two also at half and twice the batch (+0.0048):
        // 7 of each cell's 21 runs, not only its argmin
        assertThat(lr.starts().grid()).contains("within 0.250%").contains("7/21");
        assertThat(lr.points()).isEqualTo(63);
        FitCard.Estimate e = new Predictor(lr, "lr").atModel(1e9, 2e10).outputs().get("lr");
        double truth = 1.5 * Math.pow(1e9, -0.25) * Math.pow(2e10, 0.1);
        assertThat(Math.abs(e.value() - truth) / truth).isLessThan(0.1);
        assertThat(e.prediction()).as("a confidence interval of the law only").isNull();
        assertThat(e.confidence()).isNotNull();
        // a tolerance of zero keeps only each cell's argmin
        Fitter.Options strict = new Fitter.Options(Fitter.Law.LR, Variable.PARAMS, 0, 0, 0.95, Map.of(),
                Approach3.Options.defaults().withThreads(1), 0, FlopCount.SIX_N, "t", "t", null, 0);
        assertThat(Fitter.fit(hparams(), strict).points()).isEqualTo(9);
        FitCard batch = Fitter.fit(hparams(), options(Fitter.Law.BATCH, 0, Map.of()));
        assertThat(batch.parameters().get("gamma").value()).isCloseTo(0.5, within(0.03));
    }

    @Test
    void aTableWhoseCellsAllHaveOneRunIsNotUsable() {
        List<Observation> rows = List.of(row(1e7, 1e9, 3, Map.of("lr", 1e-3, "batch", 64.0)),
                row(2e7, 1e9, 2.9, Map.of("lr", 1e-3, "batch", 64.0)));
        assertThatThrownBy(() -> Fitter.fit(table(rows), options(Fitter.Law.LR, 0, Map.of())))
                .isInstanceOf(NoUsableFitException.class).hasMessageContaining("two or more runs");
    }

    @Test
    void aResampleWhoseRefitFailedTakesNoPartInTheChain() throws Exception {
        FitCard one = Fitter.fit(overtrained(5, 0.01), options(Fitter.Law.OVERTRAINING, 40, Map.of()));
        FitCard two = Fitter.fit(errors(6), options(Fitter.Law.ERROR_FROM_LOSS, 40, Map.of()));
        // a failed refit is a row of NaN in the card's samples, as FitCards.resample records it
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) dev.scalelab.core.io.Json.mapper().valueToTree(one);
        var row = (com.fasterxml.jackson.databind.node.ArrayNode) tree.at("/bootstrap/samples/0");
        for (int i = 0; i < row.size(); i++) {
            row.set(i, com.fasterxml.jackson.databind.node.TextNode.valueOf("NaN"));
        }
        FitCard failed = dev.scalelab.core.io.Json.mapper().treeToValue(tree, FitCard.class);
        FitCard.Estimate e = new Predictor(failed, "one").chain(new Predictor(two, "two"), true, 3e8, 3e9, Double.NaN,
                Double.NaN).outputs().get("error");
        assertThat(e.confidence()).allSatisfy(v -> assertThat(v).isFinite());
        assertThat(e.prediction()).allSatisfy(v -> assertThat(v).isFinite());
    }
}
