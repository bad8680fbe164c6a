package dev.scalelab.core.data;

import dev.scalelab.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A law reads only the columns it uses, any numeric column by name, from CSV or JSON Lines. */
class ObservationColumnsTest {
    private static ObservationTable read(ObservationCsv reader, String text) {
        return reader.read(new StringReader(text), "t.csv");
    }

    @Test
    void aTableOfTokensAndLossNeedsNoParamsForALawOfTokens() {
        ObservationTable t = read(ObservationCsv.standard().withNeeds(List.of("tokens", "loss")),
                "tokens,loss\n1e6,3.5\n2e6,3.1\n");
        assertThat(t.observations()).extracting(Observation::tokens).containsExactly(1e6, 2e6);
        assertThat(t.observations().get(0).params()).isNaN();
        assertThat(t.observations().get(0).flops()).isNaN();
        assertThat(t.columns()).containsEntry("tokens", "tokens").containsEntry("loss", "loss")
                .doesNotContainKey("params");
        // the standard reading still asks for params
        assertThatThrownBy(() -> read(ObservationCsv.standard(), "tokens,loss\n1e6,3.5\n"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("missing required column");
    }

    @Test
    void otherNumericColumnsAreReadByNameAndNeededOnesMustBeNumbers() {
        ObservationCsv reader = ObservationCsv.standard().withNeeds(List.of("loss_a", "loss_b"));
        ObservationTable t = read(reader, "Loss_A,loss_b,source\n3.2,2.9,epoch\n2.8,2.5,marin\n");
        assertThat(t.observations().get(1).value("loss_a")).isEqualTo(2.8);
        assertThat(t.observations().get(1).value("loss_b")).isEqualTo(2.5);
        assertThat(t.observations().get(0).loss()).isNaN();
        assertThat(t.observations().get(0).values()).doesNotContainKey("source");
        assertThat(t.columns()).containsEntry("loss_a", "Loss_A");
        assertThatThrownBy(() -> read(reader, "loss_a,loss_b\n3.2,\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 2").hasMessageContaining("loss_b").hasMessageContaining("empty value");
        assertThatThrownBy(() -> read(reader, "loss_a,loss_c\n3.2,2\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("loss_b").hasMessageContaining("missing column that the law reads");
    }

    @Test
    void derivingAMissingQuantityTheLawNeedsStillTakesParams() {
        ObservationTable t = read(ObservationCsv.standard().withNeeds(List.of("flops", "loss")),
                "params,tokens,loss\n1e6,1e8,3\n");
        assertThat(t.observations().get(0).flops()).isEqualTo(6e14);
        assertThatThrownBy(() -> read(ObservationCsv.standard().withNeeds(List.of("flops", "loss")),
                "tokens,loss\n1e8,3\n")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("deriving flops needs a params column");
    }

    @Test
    void jsonLinesReadAsATableWithTheSameErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs.jsonl");
        Files.writeString(file, "{\"params\": 1e8, \"tokens\": 2000000000, \"loss\": 3.1, \"source\": \"a,b\"}\n\n"
                + "{\"params\": 2e8, \"tokens\": 4e9, \"loss\": 2.9, \"source\": null, \"lr\": 0.003}\n");
        ObservationTable t = ObservationCsv.standard().withFilters(List.of(RowFilter.parse("source=\"a,b\"")))
                .read(file);
        assertThat(t.observations()).singleElement().satisfies(o -> {
            assertThat(o.params()).isEqualTo(1e8);
            assertThat(o.tokens()).isEqualTo(2e9);
        });
        assertThat(t.excluded()).singleElement().satisfies(e -> assertThat(e.line()).isEqualTo(3));
        ObservationTable all = ObservationCsv.standard().read(file);
        assertThat(all.observations().get(1).value("lr")).isEqualTo(0.003);
        Files.writeString(file, "{\"params\": 1e8, \"loss\": 3}\n{\"params\": [1], \"loss\": 3}\n");
        assertThatThrownBy(() -> ObservationCsv.standard().read(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 2").hasMessageContaining("params").hasMessageContaining("nested array");
        Files.writeString(file, "{\"params\": 1e8, \"loss\": 3}\n{\"params\": 1e8,\n");
        assertThatThrownBy(() -> ObservationCsv.standard().read(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("line 2").hasMessageContaining("not valid JSON");
    }
}
