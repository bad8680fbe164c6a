package dev.scalelab.sweep.model;

/**
 * Causal multi-head scaled dot-product attention (Vaswani et al. 2017, eq. 1), the part between
 * the fused QKV projection and the output projection. Per (sequence, head) the T×T problem is
 * small (T=128, head size 32-64), where ND4J's batched matrix multiply is slow, so it runs as
 * Java loops written as axpy updates over contiguous rows, which the JIT vectorises, and only the
 * causal lower triangle is computed. The (sequence, head) pairs are split across threads.
 */
final class CausalAttention {
    private final int batch;
    private final int context;
    private final int width;
    private final int heads;
    private final int headSize;
    private final float scale;
    private final Parallel parallel;
    private final float[] probs;   // (B, H, T, T) softmax weights, lower triangle, kept for backward
    private final float[] y;       // (B·T, C) heads side by side
    private final float[] dqkv;    // (B·T, 3C)
    private final Scratch[] scratch;
    private float[] qkv;           // (B·T, 3C) the last input, owned by the QKV projection

    private static final class Scratch {
        final float[] q;
        final float[] k;
        final float[] kt;
        final float[] v;
        final float[] vt;
        final float[] dy;
        final float[] dq;
        final float[] dk;
        final float[] dv;
        final float[] row;
        final float[] drow;

        Scratch(int t, int hs) {
            q = new float[t * hs];
            k = new float[t * hs];
            kt = new float[hs * t];
            v = new float[t * hs];
            vt = new float[hs * t];
            dy = new float[t * hs];
            dq = new float[t * hs];
            dk = new float[t * hs];
            dv = new float[t * hs];
            row = new float[t];
            drow = new float[t];
        }
    }

    CausalAttention(int batch, int context, int width, int heads, Parallel parallel) {
        this.batch = batch;
        this.context = context;
        this.width = width;
        this.heads = heads;
        this.headSize = width / heads;
        this.scale = (float) (1.0 / Math.sqrt(headSize));
        this.parallel = parallel;
        this.probs = new float[batch * heads * context * context];
        this.y = new float[batch * context * width];
        this.dqkv = new float[batch * context * 3 * width];
        this.scratch = new Scratch[parallel.threads()];
        for (int i = 0; i < scratch.length; i++) {
            scratch[i] = new Scratch(context, headSize);
        }
    }

    /** qkv (B·T, 3C) → y (B·T, C); keeps a reference to qkv for backward. */
    float[] forward(float[] qkvIn) {
        this.qkv = qkvIn;
        parallel.forRange(batch * heads, (worker, from, to) -> {
            for (int pair = from; pair < to; pair++) {
                forwardOne(pair / heads, pair % heads, scratch[worker]);
            }
        });
        return y;
    }

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
            for (int d = 0; d < hs; d++) {   // row[j] = q_i · k_j, as axpy over j
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
                float e = (float) Math.exp(row[j] - max);
                row[j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            int p = probBase + i * t;
            int out = (b * t + i) * width + h * hs;
            for (int d = 0; d < hs; d++) {
                y[out + d] = 0f;
            }
            for (int j = 0; j < n; j++) {    // y_i = Σ_j p_ij v_j, as axpy over d
                float pj = row[j] * inv;
                probs[p + j] = pj;
                int vj = j * hs;
                for (int d = 0; d < hs; d++) {
                    y[out + d] += pj * s.v[vj + d];
                }
            }
        }
    }

    /** dy (B·T, C) → dqkv (B·T, 3C), owned by this layer. */
    float[] backward(float[] dyIn) {
        parallel.forRange(batch * heads, (worker, from, to) -> {
            for (int pair = from; pair < to; pair++) {
                backwardOne(pair / heads, pair % heads, dyIn, scratch[worker]);
            }
        });
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
        java.util.Arrays.fill(s.dq, 0f);
        java.util.Arrays.fill(s.dk, 0f);
        java.util.Arrays.fill(s.dv, 0f);
        float[] dp = s.drow;
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
            int qi = i * hs;
            for (int j = 0; j < n; j++) {
                float pj = probs[p + j];
                float ds = pj * (dp[j] - dot) * scale;   // softmax backward, then the 1/sqrt(hs) scale
                int rj = j * hs;
                for (int d = 0; d < hs; d++) {
                    s.dv[rj + d] += pj * s.dy[qi + d];
                    s.dq[qi + d] += ds * s.k[rj + d];
                    s.dk[rj + d] += ds * s.q[qi + d];
                }
            }
        }
        for (int i = 0; i < t; i++) {
            int base = (b * t + i) * stride + h * hs;
            for (int d = 0; d < hs; d++) {
                dqkv[base + d] = s.dq[i * hs + d];
                dqkv[base + width + d] = s.dk[i * hs + d];
                dqkv[base + 2 * width + d] = s.dv[i * hs + d];
            }
        }
    }
}
