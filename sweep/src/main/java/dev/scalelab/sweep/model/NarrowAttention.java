package dev.scalelab.sweep.model;

import jdk.incubator.vector.FloatVector;

import static dev.scalelab.sweep.model.VectorKernels.LANES;
import static dev.scalelab.sweep.model.VectorKernels.SPECIES;

/**
 * Causal attention (Vaswani et al. 2017, eq. 1) for one (sequence, head) of a narrow head (a head
 * size that is a multiple of 4 but not of a vector, as in the small models of an IsoFLOP sweep,
 * whose heads of 4 are narrower than a vector; {@link VectorKernels#fitsNarrow}), fused so that no
 * T×T matrix leaves the worker's cache and none is kept between the passes: the forward pass keeps
 * only each row's softmax maximum and normaliser, and the backward pass recomputes the
 * probabilities from them (as FlashAttention does, Dao et al. 2022).
 *
 * <p>Forward runs on blocks of one vector of query positions: the scores of the block's rows are
 * computed a key at a time as vectors over the rows (Sᵀ), so the softmax and Y = P·V need no
 * transpose. Every value is computed by the same floating-point operations, in the same order, as
 * the unfused kernels of {@link VectorKernels} (scores as a fused multiply-add chain over the head
 * dimension; each row's softmax sum as per-lane partial sums over its vectors of keys, then the
 * lanes in order; Y as a fused multiply-add chain over keys), so the results are the same to the
 * last bit and the quickstart's recorded losses stand.
 */
final class NarrowAttention {
    private NarrowAttention() {
    }

    /** Per-worker buffers. */
    static final class Scratch {
        final float[] qt;     // (hs, T) Qᵀ, scaled for forward, plain for backward
        final float[] kt;     // (hs, T)
        final float[] vt;     // (hs, T)
        final float[] dyt;    // (hs, T)
        final float[] block;  // (T, LANES) one block's scores, then exponentials
        final float[] lanes;  // (4, LANES) four columns of Y
        final float[] p;      // (T, T) rows of P, backward
        final float[] ds;     // (T, T) rows of dP, then dS
        final float[] dst;    // (T, T) dSᵀ
        final float[] dqt;    // (hs, T)
        final float[] dkt;
        final float[] dvt;

        Scratch(int t, int hs) {
            qt = new float[hs * t];
            kt = new float[hs * t];
            vt = new float[hs * t];
            dyt = new float[hs * t];
            block = new float[t * LANES];
            lanes = new float[4 * LANES];
            p = new float[t * t];
            ds = new float[t * t];
            dst = new float[t * t];
            dqt = new float[hs * t];
            dkt = new float[hs * t];
            dvt = new float[hs * t];
        }
    }

    /** Where one (sequence, head) sits in the fused QKV rows (B·T, 3C) and the head-side-by-side rows (B·T, C). */
    record Head(int qkvBase, int rowsBase, int column, int width, int context, int headSize, int statsBase) {
        int qkvStride() {
            return 3 * width;
        }
    }

