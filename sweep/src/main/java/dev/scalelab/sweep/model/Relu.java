package dev.scalelab.sweep.model;

/** ReLU, max(0, u) (Nair and Hinton 2010): the MLP nonlinearity of Nanda et al. (2023)'s grokking model. */
final class Relu extends Activation {
    Relu(Workspace ws, Parallel parallel, int rows, int width) {
        super(ws, parallel, "relu", rows, width);
    }

    /** n elements in one row, on the calling thread. */
    Relu(Workspace ws, int n) {
        this(ws, new Parallel(1), 1, n);
    }

    @Override
    void forwardRow(float[] u, float[] y, float[] input, int n) {
        for (int i = 0; i < n; i++) {
            input[i] = u[i];
            y[i] = Math.max(0f, u[i]);
        }
    }

    @Override
    void backwardRow(float[] dy, float[] input, float[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = input[i] > 0f ? dy[i] : 0f;
        }
    }
}
