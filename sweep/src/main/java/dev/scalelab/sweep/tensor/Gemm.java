package dev.scalelab.sweep.tensor;

import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A matrix multiply c = op(a)·op(b) bound once to its buffers and re-executed. Building the
 * {@link Mmul} op once and writing into a preallocated 'c'-order output is what makes small GEMMs
 * fast in ND4J: {@code INDArray.mmuli} into the same output was 4-10× slower at the sizes a small
 * transformer uses (measured, see the ND4J reference notes). The trainer's float32 products and
 * {@code scalelab doctor}'s GEMM rate go through this class ({@link MatrixProduct}).
 */
public final class Gemm implements MatrixProduct {
    private final Mmul op;
    private final long flops;

    private Gemm(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        Dims dims = Dims.of(a, transposeA, b, transposeB, c);
        this.op = new Mmul(a, b, c, new MMulTranspose(transposeA, transposeB, false));
        this.flops = dims.flops();
    }

    /** c = op(a)·op(b), with op the transpose where asked; all three are rank-2 and c is 'c'-order. */
    public static Gemm of(INDArray a, boolean transposeA, INDArray b, boolean transposeB, INDArray c) {
        return new Gemm(a, transposeA, b, transposeB, c);
    }

    /** Runs the multiply, overwriting c. */
    @Override
    public void run() {
        Nd4j.exec(op);
    }

    /** Floating-point operations of one run: 2·m·n·k. */
    @Override
    public long flops() {
        return flops;
    }
}
