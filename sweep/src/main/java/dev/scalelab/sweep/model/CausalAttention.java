package dev.scalelab.sweep.model;

/**
 * Causal multi-head scaled dot-product attention (Vaswani et al. 2017, eq. 1), the part between
 * the fused QKV projection and the output projection. Per (sequence, head) the T×T problem is
 * small (T=128, head size 32-64), where ND4J's batched matrix multiply is slow, so it runs as
 * Java loops written as axpy updates over contiguous rows, which the JIT vectorises, and only the
 * causal lower triangle is computed. The (sequence, head) pairs are split across threads.
 *
 * <p>Three paths, chosen by shape: Vector API kernels over the head dimension when it is a whole
 * number of vectors (head size 32-64), the fused kernels of {@link NarrowAttention}, vectorised over
 * the sequence dimension, for other head sizes that are multiples of 4 (4, 8, 12, 20, ...: the small
 * models of an IsoFLOP sweep, where the scalar path took 85% of a training step), and plain Java
 * loops for any other shape.
 */
final class CausalAttention {
    private final int batch;
    private final int context;
    private final int width;
    private final int heads;
    private final int headSize;
    private final float scale;
    private final Parallel parallel;
    private final float[] probs;   // (B, H, T, T) softmax weights, lower triangle, kept for backward (not on the narrow path)
    private final float[] rowMax;  // (B, H, T) the narrow path's softmax maxima
    private final float[] rowInv;  // (B, H, T) and 1 / sums
    private final float[] y;       // (B·T, C) heads side by side
    private final float[] dqkv;    // (B·T, 3C)
    private final Scratch[] scratch;
    private final NarrowAttention.Scratch[] narrowScratch;
    private final boolean vector;
    private final boolean narrow;
    private float[] qkv;           // (B·T, 3C) the last input, owned by the QKV projection

    /** Whether the JDK's Vector API module is present (the launcher adds it; tests do too). */
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Per-worker buffers for one (sequence, head): rows are (T, hs), transposes (hs, T), squares (T, T). */
    private static final class Scratch {
        final float[] q;
        final float[] k;
        final float[] kt;
        final float[] v;
        final float[] vt;
        final float[] dy;
        final float[] yt;
        final float[] dqt;
        final float[] dkt;
        final float[] dvt;
        final float[] pt;
        final float[] ds;
        final float[] dst;
        final float[] row;
        final float[] p;
        final float[] dq;
        final float[] dk;
        final float[] dv;

        Scratch(int t, int hs) {
            q = new float[t * hs];
            k = new float[t * hs];
            kt = new float[hs * t];
            v = new float[t * hs];
            vt = new float[hs * t];
            dy = new float[t * hs];
            yt = new float[hs * t];
            dqt = new float[hs * t];
            dkt = new float[hs * t];
            dvt = new float[hs * t];
            pt = new float[t * t];
            ds = new float[t * t];
            dst = new float[t * t];
            row = new float[t];
            p = new float[t * t];
            dq = new float[t * hs];
            dk = new float[t * hs];
            dv = new float[t * hs];
        }
    }

    CausalAttention(Workspace ws, int batch, int context, int width, int heads, Parallel parallel) {
        this(ws, batch, context, width, heads, parallel, VECTOR_API);
    }

    /** @param allowVector use the Vector API kernels where the sizes fit them (tests turn this off to compare) */
    CausalAttention(Workspace ws, int batch, int context, int width, int heads, Parallel parallel, boolean allowVector) {
        this.batch = batch;
        this.context = context;
        this.width = width;
        this.heads = heads;
        this.headSize = width / heads;
        this.scale = (float) (1.0 / Math.sqrt(headSize));
        this.parallel = parallel;
        this.y = ws.array("attention.y", batch * context * width);
        this.dqkv = ws.array("attention.dqkv", batch * context * 3 * width);
        this.vector = allowVector && VECTOR_API && VectorKernels.fits(context, width / heads);
        this.narrow = allowVector && VECTOR_API && !vector && VectorKernels.fitsNarrow(context, width / heads);
        this.probs = narrow ? null : new float[batch * heads * context * context];
        this.rowMax = narrow ? new float[batch * heads * context] : null;
        this.rowInv = narrow ? new float[batch * heads * context] : null;
        this.scratch = new Scratch[narrow ? 0 : parallel.threads()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch(context, headSize);
        }
        this.narrowScratch = new NarrowAttention.Scratch[narrow ? parallel.threads() : 0];
        for (int i = 0; i < narrowScratch.length; i++) {
            narrowScratch[i] = new NarrowAttention.Scratch(context, headSize);
        }
    }

