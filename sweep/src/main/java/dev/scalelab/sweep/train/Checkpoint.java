package dev.scalelab.sweep.train;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.AtomicFiles;
import dev.scalelab.core.run.RunLayout;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Everything needed to continue a run bit-identically: parameters, AdamW moments and step count,
 * the training step, and the loop's running statistics. Batches are functions of (seed, step), so
 * no generator state is needed. Written atomically, with a CRC32 at the end so a truncated or
 * altered file is refused rather than half-loaded.
 */
public record Checkpoint(String runId, long step, float[] values, float[] firstMoment, float[] secondMoment,
                         long optimizerSteps, double firstLoss, double bestValLoss, long bestStep,
                         double wallSeconds, double trainLossSum, long trainLossCount) {
    static final String MAGIC = "scalelab-checkpoint";
    static final int VERSION = 1;

    public void write(Path runDir) {
        AtomicFiles.write(runDir.resolve(RunLayout.CHECKPOINT), raw -> {
            CRC32 crc = new CRC32();
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16));
            out.writeUTF(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(runId);
            out.writeLong(step);
            out.writeLong(optimizerSteps);
            out.writeDouble(firstLoss);
            out.writeDouble(bestValLoss);
            out.writeLong(bestStep);
            out.writeDouble(wallSeconds);
            out.writeDouble(trainLossSum);
            out.writeLong(trainLossCount);
            writeFloats(out, values);
            writeFloats(out, firstMoment);
            writeFloats(out, secondMoment);
            out.flush();
            new DataOutputStream(raw).writeLong(crc.getValue());
        });
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float f : a) {
            out.writeInt(Float.floatToRawIntBits(f));
        }
    }

    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(RunLayout.CHECKPOINT));
    }

    /** Reads and verifies a checkpoint; a damaged or foreign one is an error naming the file. */
    public static Checkpoint read(Path runDir, String expectedRunId, int expectedParams) {
        Path file = runDir.resolve(RunLayout.CHECKPOINT);
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < Long.BYTES) {
                throw bad(file, "is truncated");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - Long.BYTES);
            long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - Long.BYTES, Long.BYTES).getLong();
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes, 0, bytes.length - Long.BYTES));
            if (!MAGIC.equals(in.readUTF()) || in.readInt() != VERSION) {
                throw bad(file, "not a scalelab checkpoint of version " + VERSION);
            }
            if (crc.getValue() != stored) {
                throw bad(file, "fails its checksum (truncated or altered)");
            }
            String runId = in.readUTF();
            if (!runId.equals(expectedRunId)) {
                throw bad(file, "belongs to run " + runId + ", not " + expectedRunId + " (a different spec)");
            }
            long step = in.readLong();
            long optimizerSteps = in.readLong();
            double firstLoss = in.readDouble();
            double bestVal = in.readDouble();
            long bestStep = in.readLong();
            double wall = in.readDouble();
            double lossSum = in.readDouble();
            long lossCount = in.readLong();
            float[] values = readFloats(in, expectedParams, file);
            float[] m = readFloats(in, expectedParams, file);
            float[] v = readFloats(in, expectedParams, file);
            return new Checkpoint(runId, step, values, m, v, optimizerSteps, firstLoss, bestVal, bestStep, wall,
                    lossSum, lossCount);
        } catch (EOFException e) {
            throw bad(file, "is truncated");
        } catch (IOException e) {
            throw bad(file, "cannot be read (" + e.getMessage() + ")");
        }
    }

    private static float[] readFloats(DataInputStream in, int expected, Path file) throws IOException {
        int n = in.readInt();
        if (n != expected) {
            throw bad(file, "holds " + n + " parameters, the model has " + expected + " (a checkpoint of another shape)");
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = Float.intBitsToFloat(in.readInt());
        }
        return a;
    }

    private static InvalidInputException bad(Path file, String problem) {
        return new InvalidInputException(file, 0, null, problem,
                "delete the run folder's checkpoint/ to start the run again");
    }
}
