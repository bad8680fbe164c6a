package dev.scalelab.sweep.model;

/**
 * dst[dstOffset + i] += src[srcOffset + i]: the bias adds, residual adds and gradient sums of the
 * row kernels. With the Vector API present it runs as explicit SIMD adds, because the JIT does not
 * vectorise this loop when the two offsets differ (measured: a row loop with distinct offsets ran
 * 5× slower than the same loop indexed from 0); the lanes add exactly as the scalar loop does, so
 * the bits are the same either way.
 */
final class RowOps {
    private RowOps() {
    }

    static void add(float[] dst, int dstOffset, float[] src, int srcOffset, int n) {
        if (CausalAttention.VECTOR_API) {
            VectorKernels.addInto(dst, dstOffset, src, srcOffset, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] += src[srcOffset + i];
        }
    }
}
