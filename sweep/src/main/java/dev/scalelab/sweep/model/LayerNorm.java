package dev.scalelab.sweep.model;

/**
 * Layer normalisation over the last dimension (Ba et al. 2016), with gain and bias; eps 1e-5.
 *
 * <p>Rows are split across the model's workers. The forward pass can write its output straight
 * into the next projection's input in ND4J memory, and the backward pass can read its output
 * gradient from the projection's input gradient there and add the result into the residual
 * stream's gradient. The gain and bias gradients are summed in a second pass split by columns,
 * each column over the rows in order, so every bit is the same for any number of threads.
 */
final class LayerNorm {
    static final float EPS = 1e-5f;

    final Params.Slice gain;
    final Params.Slice bias;
    private final Params params;
    private final Parallel parallel;
    private final int rows;
    private final int width;
    private final float[] xhat;   // (rows, width) normalised input, kept for backward
    private final float[] rstd;   // (rows) 1 / standard deviation
    private final float[] y;
    private final float[] dx;
    private final float[][] rowScratch;
    private final boolean vector;

    LayerNorm(Params params, Workspace ws, Parallel parallel, String name, int width, int rows) {
        this.params = params;
        this.parallel = parallel;
        this.rows = rows;
        this.width = width;
        this.gain = params.add(name + ".gain", 1, width, Params.Kind.NORM);
        this.bias = params.add(name + ".bias", 1, width, Params.Kind.NORM);
        this.xhat = new float[rows * width];
        this.rstd = new float[rows];
        this.y = ws.array("layernorm.y", rows * width);
        this.dx = ws.array("layernorm.dx", rows * width);
        this.rowScratch = parallel.perWorker(width);
        this.vector = CausalAttention.VECTOR_API && width % VectorKernels.LANES == 0;
    }

    /** Returns y (rows, width), owned by this layer. */
    float[] forward(float[] x) {
        long t0 = PhaseTimer.start();
        parallel.forRows(rows, width, (worker, from, to) -> {
            for (int r = from; r < to; r++) {
                forwardRow(x, r, y, r * width);
            }
        });
        PhaseTimer.lap(PhaseTimer.Phase.LAYERNORM, t0);
        return y;
    }

    /** Writes y (rows, width) into {@code target}, a projection's input in ND4J memory (the projection tags it before its GEMM). */
    void forward(float[] x, NativeMatrix target) {
        long t0 = PhaseTimer.start();
        parallel.forRows(rows, width, (worker, from, to) -> {
            float[] row = rowScratch[worker];
            for (int r = from; r < to; r++) {
                forwardRow(x, r, row, 0);
                target.writeRow(r, row);
            }
        });
        PhaseTimer.lap(PhaseTimer.Phase.LAYERNORM, t0);
    }

    private void forwardRow(float[] x, int r, float[] out, int outOffset) {
        float[] v = params.values();
        int g = gain.offset();
        int b = bias.offset();
        int row = r * width;
        if (vector) {
            rstd[r] = VectorKernels.layerNormRow(x, xhat, row, width, out, outOffset, v, g, b, EPS);
            return;
        }
        float mean = 0;
        for (int j = 0; j < width; j++) {
            mean += x[row + j];
        }
        mean /= width;
        float var = 0;
        for (int j = 0; j < width; j++) {
            float d = x[row + j] - mean;
            var += d * d;
        }
        var /= width;
        float s = (float) (1.0 / Math.sqrt(var + EPS));
        rstd[r] = s;
        for (int j = 0; j < width; j++) {
            float n = (x[row + j] - mean) * s;
            xhat[row + j] = n;
            out[outOffset + j] = n * v[g + j] + v[b + j];
        }
    }

    /**
     * dx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)) with dxhat = dy · gain;
     * accumulates the gain and bias gradients. Returns dx, owned by this layer.
     */
    float[] backward(float[] dy) {
        long t0 = PhaseTimer.start();
        parallel.forRows(rows, width, (worker, from, to) -> {
            for (int r = from; r < to; r++) {
                inputGradRow(dy, r * width, r, dx, false);
            }
        });
        paramGrads(dy, null);
        PhaseTimer.lap(PhaseTimer.Phase.LAYERNORM, t0);
        return dx;
    }

    /**
     * The same from dy in ND4J memory (a projection's input gradient), with dx added to
     * {@code target} when {@code accumulate} (the residual stream's gradient) or written to it.
     */
    void backward(NativeMatrix dy, float[] target, boolean accumulate) {
        long t0 = PhaseTimer.start();
        parallel.forRows(rows, width, (worker, from, to) -> {
            float[] row = rowScratch[worker];
            for (int r = from; r < to; r++) {
                dy.readRow(r, row);
                inputGradRow(row, 0, r, target, accumulate);
            }
        });
        paramGrads(null, dy);
        PhaseTimer.lap(PhaseTimer.Phase.LAYERNORM, t0);
    }

    private void inputGradRow(float[] dy, int dyOffset, int r, float[] out, boolean accumulate) {
        float[] v = params.values();
        int g = gain.offset();
        int row = r * width;
        if (vector) {
            VectorKernels.layerNormInputGradRow(dy, dyOffset, xhat, row, width, rstd[r], v, g, out, row, accumulate);
            return;
        }
        float meanD = 0;
        float meanDX = 0;
        for (int j = 0; j < width; j++) {
            float d = dy[dyOffset + j] * v[g + j];
            meanD += d;
            meanDX += d * xhat[row + j];
        }
        meanD /= width;
        meanDX /= width;
        float s = rstd[r];
        for (int j = 0; j < width; j++) {
            float d = dy[dyOffset + j] * v[g + j];
            float value = s * (d - meanD - xhat[row + j] * meanDX);
            if (accumulate) {
                out[row + j] += value;
            } else {
                out[row + j] = value;
            }
        }
    }

    /** Adds dy·xhat to the gain's gradient and dy to the bias's, column blocks across workers, rows in order. */
    private void paramGrads(float[] dyJava, NativeMatrix dyNative) {
        float[] grad = params.grads();
        int g = gain.offset();
        int b = bias.offset();
        int unit = vector ? VectorKernels.LANES : 1;
        parallel.forRows(width / unit, rows * unit, (worker, fromUnit, toUnit) -> {
            int from = fromUnit * unit;
            int to = toUnit * unit;
            float[] part = rowScratch[worker];
            for (int r = 0; r < rows; r++) {
                int row = r * width;
                float[] src = dyJava;
                int offset = row + from;
                if (dyNative != null) {
                    dyNative.read(row + from, part, 0, to - from);
                    src = part;
                    offset = 0;
                }
                if (vector) {
                    VectorKernels.layerNormParamGradRow(src, offset, xhat, row, from, to, grad, g, b);
                } else {
                    for (int j = from; j < to; j++) {
                        float d = src[offset + j - from];
                        grad[g + j] += d * xhat[row + j];
                        grad[b + j] += d;
                    }
                }
            }
        });
    }
}
