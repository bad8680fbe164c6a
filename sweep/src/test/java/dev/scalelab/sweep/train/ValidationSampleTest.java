package dev.scalelab.sweep.train;

import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.corpus.MarkovCorpus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ValidationSampleTest {
    private static final int CONTEXT = 8;
    private static final int VOCAB = 256;

    /** A stand-in model whose loss on a target token t is 1 + (t mod 7) / 10: every target counts differently. */
    private static final class TokenCostEngine implements TrainingEngine {
        private final int batch;

        TokenCostEngine(int batch) {
            this.batch = batch;
        }

        static double cost(int token) {
            return 1 + (token % 7) / 10.0;
        }

        @Override
        public double loss(int[] tokens) {
            assertThat(tokens).hasSize(batch * (CONTEXT + 1));
            double sum = 0;
            for (int b = 0; b < batch; b++) {
                for (int t = 1; t <= CONTEXT; t++) {
                    sum += cost(tokens[b * (CONTEXT + 1) + t]);
                }
            }
            return sum / (batch * CONTEXT);
        }

        @Override
        public float[] logProbabilities(int[] tokens) {
            assertThat(tokens).hasSize(batch * (CONTEXT + 1));
            float[] out = new float[batch * CONTEXT * VOCAB];
            for (int row = 0; row < batch * CONTEXT; row++) {
                for (int v = 0; v < VOCAB; v++) {
                    out[row * VOCAB + v] = (float) -cost(v);
                }
            }
            return out;
        }

        @Override public void init(long seed, double scale) { }
        @Override public StepResult step(int[] tokens, double learningRate) { throw new UnsupportedOperationException(); }
        @Override public int parameterCount() { return 0; }
        @Override public float[] parameters() { return new float[0]; }
        @Override public Snapshot snapshot() { throw new UnsupportedOperationException(); }
        @Override public void restore(Snapshot state) { }
        @Override public void close() { }
    }

    private static TrainSpec spec(int batch, long seed, int evalBatches, long evalSeed) {
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(1e-3, dev.scalelab.core.run.LrSchedule.COSINE, 1, 0.1, 0.2,
                0.1, false, 0.9, 0.95, 1e-8, 1.0);
        return new TrainSpec(new ModelShape(1, 2, 16, CONTEXT, VOCAB), true, "markov", seed, batch, 10, opt, 5,
                evalBatches, evalSeed, 1, "test");
    }

    @Test
    void everyBatchSizeAndTrainingSeedScoresTheSameWindowsAndOnlyThem() {
        MarkovCorpus corpus = MarkovCorpus.standard();
        // by hand: the mean target cost over the sample's 32 windows
        int[] all = new int[32 * (CONTEXT + 1)];
        corpus.validationWindows(5, 0, 32, CONTEXT, all);
        double sum = 0;
        for (int w = 0; w < 32; w++) {
            for (int t = 1; t <= CONTEXT; t++) {
                sum += TokenCostEngine.cost(all[w * (CONTEXT + 1) + t]);
            }
        }
        double expected = sum / (32 * CONTEXT);
        // batch 16 divides the sample; 5 and 12 leave a padded last chunk whose padding must not count
        for (int batch : new int[] {16, 5, 12, 32, 40}) {
            ValidationSample sample = new ValidationSample(corpus, spec(batch, batch * 31L, 2, 5));
            assertThat(sample.meanLoss(new TokenCostEngine(batch))).as("batch " + batch).isCloseTo(expected, within(1e-6));
            assertThat(sample.floorNats()).isEqualTo(corpus.validationFloorNats(5, 32, CONTEXT));
        }
        ValidationSample other = new ValidationSample(corpus, spec(16, 0, 2, 6));
        assertThat(other.meanLoss(new TokenCostEngine(16))).as("another eval seed").isNotCloseTo(expected, within(1e-6));
    }
}
