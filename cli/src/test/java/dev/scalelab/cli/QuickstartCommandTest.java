package dev.scalelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class QuickstartCommandTest {
    @TempDir
    Path dir;

    @Test
    void tinyQuickstartSweepsFitsPredictsChecksAndResumes() throws Exception {
        Path out = dir.resolve("qs");
        Cli.Result first = Cli.run("quickstart", "--size", "tiny", "--out", out.toString(), "--jobs", "1",
                "--bootstrap", "20");
        assertThat(first.code()).as(first.err() + first.out()).isZero();
        assertThat(first.out()).contains("quickstart 5/5 report", "actual loss of the check run", "free fit's E");

        JsonNode h = Json.mapper().readTree(out.resolve("quickstart.json").toFile());
        double actual = h.get("actualLoss").asDouble();
        double floor = h.get("corpusFloor").asDouble();
        assertThat(floor).isBetween(1.0, 3.0);
        assertThat(actual).isGreaterThan(floor).isLessThan(Math.log(176)); // above the floor, below uniform
        JsonNode fixed = h.get("predictedLoss").get(QuickstartCommand.FIXED);
        assertThat(fixed.get("lo").asDouble()).isLessThanOrEqualTo(fixed.get("value").asDouble());
        assertThat(h.get("relativeError").get(QuickstartCommand.FIXED).asDouble())
                .isCloseTo(fixed.get("value").asDouble() / actual - 1, org.assertj.core.data.Offset.offset(1e-12));
        // the check run is trained at 10x the sweep's largest budget (6e8 in the tiny config)
        assertThat(h.get("targetFlops").asDouble()).isEqualTo(6e9);
        double checkFlops = 6.0 * h.get("checkParams").asLong() * h.get("checkTokens").asLong();
        assertThat(checkFlops / 6e9).isBetween(0.9, 1.1);

        for (String card : new String[] {"chinchilla.json", "chinchilla-fixed-e.json", "isoflop.json", "envelope.json"}) {
            assertThat(out.resolve("sweep/fits").resolve(card)).as(card).exists();
        }
        String html = Files.readString(out.resolve("sweep/report/index.html"));
        assertThat(html).contains("with the check run trained there", "scalelab quickstart --size tiny");

        // run again: every run is already done, the same headline comes back
        Cli.Result again = Cli.run("quickstart", "--size", "tiny", "--out", out.toString(), "--jobs", "1",
                "--bootstrap", "20");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).contains("0 completed");
        JsonNode h2 = Json.mapper().readTree(out.resolve("quickstart.json").toFile());
        assertThat(h2.get("actualLoss").asDouble()).isEqualTo(actual);
        assertThat(h2.get("predictedLoss")).isEqualTo(h.get("predictedLoss"));

        // a folder started with one size is not mixed with another
        Cli.Result other = Cli.run("quickstart", "--size", "default", "--out", out.toString());
        assertThat(other.code()).isEqualTo(3);
        assertThat(other.err()).contains("quickstart.yaml", "--size", "another --out");
    }
}
