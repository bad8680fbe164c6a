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
 * c = op(a)·op(b) through oneDNN 2.5's matmul primitive ({@code org.bytedeco:dnnl}), bound once
 * to ND4J buffers as {@link Gemm} is: c is a float32 'c'-order matrix in ND4J memory, written in
 * place, and a transposed input is a stride, not a copy.
 *
 * <p>The inputs are {@link ProductInput}s: in {@link Precision#BF16} the product reads their
 * bfloat16 copies, as last {@link ProductInput#refresh() refreshed}, and accumulates and writes
 * in float32: the standard mixed-precision matrix multiply (Micikevicius et al. 2018, "Mixed
 * Precision Training"; Kalamkar et al. 2019, "A Study of BFLOAT16 for Deep Learning Training").
 * oneDNN picks AMX tiles or AVX512-BF16 instructions where the CPU has them ({@link #isa()}).
 */
public final class OneDnnMatmul implements MatrixProduct {
    private final matmul primitive;
    private final IntMemoryMap args = new IntMemoryMap();
    private final memory[] views;
    private final long flops;

    private OneDnnMatmul(ProductInput a, boolean transposeA, ProductInput b, boolean transposeB, INDArray c) {
        if (a.precision() != b.precision()) {
            throw new IllegalArgumentException("a product's inputs must share a precision: a is " + a.precision()
                    + ", b is " + b.precision());
        }
        Dims dims = Dims.of(a.array(), transposeA, b.array(), transposeB, c);
        memory aIn = a.view(transposeA);
        memory bIn = b.view(transposeB);
        memory cOut = new memory(OneDnn.desc(dims.m(), dims.n(), memory.data_type.f32, false), OneDnn.engine(),
                c.data().addressPointer());
        this.views = new memory[] {aIn, bIn, cOut};
        matmul.primitive_desc pd = new matmul.primitive_desc(
                new matmul.desc(aIn.get_desc(), bIn.get_desc(), cOut.get_desc()), OneDnn.engine());
        this.primitive = new matmul(pd);
        args.put(DNNL_ARG_SRC, aIn);
        args.put(DNNL_ARG_WEIGHTS, bIn);
        args.put(DNNL_ARG_DST, cOut);
        this.flops = dims.flops();
    }

    /** c = op(a)·op(b) from the inputs as last refreshed; c is a rank-2 float32 'c'-order ND4J array. */
    public static OneDnnMatmul of(ProductInput a, boolean transposeA, ProductInput b, boolean transposeB, INDArray c) {
        return new OneDnnMatmul(a, transposeA, b, transposeB, c);
    }

    /** The product from the inputs as last refreshed (BF16) or as they are (FP32), into c. */
    @Override
    public void run() {
        primitive.execute(OneDnn.queue(), args);
        OneDnn.queue()._wait();
    }

    /** Floating-point operations of one product: 2·m·n·k. */
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
