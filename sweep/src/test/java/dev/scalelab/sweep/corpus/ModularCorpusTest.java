package dev.scalelab.sweep.corpus;

import dev.scalelab.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModularCorpusTest {
    @Test
    void operationsAreModularArithmetic() {
        int p = 97;
        assertThat(ModularCorpus.Op.ADD.apply(90, 10, p)).isEqualTo(3);
        assertThat(ModularCorpus.Op.SUB.apply(3, 10, p)).isEqualTo(90);
        assertThat(ModularCorpus.Op.MUL.apply(50, 2, p)).isEqualTo(3);
        for (int b = 1; b < p; b++) {
            int q = ModularCorpus.Op.DIV.apply(7, b, p);
            assertThat(ModularCorpus.Op.MUL.apply(q, b, p)).isEqualTo(7);
        }
        assertThat(ModularCorpus.Op.SQUARES.apply(3, 4, p)).isEqualTo(25);
    }

    @Test
    void trainAndValidationSplitAllPairsWithoutOverlap() {
        ModularCorpus c = ModularCorpus.parse("modular:p=13,op=/,train=0.3");
        assertThat(c.trainPairs() + c.validationPairs()).isEqualTo(13 * 12); // b = 0 has no inverse
        assertThat(c.trainPairs()).isEqualTo(Math.round(0.3 * 13 * 12));
        Set<Integer> train = new HashSet<>();
        for (int[] pair : c.trainSet()) {
            train.add(pair[0] * 13 + pair[1]);
        }
        for (int[] pair : c.validationSet()) {
            assertThat(train).doesNotContain(pair[0] * 13 + pair[1]);
        }
        // the validation stream draws only held-out pairs, the training stream only training pairs
        int[] tokens = new int[16 * 5];
        c.validationWindows(0, 3, 16, 4, tokens);
        for (int b = 0; b < 16; b++) {
            assertThat(train).doesNotContain(tokens[b * 5] * 13 + tokens[b * 5 + 2]);
            assertThat(tokens[b * 5 + 1]).isEqualTo(13);
            assertThat(tokens[b * 5 + 3]).isEqualTo(14);
            assertThat(tokens[b * 5 + 4]).isEqualTo(ModularCorpus.Op.DIV.apply(tokens[b * 5], tokens[b * 5 + 2], 13));
        }
    }

    @Test
    void theFloorCountsTheRandomOperandsExactly() {
        ModularCorpus c = ModularCorpus.parse("modular:p=11,train=0.5");
        // an equation carries log(train pairs) nats, in a and in b given a
        assertThat(c.entropyRateNats()).isCloseTo(Math.log(c.trainPairs()) / 5, within(1e-12));
        // context 4: targets op, b, '=', c: only b given a is random
        double[] h = c.positionEntropies();
        assertThat(c.windowFloorNats(4)).isCloseTo(h[2] / 4, within(1e-12));
        assertThat(h[0] + h[2]).isCloseTo(Math.log(c.trainPairs()), within(1e-12));
    }

    @Test
    void badOptionsAreClearErrors() {
        assertThatThrownBy(() -> ModularCorpus.parse("modular:p=100")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("modulus 100 is not a prime");
        assertThatThrownBy(() -> ModularCorpus.parse("modular:op=%")).hasMessageContaining("cannot read modular option 'op=%'");
        assertThatThrownBy(() -> ModularCorpus.parse("modular:train=1.5")).hasMessageContaining("train fraction 1.5");
    }

    @Test
    void probesScoreTheAnswerOnTrainingAndHeldOutEquations() {
        ModularCorpus c = ModularCorpus.parse("modular:p=11,train=0.5");
        int vocab = c.vocabSize();
        Probes.Model oracle = new Probes.Model() {
            public int batch() { return 8; }
            public int context() { return 4; }
            public int vocab() { return vocab; }
            public float[] logProbabilities(int[] tokens) {
                float[] lp = new float[8 * 4 * vocab];
                java.util.Arrays.fill(lp, Float.NEGATIVE_INFINITY);
                for (int b = 0; b < 8; b++) {
                    for (int t = 0; t < 4; t++) {
                        lp[(b * 4 + t) * vocab + tokens[b * 5 + t + 1]] = 0f;
                    }
                }
                return lp;
            }
        };
        List<Probes.Row> rows = Probes.evaluate(c, oracle, 3);
        assertThat(rows).extracting(Probes.Row::skill).containsOnly("modular_train", "modular_validation");
        assertThat(rows).filteredOn(r -> r.metric().equals("exact_match")).allSatisfy(r -> assertThat(r.value()).isEqualTo(1.0));
        assertThat(rows).filteredOn(r -> r.metric().equals("brier")).allSatisfy(r -> assertThat(r.value()).isEqualTo(0.0));
    }
}
