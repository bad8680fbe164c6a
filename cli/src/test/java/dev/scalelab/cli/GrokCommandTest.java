package dev.scalelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.io.Json;
import dev.scalelab.plots.ChartStyle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** scalelab grok: one run with its detector and charts, the phase diagram, bad configs, and grok-quick. */
class GrokCommandTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path dir;

    static Path config(String name) {
        try {
            return Path.of(GrokCommandTest.class.getResource("/grok/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PNG as written by scalelab's charts: decoded, at the default size. */
    private static BufferedImage decode(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as(png.toString()).isNotNull();
        assertThat(image.getWidth()).isEqualTo(ChartStyle.WIDTH);
        assertThat(image.getHeight()).isEqualTo(ChartStyle.HEIGHT);
        return image;
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return colours.size();
    }

    /** Pixels of exactly {@code colour} in the plot area: the left three quarters, where the legend is not. */
    private static int pixelsOf(BufferedImage image, Color colour) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth() * 3 / 4; x++) {
                count += (image.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF) ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void oneRunLogsDetectsAndDrawsItsEvents() throws Exception {
        Path out = dir.resolve("run");
        Cli.Result r = Cli.run("grok", config("tiny.yaml").toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> metrics = Files.readAllLines(out.resolve("metrics.csv"));
        assertThat(metrics.get(0)).isEqualTo("step,lr,train_loss,train_accuracy,validation_loss,validation_accuracy,weight_norm");
        assertThat(metrics.get(1)).startsWith("0,");
        JsonNode result = Json.mapper().readTree(out.resolve("result.json").toFile());
        assertThat(result.at("/events/phase").asText()).isIn("COMPREHENSION", "GROKKING", "MEMORISATION", "CONFUSION");
        assertThat(result.at("/trainPairs").asInt() + result.at("/validationPairs").asInt()).isEqualTo(11 * 11);
        assertThat(result.at("/events/budgetSteps").asLong()).isEqualTo(result.at("/stepsRun").asLong());
        assertThat(r.out()).contains(result.at("/events/summary").asText(), "p = 11");
        assertThat(Files.size(out.resolve("accuracy.png"))).isGreaterThan(5_000);
        // both charts decode at the standard size, and draw the train (first palette colour) and
        // validation (second) curves inside the plot, left of the legend
        for (String chart : new String[] {"accuracy.png", "loss.png"}) {
            BufferedImage image = decode(out.resolve(chart));
            assertThat(distinctColours(image)).as(chart).isGreaterThan(20);
            assertThat(pixelsOf(image, ChartStyle.PALETTE[0])).as(chart + " train curve").isGreaterThan(200);
            assertThat(pixelsOf(image, ChartStyle.PALETTE[1])).as(chart + " validation curve").isGreaterThan(200);
        }
        // a finished run is read back, not trained again
        long before = Files.getLastModifiedTime(out.resolve("metrics.csv")).toMillis();
        Cli.Result again = Cli.run("grok", config("tiny.yaml").toString(), "--out", out.toString());
        assertThat(again.code()).isZero();
        assertThat(again.out()).doesNotContain("step       0");
        assertThat(Files.getLastModifiedTime(out.resolve("metrics.csv")).toMillis()).isEqualTo(before);

        // other thresholds: the same curves, detected again (not the stored events), still not retrained
        JsonNode original = result.get("events");
        Long expectedMemorised = null;
        for (String row : metrics.subList(1, metrics.size())) {
            String[] c = row.split(",");
            if (Double.parseDouble(c[3]) >= 0.05) {
                expectedMemorised = Long.parseLong(c[0]);
                break;
            }
        }
        assertThat(expectedMemorised).as("train accuracy reaches 5%").isNotNull();
        Cli.Result low = Cli.run("grok", config("tiny.yaml").toString(), "--out", out.toString(), "--memorised", "0.05");
        assertThat(low.code()).as(low.err()).isZero();
        JsonNode redetected = Json.mapper().readTree(out.resolve("result.json").toFile()).get("events");
        assertThat(redetected.get("memorisedStep").isIntegralNumber()).as(redetected.toString()).isTrue();
        assertThat(redetected.get("memorisedStep").asLong()).isEqualTo(expectedMemorised);
        assertThat(redetected).isNotEqualTo(original);
        assertThat(low.out()).contains(redetected.get("summary").asText());
        assertThat(Files.getLastModifiedTime(out.resolve("metrics.csv")).toMillis()).isEqualTo(before);
        Cli.Result back = Cli.run("grok", config("tiny.yaml").toString(), "--out", out.toString());
        assertThat(back.code()).isZero();
        assertThat(Json.mapper().readTree(out.resolve("result.json").toFile()).get("events")).isEqualTo(original);
    }

    @Test
    void thePhaseDiagramRunsEveryCellOnceShardedAndResumed() throws Exception {
        Path out = dir.resolve("phase");
        Cli.Result first = Cli.run("grok", config("tiny.yaml").toString(), "--phase", "--out", out.toString(),
                "--shard", "1/2", "--jobs", "2");
        assertThat(first.code()).as(first.err()).isZero();
        try (var cells = Files.list(out.resolve("cells"))) {
            assertThat(cells.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("f0.5-wd0", "f0.8-wd0");
        }
        Cli.Result rest = Cli.run("grok", config("tiny.yaml").toString(), "--phase", "--out", out.toString(), "--jobs", "2");
        assertThat(rest.code()).as(rest.err()).isZero();
        assertThat(rest.out()).contains("4 of 4 cells done").doesNotContain("cell f0.5-wd0 ");
        List<String> csv = Files.readAllLines(out.resolve("phase.csv"));
        assertThat(csv).hasSize(5);
        assertThat(csv.get(0)).startsWith("train_fraction,weight_decay,phase");
        for (String row : csv.subList(1, 5)) {
            assertThat(row.split(",")[2]).isIn(Set.of("comprehension", "grokking", "memorisation", "confusion"));
        }
        assertThat(Files.size(out.resolve("phase.png"))).isGreaterThan(5_000);
        // one square marker per cell, coloured by its phase (the first class takes the first palette colour)
        BufferedImage phase = decode(out.resolve("phase.png"));
        assertThat(distinctColours(phase)).isGreaterThan(20);
        assertThat(pixelsOf(phase, ChartStyle.PALETTE[0])).as("a phase's squares").isGreaterThan(200);

        // another detector reclassifies the finished cells from their curves, training none again
        Cli.Result strict = Cli.run("grok", config("tiny.yaml").toString(), "--phase", "--out", out.toString(),
                "--memorised", "0.05", "--generalised", "0.05");
        assertThat(strict.code()).as(strict.err()).isZero();
        assertThat(strict.out()).contains("4 of 4 cells done").doesNotContain("cell f0.5-wd0 ");
        List<String> expected = new java.util.ArrayList<>();
        try (var cells = Files.list(out.resolve("cells"))) {
            for (Path cell : cells.toList()) {
                List<String> rows = Files.readAllLines(cell.resolve("metrics.csv"));
                boolean memorised = rows.stream().skip(1).anyMatch(r -> Double.parseDouble(r.split(",")[3]) >= 0.05);
                boolean generalised = rows.stream().skip(1).anyMatch(r -> Double.parseDouble(r.split(",")[5]) >= 0.05);
                expected.add(!memorised ? "confusion" : !generalised ? "memorisation" : "generalised");
            }
        }
        List<String> phases = Files.readAllLines(out.resolve("phase.csv")).subList(1, 5).stream()
                .map(r -> r.split(",")[2]).map(p -> p.equals("comprehension") || p.equals("grokking") ? "generalised" : p)
                .toList();
        assertThat(phases).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).as("5% accuracy is reached: the stored (99%) events said otherwise").contains("generalised");

        // a cell whose metrics.csv was cut: one line naming it, exit 3
        Path cut = out.resolve("cells").resolve("f0.5-wd0").resolve("metrics.csv");
        String text = Files.readString(cut);
        Files.writeString(cut, text.substring(0, text.length() - 20));
        Cli.Result damaged = Cli.run("grok", config("tiny.yaml").toString(), "--phase", "--out", out.toString());
        assertThat(damaged.code()).as(damaged.err()).isEqualTo(3);
        assertThat(damaged.err()).startsWith("scalelab: error: " + cut).hasLineCount(1);
    }

    @Test
    void badConfigsAndOptionsNameTheFileLineAndField() {
        Cli.Result prime = Cli.run("grok", config("bad-prime.yaml").toString(), "--out", dir.toString());
        assertThat(prime.code()).isEqualTo(3);
        assertThat(prime.err()).contains("bad-prime.yaml line 3, field \"task.p\": 12 is not a prime").hasLineCount(1);
        Cli.Result noGrid = Cli.run("grok", config("bad-prime.yaml").toString().replace("bad-prime", "tiny"), "--phase",
                "--memorised", "1.5", "--out", dir.toString());
        assertThat(noGrid.code()).isEqualTo(3);
        assertThat(noGrid.err()).contains("--memorised");
    }

    /** The shipped presets load and say what their papers did. */
    @Test
    void thePresetsResolveToThePapersSettings() {
        dev.scalelab.sweep.grok.GrokSpec power = dev.scalelab.sweep.grok.GrokSpec.load(Path.of("..", "configs", "grok-power2022.yaml"));
        assertThat(List.of(power.p(), power.layers(), power.dModel(), power.heads(), power.batch())).containsExactly(97, 2, 128, 4, 512);
        assertThat(List.of(power.trainFraction(), power.lr(), power.beta2(), power.weightDecay())).containsExactly(0.5, 1e-3, 0.98, 1.0);
        dev.scalelab.sweep.grok.GrokSpec nanda = dev.scalelab.sweep.grok.GrokSpec.load(Path.of("..", "configs", "grok-nanda2023.yaml"));
        assertThat(List.of(nanda.p(), nanda.layers(), nanda.dModel(), nanda.heads(), nanda.mlpWidth(), nanda.batch()))
                .containsExactly(113, 1, 128, 4, 512, 0);
        assertThat(nanda.activation()).isEqualTo("relu");
        assertThat(nanda.layerNorm()).isFalse();
        assertThat(nanda.trainFraction()).isEqualTo(0.3);
        dev.scalelab.sweep.grok.GrokSpec quick = dev.scalelab.sweep.grok.GrokSpec.load(Path.of("..", "configs", "grok-quick.yaml"));
        assertThat(quick.phaseTrainFractions()).hasSize(3);
        assertThat(quick.phaseWeightDecays()).hasSize(4);
    }

    /** configs/grok-quick.yaml groks on this machine: memorises, then generalises well after. */
    @Test
    @Tag("slow")
    void grokQuickGroks() throws Exception {
        Path quick = Path.of("..", "configs", "grok-quick.yaml");
        Path out = dir.resolve("quick");
        Cli.Result r = Cli.run("grok", quick.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode events = Json.mapper().readTree(out.resolve("result.json").toFile()).get("events");
        assertThat(events.get("phase").asText()).as(r.out()).isEqualTo("GROKKING");
        assertThat(events.get("generalisedStep").asLong()).isGreaterThanOrEqualTo(3 * events.get("memorisedStep").asLong());
    }
}
