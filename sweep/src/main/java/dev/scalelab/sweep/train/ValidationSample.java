package dev.scalelab.sweep.train;

import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.corpus.Corpus;

/**
 * A study's validation sample: {@code evalWindows} windows that depend only on the corpus, the context
 * and the evaluation seed, scored in chunks of the model's batch. A last, partial chunk is padded with
 * repeats and its padding left out of the mean, so the loss is the mean over exactly the sample's targets
 * whatever the batch size.
 */
final class ValidationSample {
    private final Corpus corpus;
    private final long evalSeed;
    private final int windows;
    private final int context;
    private final int batch;
    private final int[] tokens;

    ValidationSample(Corpus corpus, TrainSpec spec) {
        this.corpus = corpus;
        this.evalSeed = spec.evalSeed();
        this.windows = spec.evalWindows();
        this.context = spec.shape().context();
        this.batch = spec.batch();
        this.tokens = new int[batch * (context + 1)];
    }

    /** The sample's own floor (NaN when the corpus does not know its probabilities). */
    double floorNats() {
        return corpus.validationFloorNats(evalSeed, windows, context);
    }

    /** The mean validation loss, nats/token, over every target of the sample. */
    double meanLoss(TrainingEngine engine) {
        double sum = 0;
        int length = context + 1;
        for (int first = 0; first < windows; first += batch) {
            int count = Math.min(batch, windows - first);
            corpus.validationWindows(evalSeed, first, count, context, tokens);
            if (count == batch) {
                sum += engine.loss(tokens) * count;
                continue;
            }
            for (int w = count; w < batch; w++) {
                System.arraycopy(tokens, 0, tokens, w * length, length);
            }
            sum += partialLoss(engine.logProbabilities(tokens), count);
        }
        return sum / windows;
    }

    /** The summed per-window mean loss of the first {@code count} windows, from log-probabilities (B·T, V). */
    private double partialLoss(float[] logProb, int count) {
        int length = context + 1;
        int vocab = logProb.length / (batch * context);
        double sum = 0;
        for (int w = 0; w < count; w++) {
            double window = 0;
            for (int t = 0; t < context; t++) {
                window -= logProb[(w * context + t) * vocab + tokens[w * length + t + 1]];
            }
            sum += window / context;
        }
        return sum;
    }
}
