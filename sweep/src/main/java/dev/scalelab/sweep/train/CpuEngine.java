package dev.scalelab.sweep.train;

import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.model.Gpt;
import dev.scalelab.sweep.model.PhaseTimer;

/** The Java-kernel {@link TrainingEngine}: a {@link Gpt} and {@link AdamW} over its flat parameter arrays. */
final class CpuEngine implements TrainingEngine {
    private final Gpt model;
    private final AdamW adam;
    private final StepOptions options;

    CpuEngine(Model m, TrainSpec.Optimizer optimizer, StepOptions options) {
        this.model = new Gpt(m.shape(), m.tiedOutput(), m.batch(), m.threads(), m.architecture(), m.precision());
        this.options = options;
        if (!options.lossPositions().isEmpty()) {
            model.lossPositions(options.lossPositions().stream().mapToInt(Integer::intValue).toArray());
        }
        this.adam = new AdamW(model.params(), optimizer, options.decayEveryParameter());
    }

    @Override
    public void init(long seed, double scale) {
        model.init(seed, scale);
    }

    @Override
    public StepResult step(int[] tokens, double learningRate) {
        double loss = model.lossAndGradients(tokens);
        long t = PhaseTimer.start();
        double gradNorm = AdamW.clip(model.params(), options.gradClip());
        adam.step(model.params(), learningRate);
        model.syncWeights();
        PhaseTimer.lap(PhaseTimer.Phase.OPTIMIZER, t);
        return new StepResult(loss, gradNorm);
    }

    @Override
    public double loss(int[] tokens) {
        return model.loss(tokens);
    }

    @Override
    public float[] logProbabilities(int[] tokens) {
        return model.logProbabilities(tokens);
    }

    @Override
    public int parameterCount() {
        return model.params().size();
    }

    @Override
    public float[] parameters() {
        return model.params().values();
    }

    @Override
    public Snapshot snapshot() {
        return new Snapshot(model.params().values(), adam.firstMoment(), adam.secondMoment(), adam.steps());
    }

    @Override
    public void restore(Snapshot state) {
        System.arraycopy(state.values(), 0, model.params().values(), 0, state.values().length);
        System.arraycopy(state.firstMoment(), 0, adam.firstMoment(), 0, state.firstMoment().length);
        System.arraycopy(state.secondMoment(), 0, adam.secondMoment(), 0, state.secondMoment().length);
        adam.restoreSteps(state.optimizerSteps());
        model.syncWeights();
    }

    @Override
    public void close() {
        model.close();
    }
}
