package dev.scalelab.sweep.corpus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CorpusTest {
    @Test
    void markovEntropyRateMatchesAMonteCarloEstimateFromItsOwnProbabilities() {
        MarkovCorpus corpus = MarkovCorpus.standard();
        int batch = 64;
        int context = 256;
        int[] tokens = new int[batch * (context + 1)];
        double sum = 0;
        long n = 0;
        for (int step = 0; step < 20; step++) {
            corpus.trainBatch(0, step, batch, context, tokens);
            for (int b = 0; b < batch; b++) {
                for (int t = 1; t <= context; t++) {
                    int base = b * (context + 1);
                    sum -= Math.log(corpus.probability(tokens[base + t - 1], tokens[base + t]));
                    n++;
                }
            }
        }
        // ~330k tokens; the per-token surprisal has sd ~1 nat, so the mean is good to ~0.005
        assertThat(sum / n).isCloseTo(corpus.entropyRateNats(), within(0.02));
        assertThat(corpus.entropyRateNats()).isBetween(0.5, Math.log(256));
    }

    @Test
    void batchesAreDeterministicAndTrainAndValidationDiffer() {
        MarkovCorpus corpus = MarkovCorpus.standard();
        int[] a = new int[4 * 33];
        int[] b = new int[4 * 33];
        corpus.trainBatch(5, 10, 4, 32, a);
        corpus.trainBatch(5, 10, 4, 32, b);
        assertThat(a).isEqualTo(b);
        corpus.trainBatch(5, 11, 4, 32, b);
        assertThat(a).isNotEqualTo(b);
        corpus.validationWindows(5, 10, 4, 32, b);
        assertThat(a).isNotEqualTo(b);
        assertThat(Arrays.stream(a).allMatch(t -> t >= 0 && t < 256)).isTrue();
    }

    @Test
    void textSplitsByPositionAndNeverMixesTheSplits(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("t.txt");
        byte[] bytes = new byte[2000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i < 1800 ? 'a' + i % 20 : 'A' + i % 20); // lower case train, upper case validation
        }
        Files.write(file, bytes);
        TextCorpus corpus = TextCorpus.read(file, 16);
        int[] tokens = new int[8 * 17];
        for (int step = 0; step < 50; step++) {
            corpus.trainBatch(1, step, 8, 16, tokens);
            assertThat(Arrays.stream(tokens).allMatch(t -> t >= 'a' && t < 'a' + 20)).isTrue();
            corpus.validationWindows(1, step, 8, 16, tokens);
            assertThat(Arrays.stream(tokens).allMatch(t -> t >= 'A' && t < 'A' + 20)).isTrue();
        }
        assertThatThrownBy(() -> TextCorpus.read(file, 128)).hasMessageContaining("too few for context 128");
        assertThatThrownBy(() -> Corpora.open("text:" + dir.resolve("missing"), 8)).hasMessageContaining("no such file");
        assertThatThrownBy(() -> Corpora.open("wiki", 8)).hasMessageContaining("unknown corpus 'wiki'");
    }

    @Test
    void aMarkovSamplesFloorIsItsOwnMeanSurprisalAndAveragesToTheEntropyRate() {
        MarkovCorpus corpus = MarkovCorpus.standard();
        // 400 windows of 64 targets: the sample mean is within about 0.02 nats of the stationary entropy rate
        assertThat(corpus.validationFloorNats(2, 400, 64)).isCloseTo(corpus.entropyRateNats(), within(0.03))
                .isNotEqualTo(corpus.validationFloorNats(3, 400, 64));
        // one window by hand: the mean of -log P(next | current) over its 8 targets
        int[] w = new int[9];
        corpus.validationWindows(2, 0, 1, 8, w);
        double sum = 0;
        for (int t = 1; t < 9; t++) {
            sum -= Math.log(corpus.probability(w[t - 1], w[t]));
        }
        assertThat(corpus.validationFloorNats(2, 1, 8)).isCloseTo(sum / 8, within(1e-12));
    }
}
