package dev.scalelab.fitting;

import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.data.RowFilter;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Gadre et al. (2024) on their own runs (mlfoundations/scaling; {@code resources/gadre2024/SOURCE.md}): the
 * over-training law fitted to their five small RedPajama runs and the error law to those and the 1.4B
 * run at M = 20 predict the 1.4B model at M = 640 and the 6.9B at M = 20 with the relative errors their
 * notebook prints (to its four decimals of a percent), through {@code predict CARD1 CARD2}'s chain.
 */
class GadreGoldenTest {
    private static final double N_1B = 1439795200;
    private static final double N_7B = 6889410560.0;

    private static ObservationTable read(List<String> roles, String... needs) throws URISyntaxException {
        Path file = Path.of(GadreGoldenTest.class.getResource("/gadre2024/models.csv").toURI());
        return ObservationCsv.standard().withColumn("loss", "loss_c4_val").withColumn("error", "err_avg17")
                .withNeeds(List.of(needs))
                .withFilters(List.of(RowFilter.parse("dataset=rpj"), RowFilter.parse("role=" + String.join(",", roles))))
                .read(file);
    }

    @Test
    void theirFitPredictsTheirLargeOvertrainedModelsWithTheErrorsTheyPublished() throws Exception {
        FitCard loss = Fitter.fit(read(List.of("fit"), "params", "tokens", "loss"),
                ColumnLawsTest.options(Fitter.Law.OVERTRAINING, 0, Map.of()));
        FitCard error = Fitter.fit(read(List.of("fit", "fit_error"), "loss", "error"),
                ColumnLawsTest.options(Fitter.Law.ERROR_FROM_LOSS, 0, Map.of()));
        Predictor one = new Predictor(loss, "loss");
        Predictor two = new Predictor(error, "error");
        ObservationTable targets = read(List.of("target"), "params", "tokens", "loss", "error");
        assertThat(targets.observations()).hasSize(2);
        // their printed relative errors: loss 0.7103% (1.4B, M 640), 0.7320% (6.9B, M 20); error 3.6365%, 0.0464%
        Map<Double, double[]> published = Map.of(N_1B, new double[] {0.007103, 0.036365}, N_7B,
                new double[] {0.007320, 0.000464});
        for (var t : targets.observations()) {
            Predictor.Prediction p = one.chain(two, true, t.params(), t.tokens(), Double.NaN, Double.NaN);
            double lossError = Math.abs(p.outputs().get("loss").value() - t.loss()) / t.loss();
            double errorError = Math.abs(p.outputs().get("error").value() - t.value("error")) / t.value("error");
            assertThat(lossError).as("loss at N %.3g", t.params()).isCloseTo(published.get(t.params())[0], within(5e-7));
            assertThat(errorError).as("error at N %.3g", t.params()).isCloseTo(published.get(t.params())[1], within(5e-7));
        }
    }
}
