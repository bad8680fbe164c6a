package dev.scalelab.sweep.tensor;

import dev.scalelab.core.run.Precision;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;

/**
 * A float32 'c'-order ND4J matrix as matrix products read it. In {@link Precision#FP32} they read
 * the matrix itself. In {@link Precision#BF16} they read a bfloat16 copy that {@link #refresh()}
 * rounds the matrix into (a oneDNN reorder, round to nearest even), so a matrix that several
 * products read is rounded once each time it is written, not once per product: a weight once per
 * update, a layer's input once for its forward and weight-gradient products, an output gradient
 * once for both backward products. Rounding is a function of the float32 values alone, so where
 * the rounding happens does not move a bit.
 */
public final class ProductInput implements AutoCloseable {
    private final INDArray array;
    private final Precision precision;
    private final long rows;
    private final long cols;
    private final memory source;    // the ND4J buffer, float32
    private final memory rounded;   // bf16 (rows, cols) row-major, owned; null in FP32
    private final reorder rounding;
    private final IntMemoryMap roundingArgs;

    private ProductInput(INDArray array, Precision precision) {
        if (array.rank() != 2 || array.ordering() != 'c') {
            throw new IllegalArgumentException("a product input must be a rank-2 'c'-order matrix");
        }
        this.array = array;
        this.precision = precision;
        this.rows = array.size(0);
        this.cols = array.size(1);
        if (precision == Precision.BF16) {
            this.source = new memory(OneDnn.desc(rows, cols, memory.data_type.f32, false), OneDnn.engine(),
                    array.data().addressPointer());
            this.rounded = new memory(OneDnn.desc(rows, cols, memory.data_type.bf16, false), OneDnn.engine());
            this.rounding = new reorder(source, rounded);
            this.roundingArgs = new IntMemoryMap();
            roundingArgs.put(DNNL_ARG_FROM, source);
            roundingArgs.put(DNNL_ARG_TO, rounded);
        } else {
            this.source = null;
            this.rounded = null;
            this.rounding = null;
            this.roundingArgs = null;
        }
    }

    /** The matrix, read by products in the given precision; call {@link #refresh()} after each write in BF16. */
    public static ProductInput of(INDArray array, Precision precision) {
        return new ProductInput(array, precision);
    }

    /** Rounds the matrix as it is now into the bf16 copy the products read (BF16; nothing in FP32). */
    public void refresh() {
        if (rounding != null) {
            rounding.execute(OneDnn.queue(), roundingArgs);
            OneDnn.queue()._wait();
        }
    }

    /** The float32 ND4J matrix. */
    public INDArray array() {
        return array;
    }

    public Precision precision() {
        return precision;
    }

    /**
     * oneDNN memory over what a product reads (the bf16 copy, or the ND4J buffer in FP32), as the
     * logical matrix op(this): its transpose is a stride, not a copy. A new handle over the same data;
     * the caller closes it.
     */
    memory view(boolean transposed) {
        return transposed ? view(0, new long[] {cols, rows}, new long[] {1, cols})
                : view(0, new long[] {rows, cols}, new long[] {cols, 1});
    }

    /**
     * oneDNN memory over what a product reads as a tensor of the given dims and element strides,
     * starting {@code offset} elements into the row-major matrix (a head's columns of a sequence's
     * rows, say). The bf16 copy has the matrix's layout, so the strides are the same in both precisions.
     */
    memory view(long offset, long[] dims, long[] strides) {
        memory.data_type type = rounded != null ? memory.data_type.bf16 : memory.data_type.f32;
        Pointer data = rounded != null ? rounded.get_data_handle() : array.data().addressPointer();
        long bytes = offset * (rounded != null ? 2 : 4);
        return new memory(new memory.desc(dims, type, strides), OneDnn.engine(), OneDnn.at(data, bytes));
    }

    /** Frees the bf16 copy and the reorder (the ND4J matrix belongs to its owner). */
    @Override
    public void close() {
        for (Pointer p : new Pointer[] {roundingArgs, rounding, rounded, source}) {
            if (p != null) {
                p.close();
            }
        }
    }
}
