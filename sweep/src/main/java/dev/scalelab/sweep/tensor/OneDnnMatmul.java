package dev.scalelab.sweep.tensor;

import dev.scalelab.core.run.Precision;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.get_effective_cpu_isa;

/**
 * c = op(a)·op(b), or batched c[i] = a[i]·b[i], through oneDNN 2.5's matmul primitive
 * ({@code org.bytedeco:dnnl}), bound once to ND4J buffers: c is float32 in ND4J memory, written in
 * place, and every operand is a strided view, so a transpose, or a head's columns of a batch of
 * rows, is a stride and an offset, not a copy.
 *
 * <p>The inputs are {@link ProductInput}s: in {@link Precision#BF16} the product reads their
 * bfloat16 copies, as last {@link ProductInput#refresh() refreshed}, and accumulates and writes
 * in float32: the standard mixed-precision matrix multiply (Micikevicius et al. 2018, "Mixed
 * Precision Training"; Kalamkar et al. 2019, "A Study of BFLOAT16 for Deep Learning Training").
 * oneDNN picks AMX tiles or AVX512-BF16 instructions where the CPU has them ({@link #isa()}).
 */
public final class OneDnnMatmul implements MatrixProduct {
    /** A tensor view of an input: dims and element strides, from {@code offset} elements into its matrix. */
    public record View(ProductInput input, long offset, long[] dims, long[] strides) {
    }

    private final matmul primitive;
    private final IntMemoryMap args = new IntMemoryMap();
    private final memory[] views;
    private final long flops;

    private OneDnnMatmul(ProductInput a, ProductInput b, memory aIn, memory bIn, memory cOut, long flops) {
        if (a.precision() != b.precision()) {
            throw new IllegalArgumentException("a product's inputs must share a precision: a is " + a.precision()
                    + ", b is " + b.precision());
        }
        this.views = new memory[] {aIn, bIn, cOut};
        this.primitive = new matmul(new matmul.primitive_desc(
                new matmul.desc(aIn.get_desc(), bIn.get_desc(), cOut.get_desc()), OneDnn.engine()));
        args.put(DNNL_ARG_SRC, aIn);
        args.put(DNNL_ARG_WEIGHTS, bIn);
        args.put(DNNL_ARG_DST, cOut);
        this.flops = flops;
    }

    /** c = op(a)·op(b) from the inputs as last refreshed; c is a rank-2 float32 'c'-order ND4J array. */
    public static OneDnnMatmul of(ProductInput a, boolean transposeA, ProductInput b, boolean transposeB, INDArray c) {
        Dims dims = Dims.of(a.array(), transposeA, b.array(), transposeB, c);
        return new OneDnnMatmul(a, b, a.view(transposeA), b.view(transposeB),
                output(c, 0, new long[] {dims.m(), dims.n()}, new long[] {dims.n(), 1}), dims.flops());
    }

    /**
     * Batched c = a·b: dims [batch..., m, k] · [batch..., k, n] → [batch..., m, n], c a float32 ND4J
     * matrix viewed from {@code cOffset} elements with the given dims and element strides.
     */
    public static OneDnnMatmul batched(View a, View b, INDArray c, long cOffset, long[] cDims, long[] cStrides) {
        int r = a.dims().length;
        if (r < 2 || b.dims().length != r || cDims.length != r || a.dims()[r - 1] != b.dims()[r - 2]
                || cDims[r - 2] != a.dims()[r - 2] || cDims[r - 1] != b.dims()[r - 1]) {
            throw new IllegalArgumentException("batched product shapes do not match: " + java.util.Arrays.toString(a.dims())
                    + " · " + java.util.Arrays.toString(b.dims()) + " → " + java.util.Arrays.toString(cDims));
        }
        long batch = 1;
        for (int i = 0; i < r - 2; i++) {
            batch *= cDims[i];
        }
        long flops = 2L * batch * cDims[r - 2] * cDims[r - 1] * a.dims()[r - 1];
        return new OneDnnMatmul(a.input(), b.input(), a.input().view(a.offset(), a.dims(), a.strides()),
                b.input().view(b.offset(), b.dims(), b.strides()), output(c, cOffset, cDims, cStrides), flops);
    }

    private static memory output(INDArray c, long offset, long[] dims, long[] strides) {
        return new memory(new memory.desc(dims, memory.data_type.f32, strides), OneDnn.engine(),
                OneDnn.at(c.data().addressPointer(), 4 * offset));
    }

    /** The product from the inputs as last refreshed (BF16) or as they are (FP32), into c. */
    @Override
    public void run() {
        primitive.execute(OneDnn.queue(), args);
        OneDnn.queue()._wait();
    }

    /** Floating-point operations of one product: 2·m·n·k (times the batch). */
    @Override
    public long flops() {
        return flops;
    }

    /** Frees the primitive and its handles (the buffers belong to the inputs and to c's owner). */
    @Override
    public void close() {
        args.close();
        primitive.close();
        for (Pointer v : views) {
            v.close();
        }
    }

    /** The instruction set oneDNN dispatches to on this CPU, e.g. {@code avx512_core_amx}. */
    public static String isa() {
        return String.valueOf(get_effective_cpu_isa());
    }
}