    /** qkv (B·T, 3C) → y (B·T, C); keeps a reference to qkv for backward. */
    float[] forward(float[] qkvIn) {
        this.qkv = qkvIn;
        long t = PhaseTimer.start();
        parallel.forRange(batch * heads, (worker, from, to) -> {
            for (int pair = from; pair < to; pair++) {
                if (vector) {
                    forwardVector(pair / heads, pair % heads, scratch[worker]);
                } else if (narrow) {
                    forwardNarrow(pair / heads, pair % heads, narrowScratch[worker]);
                } else {
                    forwardOne(pair / heads, pair % heads, scratch[worker]);
                }
            }
        });
        PhaseTimer.lap(PhaseTimer.Phase.ATTENTION_FORWARD, t);
        return y;
    }

    /** The Vector API path: S = Q·Kᵀ/√hs, P = causal softmax(S), Y = P·V. */
    private void forwardVector(int b, int h, Scratch s) {
        int t = context;
        int hs = headSize;
        gather(b, h, s, true);
        VectorKernels.causalRowsTimesTransposed(s.q, s.kt, s.p, t, hs);
        VectorKernels.causalSoftmax(s.p, t);
        System.arraycopy(s.p, 0, probs, (b * heads + h) * t * t, t * t);
        VectorKernels.lowerTimesRows(s.p, s.v, s.dq, t, hs);   // dq holds Y here
        for (int i = 0; i < t; i++) {
            System.arraycopy(s.dq, i * hs, y, (b * t + i) * width + h * hs, hs);
        }
    }

    /**
     * dP = dY·Vᵀ; dS = softmax backward of dP, times 1/√hs; dQ = dS·K; dK = dSᵀ·Q; dV = Pᵀ·dY.
     */
    private void backwardVector(int b, int h, float[] dyIn, Scratch s) {
        int t = context;
        int hs = headSize;
        gather(b, h, s, false);
        for (int i = 0; i < t; i++) {
            System.arraycopy(dyIn, (b * t + i) * width + h * hs, s.dy, i * hs, hs);
        }
        System.arraycopy(probs, (b * heads + h) * t * t, s.p, 0, t * t);
        float[] ds = s.ds;
        VectorKernels.causalRowsTimesTransposed(s.dy, s.vt, ds, t, hs);
        VectorKernels.softmaxBackward(s.p, ds, t, scale);
        VectorKernels.lowerTimesRows(ds, s.k, s.dq, t, hs);
        VectorKernels.transposeLower(ds, s.dst, t);
        VectorKernels.upperTimesRows(s.dst, s.q, s.dk, t, hs);
        VectorKernels.transposeLower(s.p, s.pt, t);
        VectorKernels.upperTimesRows(s.pt, s.dy, s.dv, t, hs);
        int stride = 3 * width;
        for (int i = 0; i < t; i++) {
            int base = (b * t + i) * stride + h * hs;
            System.arraycopy(s.dq, i * hs, dqkv, base, hs);
            System.arraycopy(s.dk, i * hs, dqkv, base + width, hs);
            System.arraycopy(s.dv, i * hs, dqkv, base + 2 * width, hs);
        }
    }

    /** Whether the narrow-head Vector API path runs (for tests). */
    boolean narrowPath() {
        return narrow;
    }

