package dev.scalelab.sweep.corpus;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProbesTest {
    private final SyntheticCorpus corpus = SyntheticCorpus.standard();

    /** A model that knows the next token: log p = 0 on it, −∞ elsewhere. */
    private Probes.Model oracle(int batch, int context) {
        int vocab = corpus.vocabSize();
        return new Probes.Model() {
            public int batch() { return batch; }
            public int context() { return context; }
            public int vocab() { return vocab; }
            public float[] logProbabilities(int[] tokens) {
                float[] lp = new float[batch * context * vocab];
                java.util.Arrays.fill(lp, Float.NEGATIVE_INFINITY);
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < context; t++) {
                        lp[(b * context + t) * vocab + tokens[b * (context + 1) + t + 1]] = 0f;
                    }
                }
                return lp;
            }
        };
    }

    private Probes.Model uniform(int batch, int context) {
        int vocab = corpus.vocabSize();
        return new Probes.Model() {
            public int batch() { return batch; }
            public int context() { return context; }
            public int vocab() { return vocab; }
            public float[] logProbabilities(int[] tokens) {
                float[] lp = new float[batch * context * vocab];
                java.util.Arrays.fill(lp, (float) -Math.log(vocab));
                return lp;
            }
        };
    }

    private static Map<String, Double> byName(List<Probes.Row> rows) {
        return rows.stream().collect(Collectors.toMap(r -> r.skill() + "." + r.metric(), Probes.Row::value));
    }

    @Test
    void aPerfectOracleScoresPerfectly() {
        Map<String, Double> m = byName(Probes.evaluate(corpus, oracle(32, 64), 7));
        for (String skill : List.of("facts", "copy", "arithmetic")) {
            assertThat(m.get(skill + ".exact_match")).as(skill).isEqualTo(1.0);
            assertThat(m.get(skill + ".token_accuracy")).isEqualTo(1.0);
            assertThat(m.get(skill + ".answer_logprob")).isEqualTo(0.0);
            assertThat(m.get(skill + ".edit_distance")).isEqualTo(0.0);
            assertThat(m.get(skill + ".brier")).isEqualTo(0.0);
        }
        assertThat(m.get("copy.loss_repeat")).isEqualTo(0.0);
    }

    @Test
    void aUniformModelScoresAtChance() {
        int vocab = corpus.vocabSize();
        List<Probes.Row> rows = Probes.evaluate(corpus, uniform(32, 64), 0);
        Map<String, Double> m = byName(rows);
        for (String skill : List.of("facts", "copy", "arithmetic")) {
            // ties go to token 0, a marker, never an answer
            assertThat(m.get(skill + ".exact_match")).isEqualTo(0.0);
            assertThat(m.get(skill + ".token_accuracy")).isEqualTo(0.0);
            assertThat(m.get(skill + ".answer_logprob")).isCloseTo(-Math.log(vocab), within(1e-5));
            assertThat(m.get(skill + ".brier")).isCloseTo(1 - 1.0 / vocab, within(1e-5));
        }
        assertThat(m.get("facts.edit_distance")).isEqualTo(2.0);
        assertThat(m.get("arithmetic.edit_distance")).isEqualTo(3.0);
        assertThat(m.get("copy.loss_first_span")).isCloseTo(Math.log(vocab), within(1e-5));
        assertThat(rows).allSatisfy(r -> assertThat(r.step()).isZero());
        assertThat(rows.stream().filter(r -> r.metric().equals("exact_match")).mapToInt(Probes.Row::n)).containsOnly(256);
    }

    @Test
    void skillsWhoseEpisodesDoNotFitTheWindowAreLeftOut() {
        // context 8: facts (6 tokens) and arithmetic (10) ... arithmetic needs 9 targets, copy (13) needs 12
        List<Probes.Row> rows = Probes.evaluate(corpus, uniform(4, 8), 0);
        assertThat(rows).extracting(Probes.Row::skill).containsOnly("facts");
    }

    @Test
    void editDistanceIsLevenshtein() {
        assertThat(Probes.editDistance(new int[] {1, 2, 3}, new int[] {1, 2, 3})).isZero();
        assertThat(Probes.editDistance(new int[] {1, 2, 3}, new int[] {1, 3})).isEqualTo(1);
        assertThat(Probes.editDistance(new int[] {3, 2, 1}, new int[] {1, 2, 3})).isEqualTo(2);
    }
}
