package dev.scalelab.sweep.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The small matrix products of causal attention, written with the JDK's Vector API so that they
 * run as register-blocked SIMD kernels: four rows share every vector load. Plain Java loops over
 * these sizes (T = 128, head size 32-64) ran at 2-5 GFLOP/s because the JIT vectorises only long
 * simple loops; ND4J's batched matrix multiply managed 12-19 GFLOP/s at these shapes.
 *
 * <p>Layouts are row-major: (T, hs) for rows of Q, K, V and their gradients, (hs, T) for
 * transposes, (T, T) for scores and probabilities. Every kernel needs T and hs to be multiples
 * of {@link #LANES} and T a multiple of 4; {@link #fits} says whether they are.
 */
final class VectorKernels {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    private VectorKernels() {
    }

    /**
     * exp(x) for x ≤ 0, lane by lane, with the same 2^n·p(f) form as {@link FastExp} (relative
     * error below 6e-6). Built only from exactly rounded operations, so the result does not depend on
     * whether the JIT has compiled the kernel: the Vector API's own EXP is an SVML intrinsic once
     * compiled but Math.exp lane by lane before, and the two differ in the last bit, which broke
     * bit-identical runs.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector v = x.max(-87f).mul(1.4426950408889634f);
        FloatVector w = v.add(12582912f);           // 1.5·2^23 + n: n sits in the low mantissa bits
        FloatVector n = w.sub(12582912f);
        FloatVector f = v.sub(n);
        FloatVector p = f.fma(1.3333558e-3f, 9.6181291e-3f);
        p = p.fma(f, FloatVector.broadcast(SPECIES, 5.5504109e-2f));
        p = p.fma(f, FloatVector.broadcast(SPECIES, 2.4022651e-1f));
        p = p.fma(f, FloatVector.broadcast(SPECIES, 6.9314718e-1f));
        p = p.fma(f, FloatVector.broadcast(SPECIES, 1f));
        // 2^n = (n + 127) << 23, from w's bits (0x4B400000 + n) with integer lane operations only
        IntVector bits = ((IntVector) w.reinterpretAsInts()).sub(0x4B400000 - 127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(bits.reinterpretAsFloats());
    }

    /**
     * a[off .. off + n) ← {@link #expNonPositive}(a − shift), with shift the vector at
     * shift[shiftAt] (one value per lane, the same for every vector of a); n a multiple of LANES.
     * Arrays in and out, no vector through the call: a caller whose compiled graph has grown past
     * C2's inlining cutoff calls this rather than inlining it, and a vector passed to or returned by
     * a call that is not inlined is boxed on the heap (which made a narrow-head attention pass three
     * times slower, on some runs and not others).
     */
    static void expShifted(float[] a, int off, int n, float[] shift, int shiftAt) {
        FloatVector m = FloatVector.fromArray(SPECIES, shift, shiftAt);
        for (int k = 0; k < n; k += LANES) {
            expNonPositive(FloatVector.fromArray(SPECIES, a, off + k).sub(m)).intoArray(a, off + k);
        }
    }

    /**
     * The sum of the lanes, added one after another. The Vector API leaves the order of a float
     * ADD reduction unspecified, and its compiled and uncompiled forms differ, so a reduction would
     * make results depend on the JIT's progress.
     */
    static float sum(FloatVector v) {
        float[] lanes = LANE_SCRATCH.get();
        v.intoArray(lanes, 0);
        float s = 0;
        for (int k = 0; k < LANES; k++) {
            s += lanes[k];
        }
        return s;
    }

    private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[LANES]);

    static boolean fits(int context, int headSize) {
        return context % LANES == 0 && headSize % LANES == 0 && context % 4 == 0;
    }

    /** Rounds n up to a whole number of vectors. */
    static int roundUp(int n) {
        return (n + LANES - 1) / LANES * LANES;
    }

    /**
     * out[i][j] = Σ_d a[i][d] · bt[d][j] for j < roundUp(i + 1): the causal part of A·Bᵀ, plus
     * the rest of the last vector of each row (masked later). a (T, hs), bt (hs, T), out (T, T).
     */
    static void causalRowsTimesTransposed(float[] a, float[] bt, float[] out, int t, int hs) {
        for (int i0 = 0; i0 < t; i0 += 4) {
            int a0 = i0 * hs;
            int a1 = a0 + hs;
            int a2 = a1 + hs;
            int a3 = a2 + hs;
            int limit = roundUp(i0 + 4);
            for (int j = 0; j < limit; j += LANES) {
                FloatVector s0 = FloatVector.zero(SPECIES);
                FloatVector s1 = FloatVector.zero(SPECIES);
                FloatVector s2 = FloatVector.zero(SPECIES);
                FloatVector s3 = FloatVector.zero(SPECIES);
                for (int d = 0; d < hs; d++) {
                    FloatVector b = FloatVector.fromArray(SPECIES, bt, d * t + j);
                    s0 = b.fma(FloatVector.broadcast(SPECIES, a[a0 + d]), s0);
                    s1 = b.fma(FloatVector.broadcast(SPECIES, a[a1 + d]), s1);
                    s2 = b.fma(FloatVector.broadcast(SPECIES, a[a2 + d]), s2);
                    s3 = b.fma(FloatVector.broadcast(SPECIES, a[a3 + d]), s3);
                }
                s0.intoArray(out, i0 * t + j);
                s1.intoArray(out, (i0 + 1) * t + j);
                s2.intoArray(out, (i0 + 2) * t + j);
                s3.intoArray(out, (i0 + 3) * t + j);
            }
        }
    }

    /**
     * out[i][:] = Σ_{j ≤ i+3 of its block} l[i][j] · r[j][:]: a lower-triangular (T, T) matrix, zero
     * above the diagonal, times rows r (T, hs). Overwrites out (T, hs).
     */
    static void lowerTimesRows(float[] l, float[] r, float[] out, int t, int hs) {
        for (int i0 = 0; i0 < t; i0 += 4) {
            int l0 = i0 * t;
            int l1 = l0 + t;
            int l2 = l1 + t;
            int l3 = l2 + t;
            for (int c = 0; c < hs; c += LANES) {
                FloatVector y0 = FloatVector.zero(SPECIES);
                FloatVector y1 = FloatVector.zero(SPECIES);
                FloatVector y2 = FloatVector.zero(SPECIES);
                FloatVector y3 = FloatVector.zero(SPECIES);
                for (int j = 0; j <= i0 + 3; j++) {
                    FloatVector v = FloatVector.fromArray(SPECIES, r, j * hs + c);
                    y0 = v.fma(FloatVector.broadcast(SPECIES, l[l0 + j]), y0);
                    y1 = v.fma(FloatVector.broadcast(SPECIES, l[l1 + j]), y1);
                    y2 = v.fma(FloatVector.broadcast(SPECIES, l[l2 + j]), y2);
                    y3 = v.fma(FloatVector.broadcast(SPECIES, l[l3 + j]), y3);
                }
                y0.intoArray(out, i0 * hs + c);
                y1.intoArray(out, (i0 + 1) * hs + c);
                y2.intoArray(out, (i0 + 2) * hs + c);
                y3.intoArray(out, (i0 + 3) * hs + c);
            }
        }
    }

    /**
     * out[j][:] = Σ_{i ≥ j of its block} u[j][i] · r[i][:]: an upper-triangular (T, T) matrix, zero
     * below the diagonal (the transpose of a lower one), times rows r (T, hs). Overwrites out.
     */
    static void upperTimesRows(float[] u, float[] r, float[] out, int t, int hs) {
        for (int j0 = 0; j0 < t; j0 += 4) {
            int u0 = j0 * t;
            int u1 = u0 + t;
            int u2 = u1 + t;
            int u3 = u2 + t;
            for (int c = 0; c < hs; c += LANES) {
                FloatVector y0 = FloatVector.zero(SPECIES);
                FloatVector y1 = FloatVector.zero(SPECIES);
                FloatVector y2 = FloatVector.zero(SPECIES);
                FloatVector y3 = FloatVector.zero(SPECIES);
                for (int i = j0; i < t; i++) {
                    FloatVector v = FloatVector.fromArray(SPECIES, r, i * hs + c);
                    y0 = v.fma(FloatVector.broadcast(SPECIES, u[u0 + i]), y0);
                    y1 = v.fma(FloatVector.broadcast(SPECIES, u[u1 + i]), y1);
                    y2 = v.fma(FloatVector.broadcast(SPECIES, u[u2 + i]), y2);
                    y3 = v.fma(FloatVector.broadcast(SPECIES, u[u3 + i]), y3);
                }
                y0.intoArray(out, j0 * hs + c);
                y1.intoArray(out, (j0 + 1) * hs + c);
                y2.intoArray(out, (j0 + 2) * hs + c);
                y3.intoArray(out, (j0 + 3) * hs + c);
            }
        }
    }

    /**
     * Whether the narrow-head kernels apply: a head size that is a multiple of 4 (the narrow heads
     * of small models, and any other size that {@link #fits} does not take), T a whole number of vectors.
     */
    static boolean fitsNarrow(int context, int headSize) {
        return context % LANES == 0 && headSize % 4 == 0;
    }

    /**
     * out[d][i] = Σ_{j ≤ i} a[d][j] · u[j][i]: transposed rows a (hs, T) times an upper-triangular
     * u (T, T) that is zero below the diagonal. Overwrites out (hs, T). Vectorised over i, so it
     * suits heads narrower than a vector; hs must be a multiple of 4.
     */
    static void rowsTimesUpper(float[] a, float[] u, float[] out, int t, int hs) {
        for (int d0 = 0; d0 < hs; d0 += 4) {
            int a0 = d0 * t;
            int a1 = a0 + t;
            int a2 = a1 + t;
            int a3 = a2 + t;
            for (int i = 0; i < t; i += LANES) {
                FloatVector y0 = FloatVector.zero(SPECIES);
                FloatVector y1 = FloatVector.zero(SPECIES);
                FloatVector y2 = FloatVector.zero(SPECIES);
                FloatVector y3 = FloatVector.zero(SPECIES);
                int end = i + LANES;
                for (int j = 0; j < end; j++) {
                    FloatVector v = FloatVector.fromArray(SPECIES, u, j * t + i);
                    y0 = v.fma(FloatVector.broadcast(SPECIES, a[a0 + j]), y0);
                    y1 = v.fma(FloatVector.broadcast(SPECIES, a[a1 + j]), y1);
                    y2 = v.fma(FloatVector.broadcast(SPECIES, a[a2 + j]), y2);
                    y3 = v.fma(FloatVector.broadcast(SPECIES, a[a3 + j]), y3);
                }
                y0.intoArray(out, a0 + i);
                y1.intoArray(out, a1 + i);
                y2.intoArray(out, a2 + i);
                y3.intoArray(out, a3 + i);
            }
        }
    }

    /**
     * out[d][j] = Σ_{i ≥ j} a[d][i] · l[i][j]: transposed rows a (hs, T) times a lower-triangular
     * l (T, T) whose rows are zero from the diagonal to the end of their last causal vector (as
     * {@link #causalSoftmax} and {@link #softmaxBackward} leave them). Overwrites out (hs, T).
     */
    static void rowsTimesLower(float[] a, float[] l, float[] out, int t, int hs) {
        for (int d0 = 0; d0 < hs; d0 += 4) {
            int a0 = d0 * t;
            int a1 = a0 + t;
            int a2 = a1 + t;
            int a3 = a2 + t;
            for (int j = 0; j < t; j += LANES) {
                FloatVector y0 = FloatVector.zero(SPECIES);
                FloatVector y1 = FloatVector.zero(SPECIES);
                FloatVector y2 = FloatVector.zero(SPECIES);
                FloatVector y3 = FloatVector.zero(SPECIES);
                for (int i = j; i < t; i++) {
                    FloatVector v = FloatVector.fromArray(SPECIES, l, i * t + j);
                    y0 = v.fma(FloatVector.broadcast(SPECIES, a[a0 + i]), y0);
                    y1 = v.fma(FloatVector.broadcast(SPECIES, a[a1 + i]), y1);
                    y2 = v.fma(FloatVector.broadcast(SPECIES, a[a2 + i]), y2);
                    y3 = v.fma(FloatVector.broadcast(SPECIES, a[a3 + i]), y3);
                }
                y0.intoArray(out, a0 + j);
                y1.intoArray(out, a1 + j);
                y2.intoArray(out, a2 + j);
                y3.intoArray(out, a3 + j);
            }
        }
    }

    /**
     * Causal softmax of each row of s (T, T) in place: entries j ≤ i become probabilities, the
     * rest of the row's last vector zero. Sums are taken vector by vector in a fixed order.
     */
    static void causalSoftmax(float[] s, int t) {
        for (int i = 0; i < t; i++) {
            int row = i * t;
            int n = roundUp(i + 1);
            for (int j = i + 1; j < n; j++) {
                s[row + j] = Float.NEGATIVE_INFINITY;
            }
            FloatVector m = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < n; j += LANES) {
                m = m.max(FloatVector.fromArray(SPECIES, s, row + j));
            }
            float max = m.reduceLanes(VectorOperators.MAX);
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int j = 0; j < n; j += LANES) {
                FloatVector e = expNonPositive(FloatVector.fromArray(SPECIES, s, row + j).sub(max));
                if (j + LANES > i + 1) { // the masked tail: exactly zero, not exp(-87)
                    e = FloatVector.zero(SPECIES).blend(e, SPECIES.indexInRange(j, i + 1));
                }
                e.intoArray(s, row + j);
                sum = sum.add(e);
            }
            float inv = 1f / sum(sum);
            for (int j = 0; j < n; j += LANES) {
                FloatVector.fromArray(SPECIES, s, row + j).mul(inv).intoArray(s, row + j);
            }
        }
    }

    /**
     * Softmax backward in place of dp: ds[i][j] = p[i][j] · (dp[i][j] − Σ_k p[i][k]·dp[i][k]) · scale,
     * over each row's causal vectors (p is zero beyond the diagonal, so ds is too).
     */
    static void softmaxBackward(float[] p, float[] dp, int t, float scale) {
        for (int i = 0; i < t; i++) {
            int row = i * t;
            int n = roundUp(i + 1);
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int j = 0; j < n; j += LANES) {
                acc = FloatVector.fromArray(SPECIES, p, row + j).fma(FloatVector.fromArray(SPECIES, dp, row + j), acc);
            }
            float dot = sum(acc);
            for (int j = 0; j < n; j += LANES) {
                FloatVector pv = FloatVector.fromArray(SPECIES, p, row + j);
                pv.mul(FloatVector.fromArray(SPECIES, dp, row + j).sub(dot)).mul(scale).intoArray(dp, row + j);
            }
        }
    }

    /** dst[dstOffset + i] += src[srcOffset + i] for i &lt; n; the tail past the last whole vector lane by lane. */
    static void addInto(float[] dst, int dstOffset, float[] src, int srcOffset, int n) {
        int i = 0;
        for (int whole = SPECIES.loopBound(n); i < whole; i += LANES) {
            FloatVector.fromArray(SPECIES, dst, dstOffset + i).add(FloatVector.fromArray(SPECIES, src, srcOffset + i))
                    .intoArray(dst, dstOffset + i);
        }
        for (; i < n; i++) {
            dst[dstOffset + i] += src[srcOffset + i];
        }
    }

    /**
     * LayerNorm forward of one row: xhat = (x − mean)·rstd, y = xhat·gain + bias; returns rstd.
     * x and xhat are read and written at {@code row}, y at {@code yOffset}. Width must be a multiple
     * of {@link #LANES}.
     */
    static float layerNormRow(float[] x, float[] xhat, int row, int width, float[] y, int yOffset, float[] v, int g,
                              int b, float eps) {
        FloatVector sum = FloatVector.zero(SPECIES);
        for (int j = 0; j < width; j += LANES) {
            sum = sum.add(FloatVector.fromArray(SPECIES, x, row + j));
        }
        float mean = sum(sum) / width;
        FloatVector sq = FloatVector.zero(SPECIES);
        for (int j = 0; j < width; j += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, x, row + j).sub(mean);
            sq = d.fma(d, sq);
        }
        float rstd = (float) (1.0 / Math.sqrt(sum(sq) / width + eps));
        for (int j = 0; j < width; j += LANES) {
            FloatVector n = FloatVector.fromArray(SPECIES, x, row + j).sub(mean).mul(rstd);
            n.intoArray(xhat, row + j);
            n.fma(FloatVector.fromArray(SPECIES, v, g + j), FloatVector.fromArray(SPECIES, v, b + j))
                    .intoArray(y, yOffset + j);
        }
        return rstd;
    }

    /**
     * LayerNorm backward of one row, the input gradient: dx = rstd·(dxhat − mean(dxhat) −
     * xhat·mean(dxhat·xhat)) with dxhat = dy·gain, written to dx at {@code dxOffset} or, with
     * {@code accumulate}, added to what is there (the residual stream's gradient). dy is read at
     * {@code dyOffset}, xhat at {@code row}.
     */
    static void layerNormInputGradRow(float[] dy, int dyOffset, float[] xhat, int row, int width, float rstd,
                                      float[] v, int g, float[] dx, int dxOffset, boolean accumulate) {
        FloatVector sumD = FloatVector.zero(SPECIES);
        FloatVector sumDX = FloatVector.zero(SPECIES);
        for (int j = 0; j < width; j += LANES) {
            FloatVector d = FloatVector.fromArray(SPECIES, dy, dyOffset + j).mul(FloatVector.fromArray(SPECIES, v, g + j));
            sumD = sumD.add(d);
            sumDX = d.fma(FloatVector.fromArray(SPECIES, xhat, row + j), sumDX);
        }
        float meanD = sum(sumD) / width;
        float meanDX = sum(sumDX) / width;
        for (int j = 0; j < width; j += LANES) {
            FloatVector xh = FloatVector.fromArray(SPECIES, xhat, row + j);
            FloatVector d = FloatVector.fromArray(SPECIES, dy, dyOffset + j).mul(FloatVector.fromArray(SPECIES, v, g + j));
            FloatVector r = d.sub(meanD).sub(xh.mul(meanDX)).mul(rstd);
            if (accumulate) {
                r = FloatVector.fromArray(SPECIES, dx, dxOffset + j).add(r);
            }
            r.intoArray(dx, dxOffset + j);
        }
    }

    /**
     * LayerNorm backward of one row, the parameter gradients over columns [from, to) (whole
     * vectors): adds dy·xhat to the gain's and dy to the bias's. Called for the rows in order, so
     * each column's sum has one order whatever splits the columns.
     */
    static void layerNormParamGradRow(float[] dy, int dyOffset, float[] xhat, int row, int from, int to,
                                      float[] grad, int g, int b) {
        for (int j = from; j < to; j += LANES) {
            FloatVector dyv = FloatVector.fromArray(SPECIES, dy, dyOffset + j - from);
            FloatVector xh = FloatVector.fromArray(SPECIES, xhat, row + j);
            dyv.fma(xh, FloatVector.fromArray(SPECIES, grad, g + j)).intoArray(grad, g + j);
            dyv.add(FloatVector.fromArray(SPECIES, grad, b + j)).intoArray(grad, b + j);
        }
    }

    /**
     * Replaces a row of logits by exp(logit − max) and returns {sum of those, max}; the row length
     * must be a multiple of {@link #LANES}.
     */
    static float expShiftedRow(float[] z, int row, int length, float[] maxOut) {
        FloatVector m = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < length; j += LANES) {
            m = m.max(FloatVector.fromArray(SPECIES, z, row + j));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        FloatVector sum = FloatVector.zero(SPECIES);
        for (int j = 0; j < length; j += LANES) {
            FloatVector e = expNonPositive(FloatVector.fromArray(SPECIES, z, row + j).sub(max));
            e.intoArray(z, row + j);
            sum = sum.add(e);
        }
        maxOut[0] = max;
        return sum(sum);
    }

    /** z[row .. row+length) *= s. */
    static void scaleRow(float[] z, int row, int length, float s) {
        for (int j = 0; j < length; j += LANES) {
            FloatVector.fromArray(SPECIES, z, row + j).mul(s).intoArray(z, row + j);
        }
    }

    /**
     * out (T, T) = the transpose of the lower triangle of m (T, T): out[j][i] = m[i][j] for i ≥ j,
     * zero below the diagonal inside the diagonal blocks of {@link #LANES}×LANES, the only entries
     * below it that the kernels reading the result ({@link #upperTimesRows}, {@link #rowsTimesUpper})
     * touch; the rest below the diagonal is left as it was. T must be a multiple of LANES. Each
     * vector of out is one gather down a column of m: element by element, the copy cost seven times
     * the product that reads it.
     */
    static void transposeLower(float[] m, float[] out, int t) {
        int[] column = columnIndex(t);
        for (int j0 = 0; j0 < t; j0 += LANES) {
            int jEnd = j0 + LANES;
            for (int j = j0; j < jEnd; j++) {   // the diagonal block: rows i0 + l < j of m lie above its diagonal
                FloatVector.fromArray(SPECIES, m, j0 * t + j, column, 0).blend(0f, SPECIES.indexInRange(0, j - j0))
                        .intoArray(out, j * t + j0);
            }
            for (int i0 = jEnd; i0 < t; i0 += LANES) {
                for (int j = j0; j < jEnd; j++) {
                    FloatVector.fromArray(SPECIES, m, i0 * t + j, column, 0).intoArray(out, j * t + i0);
                }
            }
        }
    }

    /** {0, t, 2t, ...}: the offsets of one vector down a column of a row-major matrix with t columns. */
    private static int[] columnIndex(int t) {
        int[] cached = COLUMN_INDEX.get();
        if (cached.length == LANES && cached[1] == t) {
            return cached;
        }
        int[] index = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            index[l] = l * t;
        }
        COLUMN_INDEX.set(index);
        return index;
    }

    private static final ThreadLocal<int[]> COLUMN_INDEX = ThreadLocal.withInitial(() -> new int[0]);
}