    /** The narrow-head path ({@link NarrowAttention}): the softmax statistics are kept, not P. */
    private void forwardNarrow(int b, int h, NarrowAttention.Scratch s) {
        NarrowAttention.forward(qkv, head(b, h), scale, y, rowMax, rowInv, s);
    }

    private void backwardNarrow(int b, int h, float[] dyIn, NarrowAttention.Scratch s) {
        NarrowAttention.backward(qkv, dyIn, head(b, h), scale, rowMax, rowInv, dqkv, s);
    }

    private NarrowAttention.Head head(int b, int h) {
        return new NarrowAttention.Head(b * context * 3 * width, b * context * width, h * headSize, width, context,
                headSize, (b * heads + h) * context);
    }

    /** Writes the transposed gradients dQᵀ, dKᵀ, dVᵀ (hs, T) of head h of sequence b into dqkv (B·T, 3C). */
    private void scatterTransposed(int b, int h, Scratch s) {
        int t = context;
        int hs = headSize;
        int stride = 3 * width;
        for (int i = 0; i < t; i++) {
            int base = (b * t + i) * stride + h * hs;
            for (int d = 0; d < hs; d++) {
                dqkv[base + d] = s.dqt[d * t + i];
                dqkv[base + width + d] = s.dkt[d * t + i];
                dqkv[base + 2 * width + d] = s.dvt[d * t + i];
            }
        }
    }

    /** Copies head h of sequence b out of qkv: q (scaled for the forward pass), k, v as rows; kᵀ, vᵀ. */
    private void gather(int b, int h, Scratch s, boolean forward) {
        int t = context;
        int hs = headSize;
        int stride = 3 * width;
        float qs = forward ? scale : 1f;
        for (int i = 0; i < t; i++) {
            int base = (b * t + i) * stride + h * hs;
            for (int d = 0; d < hs; d++) {
                float k = qkv[base + width + d];
                float v = qkv[base + 2 * width + d];
                s.q[i * hs + d] = qkv[base + d] * qs;
                s.k[i * hs + d] = k;
                s.kt[d * t + i] = k;
                s.v[i * hs + d] = v;
                s.vt[d * t + i] = v;
            }
        }
    }

