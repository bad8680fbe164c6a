package dev.scalelab.sweep.model;

import dev.scalelab.core.model.ModelShape;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Row kernels (LayerNorm, GELU and ReLU, bias adds and gradients, residual adds, the loss, the
 * copies) are split across workers only when a matrix is large enough to pay for the hand-off
 * (about 2^20 floats), so the small models of the gradient checks and regression tests run them on
 * one thread. Here the workers split at 1024 floats, so every kernel of this model is cut into
 * chunks claimed by two threads, and one training step must give the loss and every gradient bit
 * for bit as on one thread.
 */
class ThreadSplitTest {
    private static final ModelShape SHAPE = new ModelShape(2, 2, 64, 128, 256);
    private static final int BATCH = 16; // 2048 rows

    @Test
    void gpt2BlocksGiveTheSameBitsOnOneAndTwoThreads() {
        assertSameBits(Architecture.GPT2, true);
        assertSameBits(Architecture.GPT2, false);
    }

    @Test
    void blocksWithoutLayerNormGiveTheSameBitsOnOneAndTwoThreads() {
        assertSameBits(new Architecture("relu", false, 0), false);
    }

    @Test
    void answerOnlyLossGivesTheSameBitsOnOneAndTwoThreads() {
        Step one = step(Architecture.GPT2, true, 1, 5);
        Step two = step(Architecture.GPT2, true, 2, 5);
        assertThat(two.lossBits).isEqualTo(one.lossBits);
        assertThat(two.grads).isEqualTo(one.grads);
    }

    private static void assertSameBits(Architecture arch, boolean tied) {
        Step one = step(arch, tied, 1, -1);
        Step two = step(arch, tied, 2, -1);
        assertThat(one.loss).as("a real loss").isBetween(5.0, 6.5); // ln 256 = 5.55 at initialisation
        assertThat(two.lossBits).as("loss").isEqualTo(one.lossBits);
        assertThat(two.grads).as("gradients").isEqualTo(one.grads);
        assertThat(two.validationBits).as("forward-only loss").isEqualTo(one.validationBits);
    }

    private record Step(double loss, long lossBits, long validationBits, float[] grads) {
    }

    private static Step step(Architecture arch, boolean tied, int threads, int lossPosition) {
        Parallel parallel = threads == 1 ? new Parallel(1) : new Parallel(threads, 1024);
        try (Gpt model = new Gpt(SHAPE, tied, BATCH, parallel, arch)) {
            model.init(3);
            if (lossPosition >= 0) {
                model.lossPositions(lossPosition);
            }
            Random rng = new Random(4);
            int[] tokens = new int[BATCH * (SHAPE.context() + 1)];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = rng.nextInt(SHAPE.vocab());
            }
            double loss = model.lossAndGradients(tokens);
            float[] grads = model.params().grads().clone();
            assertThat(grads).as("gradients were computed").matches(g -> {
                for (float v : g) {
                    if (v != 0f) {
                        return true;
                    }
                }
                return false;
            });
            double validation = model.loss(tokens);
            return new Step(loss, Double.doubleToRawLongBits(loss), Double.doubleToRawLongBits(validation), grads);
        }
    }
}
