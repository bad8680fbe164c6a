package dev.scalelab.sweep.model;

import dev.scalelab.sweep.tensor.Gemm;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * y = x·W + b for a fixed number of rows. W is [in, out] row-major (so y = x·W needs no
 * transpose) and lives both in the flat parameter array and in an ND4J mirror the GEMMs read.
 */
final class Linear {
    final Params.Slice weight;
    final Params.Slice bias; // null when the layer has none
    private final Params params;
    private final int rows;
    private final int in;
    private final int out;
    private final INDArray w;      // (in, out) mirror of the weight
    private final INDArray x;      // (rows, in) the last input, kept for the weight gradient
    private final INDArray y;      // (rows, out)
    private final INDArray dy;     // (rows, out)
    private final INDArray dx;     // (rows, in)
    private final INDArray dw;     // (in, out)
    private final Gemm forward;
    private final Gemm backwardWeight;
    private final Gemm backwardInput;
    private final float[] yJava;
    private final float[] dxJava;

    /**
     * @param keepOutput whether the output must survive until backward (the QKV projection's
     *                   output is attention's saved input); other outputs live in shared buffers
     */
    Linear(Params params, Workspace ws, String name, int in, int out, int rows, boolean withBias, boolean keepOutput) {
        this.params = params;
        this.rows = rows;
        this.in = in;
        this.out = out;
        this.weight = params.add(name + ".weight", in, out, Params.Kind.MATRIX);
        this.bias = withBias ? params.add(name + ".bias", 1, out, Params.Kind.BIAS) : null;
        this.w = NativeCopy.matrix(in, out);
        this.x = NativeCopy.matrix(rows, in);
        this.y = ws.matrix("linear.y", rows, out);
        this.dy = ws.matrix("linear.dy", rows, out);
        this.dx = ws.matrix("linear.dx", rows, in);
        this.dw = ws.matrix("linear.dw", in, out);
        this.forward = Gemm.of(x, false, w, false, y);                 // (rows,in)·(in,out)
        this.backwardWeight = Gemm.of(x, true, dy, false, dw);         // (in,rows)·(rows,out)
        this.backwardInput = Gemm.of(dy, false, w, true, dx);          // (rows,out)·(out,in)
        this.yJava = keepOutput ? new float[rows * out] : ws.array("linear.y", rows * out);
        this.dxJava = ws.array("linear.dx", rows * in);
    }

    /** Copies the weight from the flat parameters into the GEMM mirror; call after each update. */
    void syncWeight() {
        NativeCopy.toNative(params.values(), weight.offset(), w, weight.size());
    }

    /** Returns y (rows, out); the array is owned by this layer and overwritten by the next call. */
    float[] forward(float[] input) {
        long t = PhaseTimer.start();
        NativeCopy.toNative(input, 0, x, rows * in);
        t = PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        forward.run();
        t = PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
        NativeCopy.toJava(y, yJava, 0, rows * out);
        if (bias != null) {
            float[] v = params.values();
            int b = bias.offset();
            for (int r = 0; r < rows; r++) {
                int row = r * out;
                for (int j = 0; j < out; j++) {
                    yJava[row + j] += v[b + j];
                }
            }
        }
        PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        return yJava;
    }

    /** Accumulates dW and db into the flat gradients; returns dx (rows, in), owned by this layer. */
    float[] backward(float[] gradOut) {
        long t = PhaseTimer.start();
        NativeCopy.toNative(gradOut, 0, dy, rows * out);
        if (bias != null) {
            float[] g = params.grads();
            int b = bias.offset();
            for (int r = 0; r < rows; r++) {
                int row = r * out;
                for (int j = 0; j < out; j++) {
                    g[b + j] += gradOut[row + j];
                }
            }
        }
        t = PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        backwardWeight.run();
        t = PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
        NativeCopy.toJava(dw, params.grads(), weight.offset(), weight.size());
        t = PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        backwardInput.run();
        t = PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
        NativeCopy.toJava(dx, dxJava, 0, rows * in);
        PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        return dxJava;
    }
}
