package dev.scalelab.sweep.model;

import dev.scalelab.sweep.tensor.ProductInput;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * A 'c'-order float matrix in ND4J's memory, which the GEMMs read and write, that Java kernels
 * read and write row by row. Kernels stream rows through a small Java scratch array (one row, or
 * part of one, in L1 cache) instead of copying whole matrices between Java arrays and ND4J buffers:
 * at d=256 those whole-matrix copies were 60-140 ms of a step, because each moved tens of
 * megabytes through memory that the kernel next to it then moved again.
 *
 * <p>Reads and writes are absolute bulk transfers on one {@link FloatBuffer} view, which keep no
 * position, so threads may use disjoint parts of a matrix at once. On a GPU backend
 * {@link #toHost()} before reading and {@link #hostWritten()} after writing move the data between
 * device and host; on the CPU backend they do nothing. {@link #hostWritten()} also refreshes the
 * bf16 copy that bf16 products read ({@link ProductInput}), so every write a product can see is
 * rounded once, where it was written.
 */
final class NativeMatrix implements AutoCloseable {
    private static final AffinityManager AFFINITY = Nd4j.getAffinityManager();

    final int rows;
    final int cols;
    private final INDArray array;
    private final FloatBuffer view;
    private ProductInput productInput; // how matrix products read this matrix; null until one does

    NativeMatrix(int rows, int cols) {
        this.rows = rows;
        this.cols = cols;
        this.array = Nd4j.create(DataType.FLOAT, new long[] {rows, cols}, 'c');
        this.view = array.data().asNioFloat();
    }

    /** The ND4J array, for the GEMMs. */
    INDArray array() {
        return array;
    }

    int size() {
        return rows * cols;
    }

    /** dst[dstOffset ..] = this[offset .. offset + length), in row-major order. */
    void read(int offset, float[] dst, int dstOffset, int length) {
        view.get(offset, dst, dstOffset, length);
    }

    /** this[offset .. offset + length) = src[srcOffset ..]. */
    void write(int offset, float[] src, int srcOffset, int length) {
        view.put(offset, src, srcOffset, length);
    }

    /** Row r into dst[0 .. cols). */
    void readRow(int r, float[] dst) {
        view.get(r * cols, dst, 0, cols);
    }

    /** Row r from src[0 .. cols). */
    void writeRow(int r, float[] src) {
        view.put(r * cols, src, 0, cols);
    }

    /** Call before Java reads what an ND4J op wrote. */
    void toHost() {
        AFFINITY.ensureLocation(array, AffinityManager.Location.HOST);
    }

    /** Call after Java wrote what an ND4J op or a matrix product will read. */
    void hostWritten() {
        AFFINITY.tagLocation(array, AffinityManager.Location.HOST);
        if (productInput != null) {
            productInput.refresh();
        }
    }

    /** This matrix as products of the given precision read it, made once (all of a model's products share a precision). */
    ProductInput productInput(dev.scalelab.core.run.Precision precision) {
        if (productInput == null) {
            productInput = ProductInput.of(array, precision);
        } else if (productInput.precision() != precision) {
            throw new IllegalStateException("a matrix is read by products of two precisions");
        }
        return productInput;
    }

    /** Frees the ND4J buffer and any bf16 copy; the matrix must not be used afterwards. */
    @Override
    public void close() {
        if (productInput != null) {
            productInput.close();
        }
        array.close();
    }

    /**
     * The whole matrix from src[offset ..], split across the workers (a copy: bits do not depend on
     * the split). Like any write, followed by {@link #hostWritten()} before an op reads it: the
     * callers that write and then run a product call it once, in the product's step.
     */
    void writeAll(float[] src, int offset, Parallel parallel) {
        parallel.forFloats(size(), (worker, from, to) -> write(from, src, offset + from, to - from));
    }

    /** The whole matrix into dst[offset ..], split across the workers. */
    void readAll(float[] dst, int offset, Parallel parallel) {
        toHost();
        parallel.forFloats(size(), (worker, from, to) -> read(from, dst, offset + from, to - from));
    }
}
