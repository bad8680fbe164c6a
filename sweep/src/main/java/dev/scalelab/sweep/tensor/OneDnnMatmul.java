package dev.scalelab.sweep.tensor;

import dev.scalelab.core.run.Precision;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.get_effective_cpu_isa;

/**
 * c = op(a)·op(b) through oneDNN 2.5's matmul primitive ({@code org.bytedeco:dnnl}), bound once
 * to ND4J buffers as {@link Gemm} is: a, b and c are float32 'c'-order matrices in ND4J memory,
 * read and written in place (a transpose is a stride, not a copy).
 *
 * <p>In {@link Precision#BF16} the inputs are rounded to bfloat16 into buffers this object owns
 * ({@link #convertA()}, {@link #convertB()}, oneDNN reorders, round to nearest even) and the
 * product is accumulated and written in float32: the standard mixed-precision matrix multiply
 * (Micikevicius et al. 2018, "Mixed Precision Training"; Kalamkar et al. 2019, "A Study of
 * BFLOAT16 for Deep Learning Training"). oneDNN picks AMX tiles or AVX512-BF16 instructions where
 * the CPU has them ({@link #isa()}). The conversions are separate calls so a caller can convert a
 * weight once per update and an activation once for the forward and the weight-gradient product.
 */
public final class OneDnnMatmul implements MatrixProduct {
    private static engine cpu;
    private static stream queue;

    private final matmul primitive;
    private final IntMemoryMap args = new IntMemoryMap();
    private final Conversion convertA;
    private final Conversion convertB;
    private final long flops;

    private record Conversion(reorder primitive, IntMemoryMap args) {
        void run() {
            primitive.execute(queue, args);
        }
    }

    private OneDnnMatmul(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c, Precision precision) {
        Dims dims = Dims.of(a, transposeA, b, transposeB, c);
        long m = dims.m();
        long k = dims.k();
        long n = dims.n();
        engine eng = engine();
        memory.data_type input = precision == Precision.BF16 ? memory.data_type.bf16 : memory.data_type.f32;
        memory.desc aF32 = desc(m, k, memory.data_type.f32, transposeA);
        memory.desc bF32 = desc(k, n, memory.data_type.f32, transposeB);
        memory.desc cF32 = desc(m, n, memory.data_type.f32, false);
        memory aNd4j = new memory(aF32, eng, a.data().addressPointer());
        memory bNd4j = new memory(bF32, eng, b.data().addressPointer());
        memory cNd4j = new memory(cF32, eng, c.data().addressPointer());
        memory aIn = aNd4j;
        memory bIn = bNd4j;
        if (precision == Precision.BF16) {
            aIn = new memory(desc(m, k, input, transposeA), eng);
            bIn = new memory(desc(k, n, input, transposeB), eng);
            convertA = conversion(aNd4j, aIn);
            convertB = conversion(bNd4j, bIn);
        } else {
            convertA = null;
            convertB = null;
        }
        matmul.primitive_desc pd = new matmul.primitive_desc(new matmul.desc(aIn.get_desc(), bIn.get_desc(), cF32), eng);
        this.primitive = new matmul(pd);
        args.put(DNNL_ARG_SRC, aIn);
        args.put(DNNL_ARG_WEIGHTS, bIn);
        args.put(DNNL_ARG_DST, cNd4j);
        this.flops = dims.flops();
    }

    /** c = op(a)·op(b) with inputs of the given precision; all three are rank-2 float32 'c'-order ND4J arrays. */
    public static OneDnnMatmul of(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c,
                                  Precision precision) {
        return new OneDnnMatmul(a, transposeA, b, transposeB, c, precision);
    }

    /** Rounds a into its bfloat16 buffer (BF16 only; nothing in FP32). */
    public void convertA() {
        if (convertA != null) {
            convertA.run();
        }
    }

    /** Rounds b into its bfloat16 buffer (BF16 only; nothing in FP32). */
    public void convertB() {
        if (convertB != null) {
            convertB.run();
        }
    }

    /** The product from the inputs as last converted (BF16) or as they are (FP32), into c. */
    public void multiply() {
        primitive.execute(queue, args);
        queue._wait();
    }

    /** Converts both inputs and multiplies. */
    @Override
    public void run() {
        convertA();
        convertB();
        multiply();
    }

    /** Floating-point operations of one product: 2·m·n·k. */
    @Override
    public long flops() {
        return flops;
    }

    /** The instruction set oneDNN dispatches to on this CPU, e.g. {@code avx512_core_amx}. */
    public static String isa() {
        return String.valueOf(get_effective_cpu_isa());
    }

    private static synchronized engine engine() {
        if (cpu == null) {
            cpu = new engine(engine.kind.cpu, 0);
            queue = new stream(cpu);
        }
        return cpu;
    }

    /** Logical (rows, cols); transposed means the buffer holds the (cols, rows) row-major matrix. */
    private static memory.desc desc(long rows, long cols, memory.data_type type, boolean transposed) {
        return new memory.desc(new long[] {rows, cols}, type, transposed ? memory.format_tag.ba : memory.format_tag.ab);
    }

    private static Conversion conversion(memory from, memory to) {
        IntMemoryMap map = new IntMemoryMap();
        map.put(DNNL_ARG_FROM, from);
        map.put(DNNL_ARG_TO, to);
        return new Conversion(new reorder(from, to), map);
    }
}
