package dev.scalelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TrainCommandTest {
    @TempDir
    Path dir;

    private static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    @Test
    void trainsARunAndPrintsTheResultAsJson() throws Exception {
        Path out = dir.resolve("run");
        Cli.Result r = run("train", "--d-model", "16", "--layers", "1", "--heads", "2", "--context", "8", "--batch", "4",
                "--steps", "6", "--threads", "1", "--out", out.toString(), "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode result = Json.mapper().readTree(r.out());
        assertThat(result.path("status").asText()).isEqualTo("COMPLETED");
        assertThat(result.path("steps").asLong()).isEqualTo(6);
        assertThat(result.path("tokens").asLong()).isEqualTo(6 * 4 * 8);
        assertThat(result.path("tokensPerSecond").asDouble()).isPositive();
        // the loss falls from the untrained model's: step 0's validation loss (8 batches) is measured 5.1555, after
        // 6 steps 5.1075 (a drop of 0.048, every step lower than the one before); a trainer that does not update fails both
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        int val = List.of(metrics.get(0).split(",")).indexOf("val_loss");
        double[] valLoss = metrics.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[val])).toArray();
        assertThat(valLoss).hasSize(7);
        for (int step = 1; step < valLoss.length; step++) {
            assertThat(valLoss[step]).as("val_loss at step %d", step).isLessThan(valLoss[step - 1]);
        }
        double finalLoss = result.path("finalValLoss").asDouble();
        assertThat(finalLoss).isEqualTo(valLoss[6]).isLessThan(valLoss[0] - 0.035);
        assertThat(valLoss[0]).as("an untrained model is near uniform over 256 bytes").isBetween(4.5, Math.log(256) + 0.5);
        assertThat(result.path("params").path("nonEmbedding").asLong()).isEqualTo(12 * 256 + 13 * 16 + 32);
        assertThat(result.path("flops").path("6N").asDouble()).isPositive();
        assertThat(result.path("spec").path("threads").asInt()).isEqualTo(1);
        assertThat(result.path("spec").path("classifier").asText()).startsWith("linux-x86_64");
        assertThat(Files.readAllLines(out.resolve("metrics.csv"))).hasSize(1 + 1 + 6); // header, step 0, every step
        assertThat(out.resolve("result.json")).exists();
        assertThat(out.resolve("spec.json")).exists();
        assertThat(out.resolve("checkpoint/state.bin")).exists();
        assertThat(result.path("spec").path("corpus").asText()).isEqualTo("synthetic");
        // the floor of 8-target windows: higher than at 128, as the cut last episode weighs more
        assertThat(result.path("corpusEntropyNats").asDouble())
                .isEqualTo(dev.scalelab.sweep.corpus.SyntheticCorpus.standard().windowFloorNats(8))
                .isGreaterThan(1.03912);
        // context 8: only the fact probe fits a window
        java.util.List<String> probes = Files.readAllLines(out.resolve("probes.csv"));
        assertThat(probes.get(0)).isEqualTo("skill,metric,value,n,step");
        assertThat(probes.subList(1, probes.size())).isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("facts,"));
    }

    @Test
    void aCheckpointOfAnotherShapeIsOneLineExitThreeAndLeftAsItWas() throws Exception {
        Path out = dir.resolve("shape");
        String[] args = {"train", "--d-model", "16", "--layers", "1", "--heads", "2", "--context", "8", "--batch", "4",
                "--steps", "6", "--threads", "1", "--out", out.toString(), "--resume"};
        assertThat(run(args).code()).isZero();
        Files.delete(out.resolve("result.json")); // as if killed after its last checkpoint
        String runId = Json.mapper().readValue(out.resolve("spec.json").toFile(), dev.scalelab.core.run.TrainSpec.class).runId();
        assertThat(runId).isNotEmpty();
        new dev.scalelab.sweep.train.Checkpoint(runId, 3, new float[7], new float[7], new float[7], 3, 5, 5, 0, 0.1, 5, 1)
                .write(out);
        byte[] damaged = Files.readAllBytes(out.resolve("checkpoint/state.bin"));
        Cli.Result r = run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).startsWith("scalelab: error: " + out.resolve("checkpoint/state.bin"))
                .contains("holds 7 parameters", "another shape", "delete the run folder's checkpoint/").hasLineCount(1);
        assertThat(r.out()).isEmpty();
        assertThat(Files.readAllBytes(out.resolve("checkpoint/state.bin"))).isEqualTo(damaged);
        assertThat(out.resolve("result.json")).doesNotExist();
    }

    @Test
    void aDivergingRunExitsFiveAndKeepsItsFolder() {
        Path out = dir.resolve("diverged");
        Cli.Result r = run("train", "--d-model", "16", "--layers", "1", "--heads", "2", "--context", "8", "--batch", "4",
                "--steps", "40", "--lr", "50", "--warmup", "1", "--threads", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(5);
        assertThat(r.out()).contains("diverged").contains("training loss");
        assertThat(out.resolve("metrics.csv")).exists();
        assertThat(out.resolve("result.json")).exists();
    }

    @Test
    void readsOptionsFromYamlWithTheCommandLineWinning() throws Exception {
        Path config = dir.resolve("tiny.yaml");
        Files.writeString(config, """
                # a tiny run
                d-model: 16
                layers: 1
                heads: 4
                context: 8
                batch: 2
                steps: 3
                untied: true
                threads: 1
                """);
        Path out = dir.resolve("run");
        Cli.Result r = run("train", "--config", config.toString(), "--heads", "2", "--out", out.toString(), "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode spec = Json.mapper().readTree(r.out()).path("spec");
        assertThat(spec.path("shape").path("heads").asInt()).isEqualTo(2);
        assertThat(spec.path("shape").path("dModel").asInt()).isEqualTo(16);
        assertThat(spec.path("tiedOutput").asBoolean()).isFalse();
        assertThat(spec.path("steps").asLong()).isEqualTo(3);
    }

    @Test
    void badConfigsAndShapesAreOneLineExitThree() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "d-model: 16\nlayrs: 2\n");
        Cli.Result unknown = run("train", "--config", config.toString());
        assertThat(unknown.code()).isEqualTo(3);
        assertThat(unknown.err()).startsWith("scalelab: error: " + config + " line 2, field \"layrs\": unknown key; known keys: ")
                .hasLineCount(1);

        Files.writeString(config, "d-model: sixteen\n");
        Cli.Result wrongType = run("train", "--config", config.toString());
        assertThat(wrongType.code()).isEqualTo(3);
        assertThat(wrongType.err()).contains(config.toString()).contains("sixteen").hasLineCount(1);

        Cli.Result heads = run("train", "--d-model", "64", "--heads", "3", "--steps", "1", "--out", dir.resolve("x").toString());
        assertThat(heads.code()).isEqualTo(3);
        assertThat(heads.err()).isEqualTo(
                "scalelab: error: command line, field \"heads\": heads (3) must divide dModel (64)\n");

        Cli.Result corpus = run("train", "--corpus", "text:" + dir.resolve("nope.txt"), "--steps", "1");
        assertThat(corpus.code()).isEqualTo(3);
        assertThat(corpus.err()).contains("nope.txt, field \"corpus\": no such file").hasLineCount(1);

        Cli.Result both = run("train", "--steps", "3", "--tokens", "100");
        assertThat(both.code()).isEqualTo(2);
    }
}
