package dev.scalelab.sweep.tensor;

import dev.scalelab.core.run.Precision;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * c = op(a)·op(b) bound once to float32 ND4J buffers and re-run: the trainer's matrix multiplies.
 * {@link Precision#FP32} runs ND4J's {@link Gemm} on the float32 inputs in place; {@link Precision#BF16}
 * runs oneDNN 2.5's matmul ({@link OneDnnMatmul}) on the bfloat16 copies of its {@link ProductInput}s,
 * rounded where they were written, accumulating in float32. oneDNN's float32 matmul was measured in
 * place of ND4J's (BENCHMARKS.md): a d=256 step about 1.2× faster with it, no faster at d=64 and below,
 * but it changes float32 bits at the quickstart's shapes, and with them every float32 result
 * documented so far, so float32 stays on ND4J. Closing frees native memory a product owns.
 */
public interface MatrixProduct extends AutoCloseable {
    /** Overwrites c with op(a)·op(b) of the inputs as last refreshed. */
    void run();

    @Override
    default void close() {
    }

    /** Floating-point operations of one run: 2·m·n·k. */
    long flops();

    /** The sizes of c = op(a)·op(b): op(a) is m×k, op(b) k×n; checked against c once, where a product is bound. */
    record Dims(long m, long k, long n) {
        static Dims of(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
            long m = transposeA ? a.size(1) : a.size(0);
            long k = transposeA ? a.size(0) : a.size(1);
            long kb = transposeB ? b.size(1) : b.size(0);
            long n = transposeB ? b.size(0) : b.size(1);
            if (k != kb || c.size(0) != m || c.size(1) != n) {
                throw new IllegalArgumentException("shapes do not match: op(a) is " + m + "x" + k
                        + ", op(b) is " + kb + "x" + n + ", c is " + c.size(0) + "x" + c.size(1));
            }
            return new Dims(m, k, n);
        }

        /** Floating-point operations of one product: 2·m·n·k. */
        long flops() {
            return 2L * m * n * k;
        }
    }

    /** c = op(a)·op(b) in the inputs' precision; c is a rank-2 float32 'c'-order ND4J array. */
    static MatrixProduct of(ProductInput a, boolean transposeA, ProductInput b, boolean transposeB, INDArray c) {
        return a.precision() == Precision.BF16 || b.precision() == Precision.BF16
                ? OneDnnMatmul.of(a, transposeA, b, transposeB, c)
                : Gemm.of(a.array(), transposeA, b.array(), transposeB, c);
    }
}
