package dev.scalelab.sweep.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CorpusFloorTest {
    @Test
    void theCorpusFloorIsReadFromRunsCsvByItsColumnName(@TempDir Path dir) throws Exception {
        assertThat(SweepFolder.corpusFloor(dir)).as("no runs.csv").isNaN();
        Path runs = dir.resolve("runs.csv");
        Files.writeString(runs, "run,corpus_floor,loss\n\"a,b\",1.1458918503671727,3.5\nc,1.1458918503671727,3.1\n");
        assertThat(SweepFolder.corpusFloor(dir)).isEqualTo(1.1458918503671727);
        Files.writeString(runs, "run,corpus_floor,loss\na,1.1458918503671727,3.5\nc,1.2,3.1\n");
        assertThat(SweepFolder.corpusFloor(dir)).as("runs that disagree share no floor").isNaN();
        Files.writeString(runs, "corpus_floor,run\r\n1.25,a\r\n");
        assertThat(SweepFolder.corpusFloor(dir)).isEqualTo(1.25);
        Files.writeString(runs, "run,corpus_floor,loss\n");
        assertThat(SweepFolder.corpusFloor(dir)).as("a header and no rows").isNaN();
        Files.writeString(runs, "run,loss\na,3.5\n");
        assertThat(SweepFolder.corpusFloor(dir)).as("no corpus_floor column").isNaN();
        Files.writeString(runs, "run,corpus_floor\na,\n");
        assertThat(SweepFolder.corpusFloor(dir)).as("a corpus without a known floor").isNaN();
        Files.writeString(runs, "run,corpus_floor\na,Infinity\n");
        assertThat(SweepFolder.corpusFloor(dir)).isNaN();
    }

    @Test
    void theValidationFloorIsOneOnlyWhenEveryRunWasScoredOnTheSameSample(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs.csv");
        Files.writeString(runs, "run,corpus_floor,validation_floor_nats\na,1.03912,1.0452\nb,1.03912,1.0452\n");
        assertThat(SweepFolder.validationFloor(dir)).isEqualTo(1.0452);
        Files.writeString(runs, "run,corpus_floor,validation_floor_nats\na,1.03912,1.0452\nb,1.03912,1.0331\n");
        assertThat(SweepFolder.validationFloor(dir)).as("two eval seeds: two samples").isNaN();
        assertThat(SweepFolder.corpusFloor(dir)).isEqualTo(1.03912);
        Files.writeString(runs, "run,corpus_floor\na,1.03912\n");
        assertThat(SweepFolder.validationFloor(dir)).as("a table from before the column").isNaN();
    }
}
