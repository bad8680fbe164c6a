package dev.scalelab.sweep.corpus;

import dev.scalelab.core.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A byte-level text file: 256 tokens, one per byte. The first 90% of the file is the training
 * split and the last 10% the validation split, so the two never overlap. Training sequences start
 * at seeded random offsets; validation sequences at evenly spaced ones.
 */
public final class TextCorpus implements Corpus {
    public static final double TRAIN_FRACTION = 0.9;

    private final Path file;
    private final byte[] bytes;
    private final int trainEnd;

    private TextCorpus(Path file, byte[] bytes) {
        this.file = file;
        this.bytes = bytes;
        this.trainEnd = (int) Math.floor(bytes.length * TRAIN_FRACTION);
    }

    /** Reads the file; it must hold at least two sequences of context + 1 bytes in each split. */
    public static TextCorpus read(Path file, int context) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, 0, "corpus", "no such file", "give an existing text file as text:FILE");
        } catch (IOException e) {
            throw new InvalidInputException(file, 0, "corpus", "cannot be read (" + e.getMessage() + ")", null);
        }
        TextCorpus corpus = new TextCorpus(file, bytes);
        long needed = (long) Math.ceil(2L * (context + 1) / (1 - TRAIN_FRACTION));
        if (bytes.length < needed) {
            throw new InvalidInputException(file, 0, "corpus", "has " + bytes.length + " bytes, too few for context "
                    + context, "use a file of at least " + needed + " bytes (the last 10% is the validation split)");
        }
        return corpus;
    }

    @Override
    public String id() {
        return "text:" + file;
    }

    @Override
    public int vocabSize() {
        return 256;
    }

    @Override
    public double entropyRateNats() {
        return Double.NaN;
    }

    /** Training tokens over the training split's length (Muennighoff et al. 2023 on repeated data). */
    @Override
    public double epochs(long tokens) {
        return tokens / (double) trainEnd;
    }

    @Override
    public void trainBatch(long seed, long step, int batch, int context, int[] out) {
        int length = context + 1;
        int starts = trainEnd - length + 1;
        for (int b = 0; b < batch; b++) {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, Seeds.TRAIN, step, b));
            copy(rng.nextInt(starts), length, out, b * length);
        }
    }

    @Override
    public void validationWindows(long evalSeed, int first, int count, int context, int[] out) {
        int length = context + 1;
        int starts = bytes.length - trainEnd - length + 1;
        for (int b = 0; b < count; b++) {
            long k = (long) first + b; // the held-out split is fixed: windows do not depend on the seed
            // Golden-ratio spacing covers the split evenly for any number of sequences.
            double u = (k * 0.6180339887498949) % 1.0;
            copy(trainEnd + (int) (u * starts), length, out, b * length);
        }
    }

    private void copy(int from, int length, int[] out, int at) {
        for (int t = 0; t < length; t++) {
            out[at + t] = bytes[from + t] & 0xff;
        }
    }
}
