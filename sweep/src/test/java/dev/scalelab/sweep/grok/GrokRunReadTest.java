package dev.scalelab.sweep.grok;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.CsvTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrokRunReadTest {
    @Test
    void readsBackTheEvaluationsItWrote(@TempDir Path dir) throws Exception {
        new CsvTable(GrokRun.HEADER).add(0L, 1e-3, 2.5, 0.1, 2.6, 0.05, 1.0625)
                .add(60L, 3e-3, 0.01, 1.0, 0.2, 0.95, 4.5).write(dir.resolve("metrics.csv"));
        assertThat(Files.readString(dir.resolve("metrics.csv"))).startsWith(
                "step,lr,train_loss,train_accuracy,validation_loss,validation_accuracy,weight_norm\n0,0.001,2.5,");
        List<GrokRun.Point> points = GrokRun.readPoints(dir);
        assertThat(points).containsExactly(new GrokRun.Point(0, 1e-3, 2.5, 0.1, 2.6, 0.05, 1.0625),
                new GrokRun.Point(60, 3e-3, 0.01, 1.0, 0.2, 0.95, 4.5));
    }

    @Test
    void anotherFileOrADamagedRowIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "step,tokens,train_loss\n0,0,2.5\n");
        assertThatThrownBy(() -> GrokRun.readPoints(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(file + " line 1: not a grokking run's metrics");
        Files.writeString(file, String.join(",", GrokRun.HEADER) + "\n0,0.001,2.5,0.1,2.6,0.05\n");
        assertThatThrownBy(() -> GrokRun.readPoints(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(file + " line 2, field \"weight_norm\": the row has 6 of the header's 7 fields");
        Files.writeString(file, String.join(",", GrokRun.HEADER) + "\n");
        assertThatThrownBy(() -> GrokRun.readPoints(dir)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holds no evaluations");
    }
}
