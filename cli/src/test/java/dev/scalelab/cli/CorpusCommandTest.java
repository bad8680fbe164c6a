package dev.scalelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.io.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CorpusCommandTest {
    @Test
    void describesTheSyntheticCorpusWithItsExactFloor() throws Exception {
        Cli.Result r = Cli.run("corpus", "describe", "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode card = Json.mapper().readTree(r.out());
        assertThat(card.path("name").asText()).isEqualTo("synthetic");
        assertThat(card.path("vocab").asInt()).isEqualTo(176);
        assertThat(card.path("entropyRateNats").asDouble()).isCloseTo(1.02514, within(1e-5));
        assertThat(card.path("windowFloorNats").asDouble()).isCloseTo(1.03912, within(1e-5));
        assertThat(card.path("episodes")).hasSize(4);
        assertThat(card.path("skills")).hasSize(3);
        assertThat(card.path("generationTokensPerSecond").asDouble()).isPositive();

        Cli.Result text = Cli.run("corpus", "describe", "arithmetic:digits=3", "--context", "64");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("corpus           arithmetic", "3-digit a+b=c");
        Cli.Result bad = Cli.run("corpus", "describe", "wiki");
        assertThat(bad.code()).isEqualTo(3);
        assertThat(bad.err()).contains("unknown corpus 'wiki'").hasLineCount(1);
    }
}
