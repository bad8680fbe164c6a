package dev.scalelab.sweep.model;

import dev.scalelab.sweep.tensor.MatrixProduct;

/**
 * y = x·W + b for a fixed number of rows. W is [in, out] row-major (so y = x·W needs no
 * transpose) and lives both in the flat parameter array and in an ND4J mirror the GEMMs read.
 *
 * <p>The input x, the product x·W, the output gradient dy and the input gradient dx live in ND4J
 * memory ({@link NativeMatrix}); the kernels on either side read and write them row by row
 * ({@link #input()}, {@link #outputRow}, {@link #gradOutput()}, {@link #gradInput()}), so a
 * LayerNorm writes its output straight into the next projection's input and GELU reads one
 * projection's output and writes the next one's input. The bias is added where the output is
 * read, and its gradient is summed from dy in ND4J memory. Row work is split across the model's
 * workers by rows, and the bias gradient by columns, each column summed over the rows in order,
 * so every bit is the same for any number of threads.
 */
final class Linear {
    final Params.Slice weight;
    final Params.Slice bias; // null when the layer has none
    private final Params params;
    private final Parallel parallel;
    private final int rows;
    private final int in;
    private final int out;
    private final NativeMatrix w;      // (in, out) mirror of the weight
    private final NativeMatrix x;      // (rows, in) the last input, kept for the weight gradient
    private final NativeMatrix y;      // (rows, out) x·W, without the bias
    private final NativeMatrix dy;     // (rows, out)
    private final NativeMatrix dx;     // (rows, in)
    private final NativeMatrix dw;     // (in, out)
    private final MatrixProduct forward;
    private final MatrixProduct backwardWeight;
    private final MatrixProduct backwardInput;
    private final float[][] rowScratch; // per worker, one row of y or dy
    private float[] yJava;              // (rows, out) with the bias, for callers that want the whole output
    private float[] dxJava;             // (rows, in)
    private final boolean keepOutput;
    private final Workspace ws;

    /**
     * @param keepOutput whether the output must survive until backward (the QKV projection's
     *                   output is attention's saved input); other outputs live in shared buffers
     */
    Linear(Params params, Workspace ws, Parallel parallel, String name, int in, int out, int rows, boolean withBias,
           boolean keepOutput) {
        this.params = params;
        this.parallel = parallel;
        this.ws = ws;
        this.rows = rows;
        this.in = in;
        this.out = out;
        this.keepOutput = keepOutput;
        this.weight = params.add(name + ".weight", in, out, Params.Kind.MATRIX);
        this.bias = withBias ? params.add(name + ".bias", 1, out, Params.Kind.BIAS) : null;
        this.w = ws.ownMatrix(in, out);
        this.x = ws.ownMatrix(rows, in);
        this.y = ws.matrix("linear.y", rows, out);
        this.dy = ws.matrix("linear.dy", rows, out);
        this.dx = ws.matrix("linear.dx", rows, in);
        this.dw = ws.matrix("linear.dw", in, out);
        this.forward = ws.product(x, false, w, false, y);                 // (rows,in)·(in,out)
        this.backwardWeight = ws.product(x, true, dy, false, dw);         // (in,rows)·(rows,out)
        this.backwardInput = ws.product(dy, false, w, true, dx);          // (rows,out)·(out,in)
        this.rowScratch = parallel.perWorker(Math.max(in, out));
    }

    /** Copies the weight from the flat parameters into the GEMM mirror; call after each update. */
    void syncWeight() {
        w.writeAll(params.values(), weight.offset(), parallel);
        w.hostWritten();                 // in bf16, the weight is rounded here, once per update
    }

    /** The input (rows, in) in ND4J memory, for a kernel that writes it row by row before {@link #forward()}. */
    NativeMatrix input() {
        return x;
    }

    /** y = x·W from the input already written to {@link #input()}; read it with {@link #outputRow}. */
    void forward() {
        long t = PhaseTimer.start();
        x.hostWritten();                 // in bf16, x is rounded here, once for forward and the weight gradient
        forward.run();
        y.toHost();
        PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
    }

    /** Copies the input in and runs {@link #forward()}. */
    void forward(float[] input) {
        long t = PhaseTimer.start();
        x.writeAll(input, 0, parallel);
        PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        forward();
    }

