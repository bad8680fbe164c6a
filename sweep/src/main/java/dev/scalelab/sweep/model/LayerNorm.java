package dev.scalelab.sweep.model;

/** Layer normalisation over the last dimension (Ba et al. 2016), with gain and bias; eps 1e-5. */
final class LayerNorm {
    static final float EPS = 1e-5f;

    final Params.Slice gain;
    final Params.Slice bias;
    private final Params params;
    private final int rows;
    private final int width;
    private final float[] xhat;   // (rows, width) normalised input, kept for backward
    private final float[] rstd;   // (rows) 1 / standard deviation
    private final float[] y;
    private final float[] dx;
    private final boolean vector;

    LayerNorm(Params params, Workspace ws, String name, int width, int rows) {
        this.params = params;
        this.rows = rows;
        this.width = width;
        this.gain = params.add(name + ".gain", 1, width, Params.Kind.NORM);
        this.bias = params.add(name + ".bias", 1, width, Params.Kind.NORM);
        this.xhat = new float[rows * width];
        this.rstd = new float[rows];
        this.y = ws.array("layernorm.y", rows * width);
        this.dx = ws.array("layernorm.dx", rows * width);
        this.vector = CausalAttention.VECTOR_API && width % VectorKernels.LANES == 0;
    }

    void init() {
        java.util.Arrays.fill(params.values(), gain.offset(), gain.offset() + width, 1f);
        java.util.Arrays.fill(params.values(), bias.offset(), bias.offset() + width, 0f);
    }

    /** Returns y (rows, width), owned by this layer. */
    float[] forward(float[] x) {
        long t0 = PhaseTimer.start();
        float[] v = params.values();
        int g = gain.offset();
        int b = bias.offset();
        if (vector) {
            for (int r = 0; r < rows; r++) {
                rstd[r] = VectorKernels.layerNormRow(x, xhat, y, r * width, width, v, g, b, EPS);
            }
            PhaseTimer.lap(PhaseTimer.Phase.LAYERNORM, t0);
            return y;
        }
        for (int r = 0; r < rows; r++) {
            int row = r * width;
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
                y[row + j] = n * v[g + j] + v[b + j];
            }
        }
        PhaseTimer.lap(PhaseTimer.Phase.LAYERNORM, t0);
        return y;
    }

    /**
     * dx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)) with dxhat = dy · gain;
     * accumulates the gain and bias gradients. Returns dx, owned by this layer.
     */
    float[] backward(float[] dy) {
        long t0 = PhaseTimer.start();
        float[] v = params.values();
        float[] grad = params.grads();
        int g = gain.offset();
        int b = bias.offset();
        if (vector) {
            for (int r = 0; r < rows; r++) {
                VectorKernels.layerNormBackwardRow(dy, xhat, dx, r * width, width, rstd[r], v, grad, g, b);
            }
            PhaseTimer.lap(PhaseTimer.Phase.LAYERNORM, t0);
            return dx;
        }
        for (int r = 0; r < rows; r++) {
            int row = r * width;
            float meanD = 0;
            float meanDX = 0;
            for (int j = 0; j < width; j++) {
                float d = dy[row + j] * v[g + j];
                meanD += d;
                meanDX += d * xhat[row + j];
            }
            meanD /= width;
            meanDX /= width;
            float s = rstd[r];
            for (int j = 0; j < width; j++) {
                float d = dy[row + j] * v[g + j];
                dx[row + j] = s * (d - meanD - xhat[row + j] * meanDX);
                grad[g + j] += dy[row + j] * xhat[row + j];
                grad[b + j] += dy[row + j];
            }
        }
        PhaseTimer.lap(PhaseTimer.Phase.LAYERNORM, t0);
        return dx;
    }
}