    /*
     * Every inner loop below is an axpy over a contiguous run of up to T elements (a row of a
     * transposed operand), never a dot product or a loop over the short head dimension: the JIT
     * vectorises the former and not the latter (float reductions stay scalar), which made this 4×
     * faster than the row-by-row form.
     */
    private void forwardOne(int b, int h, Scratch s) {
        int t = context;
        int hs = headSize;
        int stride = 3 * width;
        for (int i = 0; i < t; i++) {
            int base = (b * t + i) * stride + h * hs;
            for (int d = 0; d < hs; d++) {
                s.q[i * hs + d] = qkv[base + d] * scale;
                s.kt[d * t + i] = qkv[base + width + d];
                s.v[i * hs + d] = qkv[base + 2 * width + d];
            }
        }
        float[] row = s.row;
        int probBase = (b * heads + h) * t * t;
        for (int i = 0; i < t; i++) {
            int n = i + 1;
            java.util.Arrays.fill(row, 0, n, 0f);
            for (int d = 0; d < hs; d++) {   // row[j] = q_i · k_j
                float qd = s.q[i * hs + d];
                int kd = d * t;
                for (int j = 0; j < n; j++) {
                    row[j] += qd * s.kt[kd + j];
                }
            }
            float max = row[0];
            for (int j = 1; j < n; j++) {
                max = Math.max(max, row[j]);
            }
            float sum = 0;
            for (int j = 0; j < n; j++) {
                float e = FastExp.expNonPositive(row[j] - max);
                row[j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            int p = probBase + i * t;
            for (int j = 0; j < n; j++) {
                float pj = row[j] * inv;
                probs[p + j] = pj;
                s.pt[j * t + i] = pj;
            }
        }
        java.util.Arrays.fill(s.yt, 0f);
        for (int j = 0; j < t; j++) {        // yᵀ[d][i] += v_j[d] · p_ij for i ≥ j
            int pj = j * t;
            for (int d = 0; d < hs; d++) {
                float vjd = s.v[j * hs + d];
                int yd = d * t;
                for (int i = j; i < t; i++) {
                    s.yt[yd + i] += vjd * s.pt[pj + i];
                }
            }
        }
        for (int i = 0; i < t; i++) {
            int out = (b * t + i) * width + h * hs;
            for (int d = 0; d < hs; d++) {
                y[out + d] = s.yt[d * t + i];
            }
        }
    }

    /** dy (B·T, C) → dqkv (B·T, 3C), owned by this layer. */
    float[] backward(float[] dyIn) {
        long t = PhaseTimer.start();
        parallel.forRange(batch * heads, (worker, from, to) -> {
            for (int pair = from; pair < to; pair++) {
                if (vector) {
                    backwardVector(pair / heads, pair % heads, dyIn, scratch[worker]);
                } else if (narrow) {
                    backwardNarrow(pair / heads, pair % heads, dyIn, narrowScratch[worker]);
                } else {
                    backwardOne(pair / heads, pair % heads, dyIn, scratch[worker]);
                }
            }
        });
        PhaseTimer.lap(PhaseTimer.Phase.ATTENTION_BACKWARD, t);
        return dqkv;
    }

    private void backwardOne(int b, int h, float[] dyIn, Scratch s) {
        int t = context;
        int hs = headSize;
        int stride = 3 * width;
        for (int i = 0; i < t; i++) {
            int base = (b * t + i) * stride + h * hs;
            int out = (b * t + i) * width + h * hs;
            for (int d = 0; d < hs; d++) {
                s.q[i * hs + d] = qkv[base + d];
                s.k[i * hs + d] = qkv[base + width + d];
                s.vt[d * t + i] = qkv[base + 2 * width + d];
                s.dy[i * hs + d] = dyIn[out + d];
            }
        }
        java.util.Arrays.fill(s.dqt, 0f);
        java.util.Arrays.fill(s.dkt, 0f);
        java.util.Arrays.fill(s.dvt, 0f);
        float[] dp = s.row;
        int probBase = (b * heads + h) * t * t;
        for (int i = 0; i < t; i++) {
            int n = i + 1;
            int p = probBase + i * t;
            java.util.Arrays.fill(dp, 0, n, 0f);
            for (int d = 0; d < hs; d++) {   // dp[j] = dy_i · v_j
                float g = s.dy[i * hs + d];
                int vd = d * t;
                for (int j = 0; j < n; j++) {
                    dp[j] += g * s.vt[vd + j];
                }
            }
            float dot = 0;
            for (int j = 0; j < n; j++) {
                dot += probs[p + j] * dp[j];
            }
            int si = i * t;
            for (int j = 0; j < n; j++) {    // softmax backward, then the 1/sqrt(hs) scale
                float ds = probs[p + j] * (dp[j] - dot) * scale;
                s.ds[si + j] = ds;
                s.dst[j * t + i] = ds;
            }
            for (int d = 0; d < hs; d++) {   // dvᵀ[d][j] += dy_i[d] · p_ij;  dkᵀ[d][j] += q_i[d] · ds_ij
                float g = s.dy[i * hs + d];
                float qd = s.q[i * hs + d];
                int od = d * t;
                for (int j = 0; j < n; j++) {
                    s.dvt[od + j] += g * probs[p + j];
                    s.dkt[od + j] += qd * s.ds[si + j];
                }
            }
        }
        for (int j = 0; j < t; j++) {        // dqᵀ[d][i] += k_j[d] · ds_ij for i ≥ j
            int sj = j * t;
            for (int d = 0; d < hs; d++) {
                float kd = s.k[j * hs + d];
                int od = d * t;
                for (int i = j; i < t; i++) {
                    s.dqt[od + i] += kd * s.dst[sj + i];
                }
            }
        }
        scatterTransposed(b, h, s);
    }
}