    /** Row r of the last output, bias included, into dst[0 .. out). */
    void outputRow(int r, float[] dst) {
        y.readRow(r, dst);
        if (bias != null) {
            RowOps.add(dst, 0, params.values(), bias.offset(), out);
        }
    }

    /** The last output with the bias (rows, out), in an array owned by this layer. */
    float[] output() {
        long t = PhaseTimer.start();
        if (yJava == null) {
            yJava = keepOutput ? new float[rows * out] : ws.array("linear.y", rows * out);
        }
        float[] dst = yJava;
        parallel.forRows(rows, out, (worker, from, to) -> {
            float[] row = rowScratch[worker];
            for (int r = from; r < to; r++) {
                outputRow(r, row);
                System.arraycopy(row, 0, dst, r * out, out);
            }
        });
        PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        return dst;
    }

    /** dst (rows, out) = y + b, row by row, for a kernel that reads the output from ND4J memory; then hostWritten. */
    void outputInto(NativeMatrix dst) {
        long t = PhaseTimer.start();
        parallel.forRows(rows, out, (worker, from, to) -> {
            float[] row = rowScratch[worker];
            for (int r = from; r < to; r++) {
                outputRow(r, row);
                dst.writeRow(r, row);
            }
        });
        PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
    }

    /** target += y + b, row by row: the residual add of a block's output projection. */
    void addOutputTo(float[] target) {
        long t = PhaseTimer.start();
        parallel.forRows(rows, out, (worker, from, to) -> {
            float[] row = rowScratch[worker];
            for (int r = from; r < to; r++) {
                outputRow(r, row);
                RowOps.add(target, r * out, row, 0, out);
            }
        });
        PhaseTimer.lap(PhaseTimer.Phase.RESIDUAL, t);
    }

    /** The output gradient (rows, out) in ND4J memory, for a kernel that writes it before {@link #backward()}. */
    NativeMatrix gradOutput() {
        return dy;
    }

    /** The input gradient (rows, in) in ND4J memory from the last {@link #backward()}. */
    NativeMatrix gradInput() {
        return dx;
    }

    /**
     * From the output gradient already in {@link #gradOutput()}: accumulates db (each column over
     * the rows in order) and dW into the flat gradients and leaves dx in {@link #gradInput()}.
     */
    void backward() {
        long t = PhaseTimer.start();
        dy.hostWritten();                // in bf16, dy is rounded here, once for both products
        t = PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
        if (bias != null) {
            float[] g = params.grads();
            int b = bias.offset();
            parallel.forRows(out, rows, (worker, from, to) -> {
                float[] part = rowScratch[worker];
                int width = to - from;
                for (int r = 0; r < rows; r++) {
                    dy.read(r * out + from, part, 0, width);
                    RowOps.add(g, b + from, part, 0, width);
                }
            });
        }
        t = PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        backwardWeight.run();
        dw.toHost();
        t = PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
        parallel.forFloats(weight.size(), (worker, from, to) -> {
            dw.read(from, params.grads(), weight.offset() + from, to - from);
        });
        t = PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        backwardInput.run();
        dx.toHost();
        PhaseTimer.lap(PhaseTimer.Phase.GEMM, t);
    }

    /** Copies the output gradient in and runs {@link #backward()}. */
    void backward(float[] gradOut) {
        long t = PhaseTimer.start();
        dy.writeAll(gradOut, 0, parallel);
        PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        backward();
    }

    /** The last input gradient (rows, in) in an array owned by this layer. */
    float[] gradInputJava() {
        long t = PhaseTimer.start();
        if (dxJava == null) {
            dxJava = ws.array("linear.dx", rows * in);
        }
        dx.readAll(dxJava, 0, parallel);
        PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        return dxJava;
    }

    /** target += dx: the residual stream's gradient from a branch without a LayerNorm. */
    void addGradInputTo(float[] target) {
        long t = PhaseTimer.start();
        parallel.forRows(rows, in, (worker, from, to) -> {
            float[] row = rowScratch[worker];
            for (int r = from; r < to; r++) {
                dx.readRow(r, row);
                RowOps.add(target, r * in, row, 0, in);
            }
        });
        PhaseTimer.lap(PhaseTimer.Phase.RESIDUAL, t);
    }

}
