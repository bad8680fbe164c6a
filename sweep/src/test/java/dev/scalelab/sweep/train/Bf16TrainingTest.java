package dev.scalelab.sweep.train;

import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.core.run.TrainingDefaults;
import dev.scalelab.sweep.model.Architecture;
import dev.scalelab.core.run.Precision;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Training with bfloat16 matrix multiplies (float32 accumulation, float32 master weights and
 * optimizer): it learns what float32 learns, it is not float32 in disguise, and the same seed
 * gives the same bits.
 */
class Bf16TrainingTest {
    private static final ModelShape SHAPE = new ModelShape(2, 2, 32, 16, 32);
    private static final int BATCH = 8;
    private static final int STEPS = 80;

    @Test
    void bf16LearnsASequenceAsFloat32DoesAndRepeatsItsBits() {
        double[] fp32 = train(Precision.FP32);
        double[] bf16 = train(Precision.BF16);
        double[] again = train(Precision.BF16);
        double initial = Math.log(SHAPE.vocab());
        assertThat(fp32[0]).isBetween(initial - 0.3, initial + 0.3);
        assertThat(fp32[STEPS - 1]).as("float32 learns the sequence").isLessThan(0.3 * initial);
        assertThat(bf16[STEPS - 1]).as("bf16 ends where float32 does")
                .isCloseTo(fp32[STEPS - 1], org.assertj.core.data.Offset.offset(0.1 * fp32[STEPS - 1]));
        assertThat(bf16).as("bf16 rounds: its losses are not float32's").isNotEqualTo(fp32);
        assertThat(again).as("same seed, same bits").isEqualTo(bf16);
    }

    /** Per-step losses on windows of the sequence t' = 5t + 3 (mod vocab) from random starts. */
    private static double[] train(Precision precision) {
        TrainSpec.Optimizer opt = TrainingDefaults.adamW(3e-3, LrSchedule.CONSTANT, 0,
                TrainingDefaults.WEIGHT_DECAY, TrainingDefaults.GRAD_CLIP);
        TrainingEngine.Model model = new TrainingEngine.Model(SHAPE, true, BATCH, 1, Architecture.GPT2, precision);
        SplittableRandom rng = new SplittableRandom(7);
        int window = SHAPE.context() + 1;
        int[] tokens = new int[BATCH * window];
        double[] losses = new double[STEPS];
        try (TrainingEngine engine = TrainingEngine.cpu(model, opt, StepOptions.of(opt))) {
            engine.init(11, 1.0);
            for (int s = 0; s < STEPS; s++) {
                for (int b = 0; b < BATCH; b++) {
                    int t = rng.nextInt(SHAPE.vocab());
                    for (int i = 0; i < window; i++) {
                        tokens[b * window + i] = t;
                        t = (5 * t + 3) % SHAPE.vocab();
                    }
                }
                losses[s] = engine.step(tokens, opt.learningRate()).loss();
            }
        }
        return losses;
    }
}
