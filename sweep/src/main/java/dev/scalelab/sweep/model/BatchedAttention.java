package dev.scalelab.sweep.model;

import dev.scalelab.sweep.tensor.OneDnnMatmul;
import dev.scalelab.sweep.tensor.MatrixProduct;

/**
 * Causal multi-head attention (Vaswani et al. 2017, eq. 1) with its six matrix products batched
 * over every (sequence, head) pair through oneDNN ({@link OneDnnMatmul#batched}), in the model's
 * precision: S = Q·Kᵀ, Y = P·V forward; dP = dY·Vᵀ, dQ = dS·K, dK = dSᵀ·Q, dV = Pᵀ·dY backward.
 * The products read a head's columns of the fused QKV rows and write a head's columns of the output
 * and gradient rows in place, so nothing is gathered or scattered, and they compute the whole T×T
 * squares (the masked half is zero in P and dS): twice the causal work, at GEMM speed. Between the
 * products, the scaled causal softmax and its backward run per (sequence, head) on the Vector API
 * ({@link VectorKernels#causalSoftmax}, {@link VectorKernels#softmaxBackward}), pairs split across
 * the workers, so every bit is the same for any number of threads.
 *
 * <p>It applies where those kernels do ({@link VectorKernels#fits}: head size and context whole
 * vectors); {@link CausalAttention} serves the rest (the narrow heads of a sweep's small models).
 */
final class BatchedAttention {
    private final int batch;
    private final int context;
    private final int heads;
    private final float scale;
    private final Parallel parallel;
    private final NativeMatrix qkv;     // (B·T, 3C) the input, bias included, kept for backward
    private final NativeMatrix probs;   // (B·H·T, T) P, zero above the diagonal, kept for backward
    private final NativeMatrix scores;  // (B·H·T, T) S, then dP and dS
    private final NativeMatrix dy;      // (B·T, C) the output gradient, written by the next projection
    private final MatrixProduct scoresProduct;
    private final MatrixProduct outputProduct;
    private final MatrixProduct gradProbsProduct;
    private final MatrixProduct gradQueryProduct;
    private final MatrixProduct gradKeyProduct;
    private final MatrixProduct gradValueProduct;
    private final float[][] block;      // per worker, one (T, T) square
    private final float[][] block2;

    /**
     * @param qkv  the input (B·T, 3C) this layer owns: Q, K, V side by side, each heads of {@code width / heads}
     * @param y    where Y (B·T, C) goes: the output projection's input
     * @param dy   where dY (B·T, C) comes from: the output projection's input gradient
     * @param dqkv where dQKV (B·T, 3C) goes: the QKV projection's output gradient
     */
    BatchedAttention(Workspace ws, int batch, int context, int width, int heads, Parallel parallel,
                     NativeMatrix qkv, NativeMatrix y, NativeMatrix dy, NativeMatrix dqkv) {
        this.batch = batch;
        this.context = context;
        this.heads = heads;
        int hs = width / heads;
        this.scale = (float) (1.0 / Math.sqrt(hs));
        this.parallel = parallel;
        this.qkv = qkv;
        this.dy = dy;
        int squares = batch * heads * context;
        this.probs = ws.ownMatrix(squares, context);
        this.scores = ws.matrix("attention.scores", squares, context);
        long t = context;
        long[] heads4 = {batch, heads, t, hs};
        long[] headsT4 = {batch, heads, hs, t};
        long[] square4 = {batch, heads, t, t};
        long[] rowsOf3C = {t * 3 * width, hs, 3L * width, 1};      // a head of Q, K or V as (T, hs)
        long[] rowsOf3CT = {t * 3 * width, hs, 1, 3L * width};     // its transpose (hs, T)
        long[] rowsOfC = {t * width, hs, width, 1};                // a head of Y or dY as (T, hs)
        long[] rowsOfCT = {t * width, hs, 1, width};
        long[] square = {heads * t * t, t * t, t, 1};
        long[] squareT = {heads * t * t, t * t, 1, t};
        long q = 0;
        long k = width;
        long v = 2L * width;
        this.scoresProduct = ws.batched(qkv, q, heads4, rowsOf3C, qkv, k, headsT4, rowsOf3CT, scores, 0, square4, square);
        this.outputProduct = ws.batched(probs, 0, square4, square, qkv, v, heads4, rowsOf3C, y, 0, heads4, rowsOfC);
        this.gradProbsProduct = ws.batched(dy, 0, heads4, rowsOfC, qkv, v, headsT4, rowsOf3CT, scores, 0, square4, square);
        this.gradQueryProduct = ws.batched(scores, 0, square4, square, qkv, k, heads4, rowsOf3C, dqkv, q, heads4, rowsOf3C);
        this.gradKeyProduct = ws.batched(scores, 0, square4, squareT, qkv, q, heads4, rowsOf3C, dqkv, k, heads4, rowsOf3C);
        this.gradValueProduct = ws.batched(probs, 0, square4, squareT, dy, 0, heads4, rowsOfC, dqkv, v, heads4, rowsOf3C);
        this.block = parallel.perWorker(context * context);
        this.block2 = parallel.perWorker(context * context);
    }

    /** The input (B·T, 3C), for the QKV projection to write (bias included) before {@link #forward()}. */
    NativeMatrix input() {
        return qkv;
    }

    /** Whether this path applies to a head size and context. */
    static boolean fits(int context, int headSize) {
        return CausalAttention.VECTOR_API && VectorKernels.fits(context, headSize);
    }

    /** Y from the input already in {@code qkv} (call after writing it; it rounds it once in bf16). */
    void forward() {
        long t0 = PhaseTimer.start();
        qkv.hostWritten();
        scoresProduct.run();
        int t = context;
        parallel.forRange(batch * heads, (worker, from, to) -> {
            float[] s = block[worker];
            for (int pair = from; pair < to; pair++) {
                scores.read(pair * t * t, s, 0, t * t);
                VectorKernels.scaleRow(s, 0, t * t, scale);
                VectorKernels.causalSoftmax(s, t);
                zeroAboveDiagonal(s, t);
                probs.write(pair * t * t, s, 0, t * t);
            }
        });
        probs.hostWritten();
        outputProduct.run();
        PhaseTimer.lap(PhaseTimer.Phase.ATTENTION_FORWARD, t0);
    }

    /** dQKV from the output gradient already in {@code dy} (written by a product; rounded here in bf16). */
    void backward() {
        long t0 = PhaseTimer.start();
        dy.hostWritten();
        gradProbsProduct.run();
        int t = context;
        parallel.forRange(batch * heads, (worker, from, to) -> {
            float[] p = block[worker];
            float[] d = block2[worker];
            for (int pair = from; pair < to; pair++) {
                probs.read(pair * t * t, p, 0, t * t);
                scores.read(pair * t * t, d, 0, t * t);
                VectorKernels.softmaxBackward(p, d, t, scale);
                zeroAboveDiagonal(d, t);
                scores.write(pair * t * t, d, 0, t * t);
            }
        });
        scores.hostWritten();
        gradQueryProduct.run();
        gradKeyProduct.run();
        gradValueProduct.run();
        PhaseTimer.lap(PhaseTimer.Phase.ATTENTION_BACKWARD, t0);
    }

    /** The causal kernels leave the tail of each row's last vector past the diagonal; the products read whole rows. */
    private static void zeroAboveDiagonal(float[] m, int t) {
        for (int i = 0; i < t; i++) {
            int from = VectorKernels.roundUp(i + 1);
            java.util.Arrays.fill(m, i * t + from, i * t + t, 0f);
        }
    }
}
