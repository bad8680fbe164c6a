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

    /**
     * Fills {@code out} with validation windows {@code first .. first+count-1} of {@code context + 1}
     * tokens, from a stream disjoint from training. Window {@code w} depends only on the corpus, the
     * evaluation seed, {@code w} and the context: never on a run's training seed or batch size, so every
     * run of a study is scored on the same windows.
     */
    void validationWindows(long evalSeed, int first, int count, int context, int[] out);

    /**
     * The mean true surprisal (nats/token) of the targets of validation windows {@code 0 .. windows-1}:
     * the floor of that sample itself, which differs from {@link #windowFloorNats} (its expectation) by
     * the sample's own luck. NaN when the corpus does not know its tokens' probabilities.
     */
    default double validationFloorNats(long evalSeed, int windows, int context) {
        return Double.NaN;
    }
}
