package dev.scalelab.core.io;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvTableTest {
    @Test
    void quotesOnlyWhatNeedsQuoting() {
        CsvTable table = CsvTable.withHeader("run", "loss", "note")
                .add("a", 1.5, "plain")
                .add("b,c", 0.1 + 0.2, "say \"hi\"")
                .add("d", null, "two\nlines");
        assertThat(table.toText()).isEqualTo("""
                run,loss,note
                a,1.5,plain
                "b,c",0.30000000000000004,"say ""hi\"\"\"
                d,,"two
                lines"
                """);
        assertThat(table.rowCount()).isEqualTo(3);
        assertThatThrownBy(() -> table.add("only one")).hasMessageContaining("row has 1 cells, header has 3");
    }

    @Test
    void doublesRoundTripThroughTheObservationReader(@TempDir Path dir) {
        double loss = 3.141592653589793;
        double params = 123456789.0123;
        Path file = dir.resolve("obs.csv");
        CsvTable.withHeader("params", "tokens", "loss", "run").add(params, 1e9, loss, "x,y").write(file);
        Observation read = ObservationCsv.standard().read(file).observations().get(0);
        assertThat(read.params()).isEqualTo(params);
        assertThat(read.loss()).isEqualTo(loss);
        assertThat(read.run()).isEqualTo("x,y");
    }
}
