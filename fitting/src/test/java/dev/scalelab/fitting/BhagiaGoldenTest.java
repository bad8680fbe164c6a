package dev.scalelab.fitting;

import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.data.RowFilter;
import dev.scalelab.core.io.CsvTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Bhagia et al. (2024) step 2 on their own ladder (allenai/OLMo-ladder; {@code resources/bhagia2024/SOURCE.md}):
 * the task sigmoid fitted, within the authors' bounds, to the 190M-1.3B ladders' preprocessed checkpoints and
 * the ideal point predicts the 13B-5T model's accuracy from its bits per byte as their published
 * {@code step2_main.csv} does. MMLU's fit sits on the bound b = 1; HellaSwag's is inside.
 */
class BhagiaGoldenTest {
    @ParameterizedTest
    @ValueSource(strings = {"mmlu_avg_test_5shot", "hellaswag_val_5shot"})
    void theBoundedSigmoidPredictsThe13bAccuracyTheyPublished(String task) throws Exception {
        Path dir = Path.of(BhagiaGoldenTest.class.getResource("/bhagia2024/step2.csv").toURI()).getParent();
        ObservationCsv reader = ObservationCsv.standard().withNeeds(List.of("loss", "accuracy"));
        ObservationTable fit = reader.withFilters(List.of(RowFilter.parse("task=" + task), RowFilter.parse("role=fit")))
                .read(dir.resolve("step2.csv"));
        assertThat(fit.size()).isEqualTo(1402);
        FitCard card = Fitter.fit(fit, ColumnLawsTest.options(Fitter.Law.TASK, 0, Map.of()));
        ObservationTable target = reader.withFilters(List.of(RowFilter.parse("task=" + task),
                RowFilter.parse("ladder=13B-5T"))).read(dir.resolve("step2.csv"));
        double bpb = target.observations().get(0).loss();
        double predicted = new Predictor(card, "card").atInputs(Map.of("loss", bpb)).outputs().get("accuracy").value();
        CsvTable.Row published = CsvTable.read(dir.resolve("step2_main.csv"), null).rows().stream()
                .filter(r -> r.text("Task").equals(task)).findFirst().orElseThrow();
        assertThat(target.observations().get(0).value("accuracy")).isEqualTo(published.number("Actual"));
        // their scipy fit stops at its own tolerance: agreement to 2e-6 in accuracy
        assertThat(predicted).isCloseTo(published.number("Pred"), within(2e-6));
        double b = card.parameters().get("b").value();
        if (task.startsWith("mmlu")) {
            assertThat(b).as("on its bound").isCloseTo(1.0, within(1e-6));
            assertThat(card.status()).isEqualTo(dev.scalelab.fitting.fit.FitStatus.AT_BOUND);
        } else {
            assertThat(b).isLessThan(0.999);
        }
    }
}
