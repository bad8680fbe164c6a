package dev.scalelab.sweep.train;

import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.Precision;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.model.Architecture;

/**
 * Where a model's parameters, gradients and AdamW moments live and one training step runs: the
 * trainer, grokking runs, the planner's throughput calibration and the step benchmark all step
 * through this, so the step is written once per engine. {@link #cpu} is scalelab's Java-kernel engine;
 * another (one keeping its arrays on a GPU, say) implements the same operations.
 *
 * <p>Tokens are (batch, context+1) windows, row-major, as the corpora write them.
 */
public interface TrainingEngine extends AutoCloseable {

    /**
     * The model an engine trains: its shape, output tying, batch size, threads, architecture and
     * the precision of its matrix multiplies (float32 unless asked).
     */
    record Model(ModelShape shape, boolean tiedOutput, int batch, int threads, Architecture architecture,
                 Precision precision) {
        public Model(ModelShape shape, boolean tiedOutput, int batch, int threads, Architecture architecture) {
            this(shape, tiedOutput, batch, threads, architecture, Precision.FP32);
        }

        public Model(ModelShape shape, boolean tiedOutput, int batch, int threads) {
            this(shape, tiedOutput, batch, threads, Architecture.GPT2);
        }

        /** The GPT-2 model a run's spec trains, in the spec's threads and precision. */
        public static Model of(TrainSpec spec) {
            return new Model(spec.shape(), spec.tiedOutput(), spec.batch(), spec.threads(), Architecture.GPT2,
                    spec.precision());
        }
    }

    /** What one step measured: the batch's mean loss (nats/token) and the gradients' L2 norm before clipping. */
    record StepResult(double loss, double gradNorm) {
    }

    /** Parameters, AdamW's moments and its step count: what a checkpoint holds of the engine. */
    record Snapshot(float[] values, float[] firstMoment, float[] secondMoment, long optimizerSteps) {
    }

    /** The Java-kernel engine over {@link dev.scalelab.sweep.model.Gpt} and {@link AdamW}. */
    static TrainingEngine cpu(Model model, TrainSpec.Optimizer optimizer, StepOptions options) {
        return new CpuEngine(model, optimizer, options);
    }

    /** Initialises the parameters from {@code seed}, every standard deviation times {@code scale}. */
    void init(long seed, double scale);

    /**
     * One training step on {@code tokens}: forward, backward, clipping and one AdamW update at
     * {@code learningRate}, as the engine's {@link StepOptions} say. The update is made whatever the loss.
     */
    StepResult step(int[] tokens, double learningRate);

    /** Mean loss (nats/token) of a batch, forward only. */
    double loss(int[] tokens);

    /** Log-probabilities of the next token at every position, (batch·context, vocab), forward only. */
    float[] logProbabilities(int[] tokens);

    int parameterCount();

    /** The parameter values, flat; read them before the next step and do not change them. */
    float[] parameters();

    /** The state a checkpoint saves; the arrays may be the engine's own, so write them before the next step. */
    Snapshot snapshot();

    /** Continues from a checkpoint's state. */
    void restore(Snapshot state);

    @Override
    void close();
}
