package dev.scalelab.sweep.model;

/** ReLU, max(0, u) (Nair and Hinton 2010): the MLP nonlinearity of Nanda et al. (2023)'s grokking model. */
final class Relu implements Activation {
    private final int size;
    private final float[] y;
    private final float[] input; // the last input, kept for backward (the output buffer is shared)
    private final float[] dx;

    Relu(Workspace ws, int size) {
        this.size = size;
        this.y = ws.array("relu.y", size);
        this.input = new float[size];
        this.dx = ws.array("relu.dx", size);
    }

    @Override
    public float[] forward(float[] u) {
        long t0 = PhaseTimer.start();
        System.arraycopy(u, 0, input, 0, size);
        for (int i = 0; i < size; i++) {
            y[i] = Math.max(0f, u[i]);
        }
        PhaseTimer.lap(PhaseTimer.Phase.GELU, t0);
        return y;
    }

    @Override
    public float[] backward(float[] dy) {
        long t0 = PhaseTimer.start();
        for (int i = 0; i < size; i++) {
            dx[i] = input[i] > 0f ? dy[i] : 0f;
        }
        PhaseTimer.lap(PhaseTimer.Phase.GELU, t0);
        return dx;
    }
}