    /**
     * y's columns of this head = softmax(Q·Kᵀ·scale, causal)·V; rowMax and rowInv receive each
     * row's maximum score and 1 / (its sum of exponentials) at {@code statsBase}.
     */
    static void forward(float[] qkv, Head h, float scale, float[] y, float[] rowMax, float[] rowInv, Scratch s) {
        int t = h.context();
        int hs = h.headSize();
        int stride = h.qkvStride();
        int key = h.qkvBase() + h.width() + h.column();
        int value = key + h.width();
        for (int i = 0; i < t; i++) {
            int base = h.qkvBase() + i * stride + h.column();
            for (int d = 0; d < hs; d++) {
                s.qt[d * t + i] = qkv[base + d] * scale;
            }
        }
        float[] e = s.block;
        for (int i0 = 0; i0 < t; i0 += LANES) {
            int end = i0 + LANES;
            // Sᵀ[j][i0..], the rows above the diagonal (lanes l < j − i0) masked. No vector is
            // reassigned under a condition, and none passes through a helper that might not be
            // inlined: C2 keeps vectors in registers only then (either made these loops 3x slower).
            FloatVector max = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < end; j++) {
                int kj = key + j * stride;
                FloatVector sj = FloatVector.zero(SPECIES);
                for (int d = 0; d < hs; d++) {
                    sj = FloatVector.fromArray(SPECIES, s.qt, d * t + i0).fma(FloatVector.broadcast(SPECIES, qkv[kj + d]), sj);
                }
                sj = sj.blend(Float.NEGATIVE_INFINITY, SPECIES.indexInRange(0, j - i0));
                sj.intoArray(e, j * LANES);
                max = max.max(sj);
            }
            max.intoArray(rowMax, h.statsBase() + i0);
            VectorKernels.expShifted(e, 0, end * LANES, rowMax, h.statsBase() + i0);
            for (int j = i0; j < end; j++) {    // rows above the diagonal: exactly zero, not exp(-87)
                FloatVector.fromArray(SPECIES, e, j * LANES).blend(0f, SPECIES.indexInRange(0, j - i0)).intoArray(e, j * LANES);
            }
            // each row's sum as VectorKernels.causalSoftmax takes it: lane l of the row's vectors, then lanes in order
            FloatVector total = FloatVector.zero(SPECIES);
            for (int l = 0; l < LANES; l++) {
                FloatVector part = FloatVector.zero(SPECIES);
                for (int j = l; j < end; j += LANES) {
                    part = part.add(FloatVector.fromArray(SPECIES, e, j * LANES));
                }
                total = total.add(part);
            }
            FloatVector inv = FloatVector.broadcast(SPECIES, 1f).div(total);
            inv.intoArray(rowInv, h.statsBase() + i0);
            for (int d0 = 0; d0 < hs; d0 += 4) {
                FloatVector y0 = FloatVector.zero(SPECIES);
                FloatVector y1 = FloatVector.zero(SPECIES);
                FloatVector y2 = FloatVector.zero(SPECIES);
                FloatVector y3 = FloatVector.zero(SPECIES);
                for (int j = 0; j < end; j++) {
                    int vj = value + j * stride + d0;
                    FloatVector p = FloatVector.fromArray(SPECIES, e, j * LANES).mul(inv);
                    y0 = p.fma(FloatVector.broadcast(SPECIES, qkv[vj]), y0);
                    y1 = p.fma(FloatVector.broadcast(SPECIES, qkv[vj + 1]), y1);
                    y2 = p.fma(FloatVector.broadcast(SPECIES, qkv[vj + 2]), y2);
                    y3 = p.fma(FloatVector.broadcast(SPECIES, qkv[vj + 3]), y3);
                }
                y0.intoArray(s.lanes, 0);
                y1.intoArray(s.lanes, LANES);
                y2.intoArray(s.lanes, 2 * LANES);
                y3.intoArray(s.lanes, 3 * LANES);
                int out = h.rowsBase() + i0 * h.width() + h.column() + d0;
                for (int l = 0; l < LANES; l++) {   // lane l is row i0 + l
                    int o = out + l * h.width();
                    y[o] = s.lanes[l];
                    y[o + 1] = s.lanes[LANES + l];
                    y[o + 2] = s.lanes[2 * LANES + l];
                    y[o + 3] = s.lanes[3 * LANES + l];
                }
            }
        }
    }

    /**
     * dqkv's columns of this head from dy's: P recomputed from the forward pass's row statistics,
     * dP = dY·Vᵀ, dS = P∘(dP − rowsum(P∘dP))·scale, then dQ = dS·K, dK = dSᵀ·Q, dV = Pᵀ·dY.
     */
    static void backward(float[] qkv, float[] dy, Head h, float scale, float[] rowMax, float[] rowInv,
                         float[] dqkv, Scratch s) {
        int t = h.context();
        int hs = h.headSize();
        int stride = h.qkvStride();
        int width = h.width();
        for (int i = 0; i < t; i++) {
            int base = h.qkvBase() + i * stride + h.column();
            int in = h.rowsBase() + i * width + h.column();
            for (int d = 0; d < hs; d++) {
                s.qt[d * t + i] = qkv[base + d];
                s.kt[d * t + i] = qkv[base + width + d];
                s.vt[d * t + i] = qkv[base + 2 * width + d];
                s.dyt[d * t + i] = dy[in + d];
            }
        }
        float[] p = s.p;
        float[] ds = s.ds;
        // rows of P (recomputed) and dS = P∘(dP − rowsum(P∘dP))·scale, with the operations of
        // VectorKernels.causalSoftmax and softmaxBackward. Written out here, not in helpers: no
        // vector is reassigned under a condition or passes through a call, the two things that
        // make C2 keep vectors on the heap (either made this loop three times slower).
        for (int i = 0; i < t; i++) {
            int row = i * t;
            int n = VectorKernels.roundUp(i + 1);
            int qi = h.qkvBase() + i * stride + h.column();
            int dyi = h.rowsBase() + i * width + h.column();
            float max = rowMax[h.statsBase() + i];
            float inv = rowInv[h.statsBase() + i];
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int j = 0; j < n; j += LANES) {
                FloatVector sc = FloatVector.zero(SPECIES);
                FloatVector dp = FloatVector.zero(SPECIES);
                for (int d = 0; d < hs; d++) {
                    sc = FloatVector.fromArray(SPECIES, s.kt, d * t + j).fma(FloatVector.broadcast(SPECIES, qkv[qi + d] * scale), sc);
                    dp = FloatVector.fromArray(SPECIES, s.vt, d * t + j).fma(FloatVector.broadcast(SPECIES, dy[dyi + d]), dp);
                }
                // lanes past the diagonal exactly zero, as the forward pass's softmax left them
                FloatVector pv = FloatVector.zero(SPECIES).blend(VectorKernels.expNonPositive(sc.sub(max)),
                        SPECIES.indexInRange(j, i + 1)).mul(inv);
                pv.intoArray(p, row + j);
                dp.intoArray(ds, row + j);
                acc = pv.fma(dp, acc);
            }
            acc.intoArray(s.lanes, 0);
            float dot = 0;   // the lanes one after another, as VectorKernels.sum adds them
            for (int l = 0; l < LANES; l++) {
                dot += s.lanes[l];
            }
            for (int j = 0; j < n; j += LANES) {
                FloatVector pv = FloatVector.fromArray(SPECIES, p, row + j);
                pv.mul(FloatVector.fromArray(SPECIES, ds, row + j).sub(dot)).mul(scale).intoArray(ds, row + j);
            }
        }
        VectorKernels.rowsTimesLower(s.qt, ds, s.dkt, t, hs);
        VectorKernels.rowsTimesLower(s.dyt, p, s.dvt, t, hs);
        VectorKernels.transposeLower(ds, s.dst, t);
        VectorKernels.rowsTimesUpper(s.kt, s.dst, s.dqt, t, hs);
        for (int i = 0; i < t; i++) {
            int base = h.qkvBase() + i * stride + h.column();
            for (int d = 0; d < hs; d++) {
                dqkv[base + d] = s.dqt[d * t + i];
                dqkv[base + width + d] = s.dkt[d * t + i];
                dqkv[base + 2 * width + d] = s.dvt[d * t + i];
            }
        }
    }
}
