package dev.scalelab.sweep.corpus;

/**
 * A source of training and validation token sequences. Batches are pure functions of the seed
 * and the step (or validation index), so a resumed run sees exactly the batches an uninterrupted
 * one would, and the training and validation streams never share a sequence.
 */
public interface Corpus {
    /** The id it was made from, e.g. {@code markov} or {@code text:/data/file.txt}. */
    String id();

    /** Number of distinct tokens; token ids are 0 .. vocabSize()-1. */
    int vocabSize();

    /** The true entropy rate in nats/token of the stream, or NaN when unknown. */
    double entropyRateNats();

    /**
     * The loss no model can beat on this corpus's windows of {@code context} targets, in nats/token:
     * the E that validation losses approach. Equal to the entropy rate unless windows start at
     * special positions (episode boundaries); NaN when unknown.
     */
    default double windowFloorNats(int context) {
        return entropyRateNats();
    }

    /** Passes over the training data that {@code tokens} training tokens make; NaN for an unbounded stream. */
    default double epochs(long tokens) {
        return Double.NaN;
    }

    /**
     * Fills {@code out} with {@code batch} sequences of {@code context + 1} tokens for training
     * step {@code step}; inputs are tokens 0..context-1 of each, targets 1..context.
     */
    void trainBatch(long seed, long step, int batch, int context, int[] out);

    /** The same for validation batch {@code index}, from a stream disjoint from training. */
    void validationBatch(long seed, int index, int batch, int context, int[] out);
}
