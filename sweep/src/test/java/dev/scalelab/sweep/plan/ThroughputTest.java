package dev.scalelab.sweep.plan;

import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.train.TrainingEngine;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The throughput calibration times the training engine's own step, at its fixed learning rate. */
class ThroughputTest {
    @Test
    void calibrationTimesTheEnginesStepOnRandomTokens() {
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(3e-3, LrSchedule.COSINE, 1, 0.1, 0.2, 0.1, false,
                0.9, 0.95, 1e-8, 0);
        TrainSpec spec = new TrainSpec(new ModelShape(1, 2, 16, 8, 64), true, "markov", 1, 2, 10, opt, 5, 1, 0, 1, "test");
        List<Double> rates = new ArrayList<>();
        List<int[]> batches = new ArrayList<>();
        TrainingEngine.Model model = new TrainingEngine.Model(spec.shape(), true, spec.batch(), 1);
        try (TrainingEngine real = TrainingEngine.cpu(model, opt, Throughput.CALIBRATION)) {
            real.init(0, 1.0);
            TrainingEngine counting = new TrainingEngine() {
                @Override
                public void init(long seed, double scale) {
                    real.init(seed, scale);
                }

                @Override
                public StepResult step(int[] tokens, double learningRate) {
                    rates.add(learningRate);
                    batches.add(tokens.clone());
                    return real.step(tokens, learningRate);
                }

                @Override
                public double loss(int[] tokens) {
                    return real.loss(tokens);
                }

                @Override
                public float[] logProbabilities(int[] tokens) {
                    return real.logProbabilities(tokens);
                }

                @Override
                public int parameterCount() {
                    return real.parameterCount();
                }

                @Override
                public float[] parameters() {
                    return real.parameters();
                }

                @Override
                public Snapshot snapshot() {
                    return real.snapshot();
                }

                @Override
                public void restore(Snapshot state) {
                    real.restore(state);
                }

                @Override
                public void close() {
                }
            };
            float[] before = real.parameters().clone();
            double tokensPerSecond = Throughput.measure(spec, counting);
            assertThat(tokensPerSecond).isPositive().isFinite();
            // at least 2 warm-up and 3 timed steps, every one at the calibration's fixed rate, not the spec's schedule
            assertThat(rates).hasSizeGreaterThanOrEqualTo(5).containsOnly(Throughput.CALIBRATION_LEARNING_RATE);
            assertThat(batches).allSatisfy(b -> {
                assertThat(b).hasSize(2 * 9);
                assertThat(java.util.Arrays.stream(b).allMatch(t -> t >= 0 && t < 64)).isTrue();
            });
            assertThat(batches.get(0)).isNotEqualTo(batches.get(1));   // fresh random tokens each step
            assertThat(real.parameters()).isNotEqualTo(before);      // the steps updated the model
            assertThat(real.snapshot().optimizerSteps()).isEqualTo(rates.size());
        }
    }
}
