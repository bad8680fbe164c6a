package dev.scalelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** scalelab emergence on a published table, on bad tables, and on a sweep folder. */
class EmergenceCommandTest {
    @TempDir
    Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(EmergenceCommandTest.class.getResource("/emergence/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode series(JsonNode all, String family, String metric) {
        for (JsonNode s : all) {
            if (s.path("family").asText().equals(family) && s.path("metric").asText().equals(metric)) {
                return s;
            }
        }
        throw new AssertionError("no series " + family + "/" + metric + " in " + all);
    }

    /** LAMBADA for Pythia and OPT: the scores match an independent computation, and nothing is emergent. */
    @Test
    void publishedLambadaResultsAreScoredAndFoundSmooth() throws Exception {
        Cli.Result r = Cli.run("emergence", fixture("lambada-pythia-opt.csv").toString(), "--format", "json",
                "--bootstrap", "50");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode all = Json.mapper().readTree(r.out());
        assertThat(all).hasSize(4);
        JsonNode pythiaAcc = series(all, "pythia-deduped", "acc");
        assertThat(pythiaAcc.path("totalImprovement").asDouble()).isCloseTo(0.51814477003687176, within(1e-12));
        assertThat(pythiaAcc.path("breakthroughness").asDouble()).isCloseTo(13.553299492385813, within(1e-9));
        assertThat(pythiaAcc.path("linearity").asDouble()).isCloseTo(5.4434020472819036, within(1e-9));
        JsonNode optPpl = series(all, "opt", "ppl");
        assertThat(optPpl.path("totalImprovement").asDouble()).isCloseTo(-22.733282380603359, within(1e-9));
        assertThat(optPpl.path("breakthroughness").asDouble()).isCloseTo(-26.232458932213973, within(1e-9));
        assertThat(optPpl.path("linearity").asDouble()).isCloseTo(-4.3503762544529927, within(1e-9));
        for (JsonNode s : all) {
            assertThat(s.path("verdict").asText()).as(s.path("family") + "/" + s.path("metric")).isEqualTo("smooth");
            assertThat(s.path("points")).hasSize(8);
        }
        assertThat(pythiaAcc.path("mirage").path("verdict").asText()).startsWith("not emergent");
        assertThat(pythiaAcc.path("mirage").path("continuous").asText()).isEqualTo("ppl");

        Cli.Result text = Cli.run("emergence", fixture("lambada-pythia-opt.csv").toString(), "--bootstrap", "0",
                "--charts", dir.toString());
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("pythia-deduped", "lambada_openai", "smooth", "not emergent");
        assertThat(dir.resolve("emergence-opt-lambada_openai.png")).isRegularFile();
        assertThat(Files.size(dir.resolve("emergence-pythia-deduped-lambada_openai.png"))).isGreaterThan(5_000);
    }

    @Test
    void badTablesNameTheFileLineAndField() throws Exception {
        Path negative = dir.resolve("negative.csv");
        Files.writeString(negative, "family,params,task,metric,value\nf,1e6,t,em,0.1\nf,-1e7,t,em,0.2\n");
        Cli.Result r = Cli.run("emergence", negative.toString());
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).contains("negative.csv line 3, field \"params\"").contains("not positive").hasLineCount(1);

        Path missing = dir.resolve("missing.csv");
        Files.writeString(missing, "family,params,task,value\nf,1e6,t,0.1\n");
        Cli.Result m = Cli.run("emergence", missing.toString());
        assertThat(m.code()).isEqualTo(3);
        assertThat(m.err()).contains("field \"metric\"").contains("metric|metric_name");

        Path word = dir.resolve("word.csv");
        Files.writeString(word, "model_family,params,task,metric_name,value\nf,1e6,t,em,high\n");
        assertThat(Cli.run("emergence", word.toString()).err()).contains("word.csv line 2, field \"value\"");
    }

    @Test
    void aShortSeriesIsAnErrorForItselfAndNoAnalysableSeriesExitsFour() throws Exception {
        Path mixed = dir.resolve("mixed.csv");
        Files.writeString(mixed, "family,params,task,metric,value\n"
                + "a,1e6,t,em,0.1\na,1e7,t,em,0.2\n"
                + "b,1e6,t,em,0.1\nb,1e7,t,em,0.2\nb,1e8,t,em,0.4\n");
        Cli.Result r = Cli.run("emergence", mixed.toString(), "--format", "json");
        assertThat(r.code()).isZero();
        JsonNode all = Json.mapper().readTree(r.out());
        assertThat(series(all, "a", "em").path("error").asText()).contains("needs at least 3");
        assertThat(series(all, "b", "em").path("totalImprovement").asDouble()).isCloseTo(0.3, within(1e-12));

        Path tooShort = dir.resolve("short.csv");
        Files.writeString(tooShort, "family,params,task,metric,value\na,1e6,t,em,0.1\na,1e7,t,em,0.2\n");
        Cli.Result none = Cli.run("emergence", tooShort.toString());
        assertThat(none.code()).isEqualTo(4);
        assertThat(none.err()).contains("no series");
    }

    /** A tiny size ladder on addition, trained in process, analysed from its folder. */
    @Test
    void aSweepFoldersProbesAreAnalysed() throws Exception {
        Path out = dir.resolve("sweep");
        Cli.Result sweep = Cli.run("sweep", SweepCommandTest.config("tiny-arithmetic.yaml").toString(), "--out",
                out.toString(), "--jobs", "1", "--no-calibrate", "--no-advice");
        assertThat(sweep.code()).as(sweep.err()).isZero();
        Cli.Result r = Cli.run("emergence", out.toString(), "--format", "json", "--bootstrap", "20");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode all = Json.mapper().readTree(r.out());
        JsonNode exact = series(all, "tiny-arithmetic", "exact_match");
        assertThat(exact.path("task").asText()).isEqualTo("arithmetic");
        assertThat(exact.path("points")).hasSize(4);
        assertThat(exact.path("mirage").path("answerTokens").asInt()).isEqualTo(3);
        assertThat(exact.path("mirage").path("exactFromTokens")).hasSize(4);
        for (JsonNode p : exact.path("mirage").path("exactFromTokens")) {
            assertThat(p.path("predicted").asDouble())
                    .isCloseTo(Math.pow(p.path("tokenAccuracy").asDouble(), 3), within(1e-12));
        }
    }
}
