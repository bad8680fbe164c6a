package dev.scalelab.sweep.model;

import dev.scalelab.sweep.tensor.MatrixProduct;

/**
 * logits = h·Wᵀ with W (vocab, width), the token embedding when tied (Press and Wolf 2017), then
 * the mean cross-entropy against the next tokens and its gradient.
 */
final class OutputHead {
    final Params.Slice weight;
    private final Params params;
    private final Parallel parallel;
    private final int rows;
    private final int width;
    private final int vocab;
    private final NativeMatrix w;       // (V, C) mirror
    private final NativeMatrix h;       // (B·T, C)
    private final NativeMatrix logits;  // (B·T, V), then reused for dlogits
    private final NativeMatrix dw;      // (V, C)
    private final NativeMatrix dh;      // (B·T, C)
    private final MatrixProduct forward;
    private final MatrixProduct backwardWeight;
    private final MatrixProduct backwardInput;
    private final double[] rowLoss;     // per row, summed in row order after the parallel pass
    private final float[][] scratch;    // per worker, one row of logits (at least 1024 floats)
    private final boolean vector;
    private boolean[] counted;      // per position in the window: whether its target is in the loss; null for all

    OutputHead(Params params, Workspace ws, Parallel parallel, Params.Slice weight, int rows, int width, int vocab) {
        this.params = params;
        this.parallel = parallel;
        this.weight = weight;
        this.rows = rows;
        this.width = width;
        this.vocab = vocab;
        this.w = ws.ownMatrix(vocab, width);
        this.h = ws.ownMatrix(rows, width);
        this.logits = ws.ownMatrix(rows, vocab);
        this.dw = ws.ownMatrix(vocab, width);
        this.dh = ws.ownMatrix(rows, width);
        this.forward = ws.product(h, false, w, true, logits);             // (rows,C)·(C,V)
        this.backwardWeight = ws.product(logits, true, h, false, dw);     // (V,rows)·(rows,C)
        this.backwardInput = ws.product(logits, false, w, false, dh);     // (rows,V)·(V,C)
        this.rowLoss = new double[rows];
        this.scratch = parallel.perWorker(Math.max(vocab, 1024));
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
        w.writeAll(params.values(), weight.offset(), parallel);
        w.hostWritten();                 // in bf16, the weight is rounded here, once per update
    }

    /** The hidden states h (B·T, C) in ND4J memory, written by the final LayerNorm before {@link #loss}. */
    NativeMatrix input() {
        return h;
    }

    /**
     * Mean cross-entropy (nats/token) of the targets under the logits of the hidden states in
     * {@link #input()}; with {@code backward} also accumulates dW and leaves dh in
     * {@link #inputGradient()}. Rows are split across the workers and their losses summed in row
     * order, so the result does not depend on the thread count.
     *
     * @param targets tokens (B, T+1); the target of row b·T+t is targets[b·(T+1) + t + 1]
     */
    double loss(int[] targets, int context, boolean backward) {
        long t = PhaseTimer.start();
        h.hostWritten();
        forward.run();
        logits.toHost();
        t = PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
        int countedRows = rows;
        if (counted != null) {
            countedRows = 0;
            for (int r = 0; r < rows; r++) {
                countedRows += counted[r % context] ? 1 : 0;
            }
        }
        float invRows = 1f / countedRows;
        parallel.forRows(rows, vocab, (worker, from, to) -> {
            float[] z = scratch[worker];
            float[] maxOut = new float[1];
            for (int r = from; r < to; r++) {
                rowLoss[r] = rowLoss(r, z, maxOut, targets, context, backward, invRows);
            }
        });
        double total = 0;
        for (int r = 0; r < rows; r++) {
            total += rowLoss[r];
        }
        t = PhaseTimer.lap(PhaseTimer.Phase.LOSS, t);
        if (backward) {
            logits.hostWritten();
            backwardWeight.run();
            dw.toHost();
            t = PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
            addWeightGradient();
            t = PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
            backwardInput.run();
            dh.toHost();
            PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
        }
        return total / countedRows;
    }

    /** Row r's term of the loss (0 for a row outside it); with backward, its dlogits written back in place of its logits. */
    private double rowLoss(int r, float[] z, float[] maxOut, int[] targets, int context, boolean backward, float invRows) {
        if (counted != null && !counted[r % context]) {
            if (backward) {
                java.util.Arrays.fill(z, 0, vocab, 0f);
                logits.writeRow(r, z);
            }
            return 0;
        }
        logits.readRow(r, z);
        int target = targets[(r / context) * (context + 1) + r % context + 1];
        float targetLogit = z[target];
        float max;
        float sum;
        if (vector) {
            sum = VectorKernels.expShiftedRow(z, 0, vocab, maxOut);
            max = maxOut[0];
        } else {
            max = z[0];
            for (int j = 1; j < vocab; j++) {
                max = Math.max(max, z[j]);
            }
            sum = 0;
            for (int j = 0; j < vocab; j++) {
                float e = FastExp.expNonPositive(z[j] - max);
                z[j] = e;
                sum += e;
            }
        }
        if (backward) {
            float scale = invRows / sum;   // softmax − onehot, over the mean's 1/rows
            if (vector) {
                VectorKernels.scaleRow(z, 0, vocab, scale);
            } else {
                for (int j = 0; j < vocab; j++) {
                    z[j] *= scale;
                }
            }
            z[target] -= invRows;
            logits.writeRow(r, z);
        }
        return Math.log(sum) - (targetLogit - max);
    }

    /** grads[W] += dW (the token embedding's gradient also gets the input side's when tied). */
    private void addWeightGradient() {
        float[] g = params.grads();
        int offset = weight.offset();
        parallel.forFloats(weight.size(), (worker, from, to) -> {
            float[] part = scratch[worker];
            for (int i = from; i < to; i += part.length) {
                int n = Math.min(part.length, to - i);
                dw.read(i, part, 0, n);
                RowOps.add(g, offset + i, part, 0, n);
            }
        });
    }

    /** Log-softmax of the logits of every row (B·T, V) of the hidden states in {@link #input()}, in a new array: for probes, not for training. */
    float[] logSoftmax() {
        h.hostWritten();
        forward.run();
        float[] out = new float[rows * vocab];
        logits.readAll(out, 0, parallel);
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

    /** dh (B·T, C) from the last backward pass, in ND4J memory. */
    NativeMatrix inputGradient() {
        return dh;
    }
}
