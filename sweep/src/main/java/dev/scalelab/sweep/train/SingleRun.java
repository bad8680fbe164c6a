package dev.scalelab.sweep.train;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.core.run.TrainingDefaults;
import dev.scalelab.sweep.corpus.Corpus;
import dev.scalelab.sweep.platform.NativeBackend;

/**
 * One run's choices as a person gives them (null: the default), and the {@link TrainSpec} they
 * resolve to: defaults from {@link TrainingDefaults}, sizes checked, the thread count and native
 * build recorded.
 *
 * @param vocab      null for the corpus's vocabulary
 * @param steps      optimizer steps; null for {@code tokens}, or {@link TrainingDefaults#TRAIN_STEPS}
 * @param tokens     training tokens, rounded up to whole steps; null for {@code steps}
 * @param warmup     warm-up steps; null for 5% of the steps, at most {@link TrainingDefaults#TRAIN_WARMUP_MAX_STEPS}
 * @param evalInterval steps between evaluations; null for a tenth of the run
 */
public record SingleRun(int layers, int heads, int dModel, int context, Integer vocab, boolean untied, int batch,
                        Long steps, Double tokens, double lr, Long warmup, String schedule, double weightDecay,
                        double gradClip, long seed, String corpus, int threads, Long evalInterval, int evalBatches,
                        long evalSeed) {

    /** The resolved spec; {@code source} names where the choices came from, for errors. */
    public TrainSpec resolve(Corpus data, String source) {
        int v = vocab != null ? vocab : data.vocabSize();
        ModelShape shape;
        try {
            shape = new ModelShape(layers, heads, dModel, context, v);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, 0, fieldOf(e.getMessage()), e.getMessage(), null);
        }
        long n = steps(shape, source);
        long warm = warmup != null ? warmup : Math.min(TrainingDefaults.TRAIN_WARMUP_MAX_STEPS, Math.max(1, n / 20));
        long interval = evalInterval != null ? evalInterval : Math.max(1, n / 10);
        LrSchedule kind;
        try {
            kind = LrSchedule.fromId(schedule);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, 0, "schedule", e.getMessage(), null);
        }
        try {
            return new TrainSpec(shape, !untied, corpus, seed, batch, n,
                    TrainingDefaults.adamW(lr, kind, warm, weightDecay, gradClip), interval, evalBatches, evalSeed, threads,
                    NativeBackend.describe().classifier());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(source, 0, null, e.getMessage(), null);
        }
    }

    private long steps(ModelShape shape, String source) {
        if (tokens != null) {
            if (!(tokens > 0)) {
                throw new InvalidInputException(source, 0, "tokens", "must be positive, got " + tokens, null);
            }
            return (long) Math.ceil(tokens / ((double) batch * shape.context()));
        }
        return steps != null ? steps : TrainingDefaults.TRAIN_STEPS;
    }

    private static String fieldOf(String message) {
        int space = message.indexOf(' ');
        return space > 0 ? message.substring(0, space) : null;
    }
}
