package dev.scalelab.sweep.model;

import dev.scalelab.sweep.tensor.Gemm;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * logits = h·Wᵀ with W (vocab, width), the token embedding when tied (Press and Wolf 2017), then
 * the mean cross-entropy against the next tokens and its gradient.
 */
final class OutputHead {
    final Params.Slice weight;
    private final Params params;
    private final int rows;
    private final int width;
    private final int vocab;
    private final INDArray w;       // (V, C) mirror
    private final INDArray h;       // (B·T, C)
    private final INDArray logits;  // (B·T, V), then reused for dlogits
    private final INDArray dw;      // (V, C)
    private final INDArray dh;      // (B·T, C)
    private final Gemm forward;
    private final Gemm backwardWeight;
    private final Gemm backwardInput;
    private final float[] logitsJava;
    private final float[] dhJava;
    private final float[] dwJava;
    private final boolean vector;
    private final float[] maxOut = new float[1];
    private boolean[] counted;      // per position in the window: whether its target is in the loss; null for all

    OutputHead(Params params, Params.Slice weight, int rows, int width, int vocab) {
        this.params = params;
        this.weight = weight;
        this.rows = rows;
        this.width = width;
        this.vocab = vocab;
        this.w = NativeCopy.matrix(vocab, width);
        this.h = NativeCopy.matrix(rows, width);
        this.logits = NativeCopy.matrix(rows, vocab);
        this.dw = NativeCopy.matrix(vocab, width);
        this.dh = NativeCopy.matrix(rows, width);
        this.forward = Gemm.of(h, false, w, true, logits);             // (rows,C)·(C,V)
        this.backwardWeight = Gemm.of(logits, true, h, false, dw);     // (V,rows)·(rows,C)
        this.backwardInput = Gemm.of(logits, false, w, false, dh);     // (rows,V)·(V,C)
        this.logitsJava = new float[rows * vocab];
        this.dhJava = new float[rows * width];
        this.dwJava = new float[vocab * width];
        this.vector = CausalAttention.VECTOR_API && vocab % VectorKernels.LANES == 0;
    }

    void lossPositions(int[] positions, int context) {
        if (positions == null) {
            counted = null;
            return;
        }
        counted = new boolean[context];
        for (int p : positions) {
            if (p < 0 || p >= context) {
                throw new IllegalArgumentException("loss position " + p + " outside the window of " + context);
            }
            counted[p] = true;
        }
    }

    void syncWeight() {
        NativeCopy.toNative(params.values(), weight.offset(), w, weight.size());
    }

    /**
     * Mean cross-entropy (nats/token) of the targets under h's logits; with {@code backward} also
     * accumulates dW and leaves dh for {@link #inputGradient()}.
     *
     * @param targets tokens (B, T+1); the target of row b·T+t is targets[b·(T+1) + t + 1]
     */
    double loss(float[] hidden, int[] targets, int context, boolean backward) {
        long t = PhaseTimer.start();
        NativeCopy.toNative(hidden, 0, h, rows * width);
        t = PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        forward.run();
        t = PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
        NativeCopy.toJava(logits, logitsJava, 0, rows * vocab);
        t = PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        double total = 0;
        int countedRows = rows;
        if (counted != null) {
            countedRows = 0;
            for (int r = 0; r < rows; r++) {
                countedRows += counted[r % context] ? 1 : 0;
            }
        }
        float invRows = 1f / countedRows;
        for (int r = 0; r < rows; r++) {
            int row = r * vocab;
            if (counted != null && !counted[r % context]) {
                if (backward) {
                    java.util.Arrays.fill(logitsJava, row, row + vocab, 0f);
                }
                continue;
            }
            int target = targets[(r / context) * (context + 1) + r % context + 1];
            float targetLogit = logitsJava[row + target];
            float max;
            float sum;
            if (vector) {
                sum = VectorKernels.expShiftedRow(logitsJava, row, vocab, maxOut);
                max = maxOut[0];
            } else {
                max = logitsJava[row];
                for (int j = 1; j < vocab; j++) {
                    max = Math.max(max, logitsJava[row + j]);
                }
                sum = 0;
                for (int j = 0; j < vocab; j++) {
                    float e = FastExp.expNonPositive(logitsJava[row + j] - max);
                    logitsJava[row + j] = e;
                    sum += e;
                }
            }
            total += Math.log(sum) - (targetLogit - max);
            if (backward) {
                float scale = invRows / sum;   // softmax − onehot, over the mean's 1/rows
                if (vector) {
                    VectorKernels.scaleRow(logitsJava, row, vocab, scale);
                } else {
                    for (int j = 0; j < vocab; j++) {
                        logitsJava[row + j] *= scale;
                    }
                }
                logitsJava[row + target] -= invRows;
            }
        }
        t = PhaseTimer.lap(PhaseTimer.Phase.LOSS, t);
        if (backward) {
            NativeCopy.toNative(logitsJava, 0, logits, rows * vocab);
            t = PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
            backwardWeight.run();
            t = PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
            NativeCopy.addToJava(dw, params.grads(), weight.offset(), dwJava);
            t = PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
            backwardInput.run();
            t = PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
            NativeCopy.toJava(dh, dhJava, 0, rows * width);
            PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        }
        return total / countedRows;
    }

    /** Log-softmax of the logits of every row (B·T, V), in a new array: for probes, not for training. */
    float[] logSoftmax(float[] hidden) {
        NativeCopy.toNative(hidden, 0, h, rows * width);
        forward.run();
        float[] out = new float[rows * vocab];
        NativeCopy.toJava(logits, out, 0, rows * vocab);
        for (int r = 0; r < rows; r++) {
            int row = r * vocab;
            float max = out[row];
            for (int j = 1; j < vocab; j++) {
                max = Math.max(max, out[row + j]);
            }
            double sum = 0;
            for (int j = 0; j < vocab; j++) {
                sum += Math.exp(out[row + j] - max);
            }
            float shift = (float) (max + Math.log(sum));
            for (int j = 0; j < vocab; j++) {
                out[row + j] -= shift;
            }
        }
        return out;
    }

    /** dh (B·T, C) from the last backward pass, owned by this layer. */
    float[] inputGradient() {
        return dhJava;
    }
}
