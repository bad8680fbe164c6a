package dev.scalelab.sweep.tensor;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * c = op(a)·op(b) bound once to float32 ND4J buffers and re-run: the trainer's matrix multiplies.
 * {@link Precision#FP32} runs ND4J's {@link Gemm}; {@link Precision#BF16} rounds both inputs to
 * bfloat16 on each run and accumulates in float32 through oneDNN ({@link OneDnnMatmul}).
 */
public interface MatrixProduct {
    /** The precision a model's matrix multiplies run in. Each gives its own bits, the same on every run. */
    enum Precision {
        FP32, BF16;

        /** The lower-case name a run spec and the command line use. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Overwrites c with op(a)·op(b). */
    void run();

    /** Floating-point operations of one run: 2·m·n·k. */
    long flops();

    /** c = op(a)·op(b) in the given precision; all three rank-2 float32 'c'-order ND4J arrays. */
    static MatrixProduct of(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c,
                            Precision precision) {
        return precision == Precision.BF16
                ? OneDnnMatmul.of(a, transposeA, b, transposeB, c, OneDnnMatmul.Precision.BF16)
                : Gemm.of(a, transposeA, b, transposeB, c);
    }
}
