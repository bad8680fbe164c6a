package dev.scalelab.sweep.model;

/**
 * The MLP's nonlinearity: y = f(u) element by element, and the gradient back through it. In a
 * block it reads the first projection's output (bias included) from ND4J memory and writes the
 * second projection's input there, row by row through scratch rows in L1 cache, rows split across
 * the model's workers; backward likewise from the second projection's input gradient to the first
 * one's output gradient. Subclasses give the element-wise arithmetic over whole scratch rows, all
 * indexed from 0, which is what lets the JIT vectorise their loops (with different offsets into
 * arrays that might be the same one it does not); the per-element value backward needs (GELU's
 * slope, ReLU's input) is kept here, a row at a time.
 */
abstract class Activation {
    final int rows;
    final int width;
    private final Parallel parallel;
    private final float[] kept;   // (rows, width) what backward needs, per element
    private final float[] y;
    private final float[] dx;
    private final float[][] in;
    private final float[][] out;
    private final float[][] keep;

    Activation(Workspace ws, Parallel parallel, String name, int rows, int width) {
        this.rows = rows;
        this.width = width;
        this.parallel = parallel;
        this.kept = new float[rows * width];
        this.y = ws.array(name + ".y", rows * width);
        this.dx = ws.array(name + ".dx", rows * width);
        this.in = parallel.perWorker(width);
        this.out = parallel.perWorker(width);
        this.keep = parallel.perWorker(width);
    }

    /** y[i] = f(u[i]) for i &lt; n, and keep[i] what backward needs for element i. */
    abstract void forwardRow(float[] u, float[] y, float[] keep, int n);

    /** dx[i] = dy[i] · f'(u[i]) for i &lt; n, from what forward kept. */
    abstract void backwardRow(float[] dy, float[] keep, float[] dx, int n);

    /** Returns y (rows, width), owned by the activation; keeps what {@link #backward(float[])} needs. */
    float[] forward(float[] u) {
        long t0 = PhaseTimer.start();
        rowsInParallel((worker, r) -> {
            System.arraycopy(u, r * width, in[worker], 0, width);
            forwardRow(in[worker], out[worker], keep[worker], width);
            System.arraycopy(out[worker], 0, y, r * width, width);
            System.arraycopy(keep[worker], 0, kept, r * width, width);
        });
        PhaseTimer.lap(PhaseTimer.Phase.GELU, t0);
        return y;
    }

    /** dL/du from dL/dy, owned by the activation. */
    float[] backward(float[] dy) {
        long t0 = PhaseTimer.start();
        rowsInParallel((worker, r) -> {
            System.arraycopy(dy, r * width, in[worker], 0, width);
            System.arraycopy(kept, r * width, keep[worker], 0, width);
            backwardRow(in[worker], keep[worker], out[worker], width);
            System.arraycopy(out[worker], 0, dx, r * width, width);
        });
        PhaseTimer.lap(PhaseTimer.Phase.GELU, t0);
        return dx;
    }

    /** f of {@code from}'s output (bias included), written into {@code to}, a projection's input (tagged by its GEMM's owner). */
    void forward(Linear from, NativeMatrix to) {
        long t0 = PhaseTimer.start();
        rowsInParallel((worker, r) -> {
            from.outputRow(r, in[worker]);
            forwardRow(in[worker], out[worker], keep[worker], width);
            to.writeRow(r, out[worker]);
            System.arraycopy(keep[worker], 0, kept, r * width, width);
        });
        PhaseTimer.lap(PhaseTimer.Phase.GELU, t0);
    }

    /** The gradient at the input from {@code dy} (the next projection's input gradient) into {@code dx}. */
    void backward(NativeMatrix dy, NativeMatrix dx) {
        long t0 = PhaseTimer.start();
        rowsInParallel((worker, r) -> {
            dy.readRow(r, in[worker]);
            System.arraycopy(kept, r * width, keep[worker], 0, width);
            backwardRow(in[worker], keep[worker], out[worker], width);
            dx.writeRow(r, out[worker]);
        });
        PhaseTimer.lap(PhaseTimer.Phase.GELU, t0);
    }

    @FunctionalInterface
    private interface RowTask {
        void run(int worker, int row);
    }

    private void rowsInParallel(RowTask task) {
        parallel.forRows(rows, width, (worker, from, to) -> {
            for (int r = from; r < to; r++) {
                task.run(worker, r);
            }
        });
    }
}
