package dev.scalelab.sweep.model;

/**
 * One pre-LayerNorm transformer block (Radford et al. 2019, GPT-2):
 * x += proj(attention(qkv(ln1(x)))); x += fc2(act(fc(ln2(x)))), with act GELU or ReLU and the
 * LayerNorms left out when the {@link Architecture} says so.
 */
final class Block {
    final LayerNorm ln1;
    final Linear qkv;
    final CausalAttention attention;        // null where the batched path runs
    final BatchedAttention batchedAttention; // null where it does not fit
    final Linear proj;
    final LayerNorm ln2;
    final Linear fc;
    final Activation act;
    final Linear fc2;
    private final Parallel parallel;

    Block(Params params, Workspace ws, int index, int batch, int context, int width, int heads, Parallel parallel,
          Architecture arch) {
        int rows = batch * context;
        String name = "block" + index;
        int hidden = arch.mlpWidth(width);
        this.ln1 = arch.layerNorm() ? new LayerNorm(params, ws, parallel, name + ".ln1", width, rows) : null;
        this.qkv = new Linear(params, ws, parallel, name + ".attn.qkv", width, 3 * width, rows, true, true);
        this.proj = new Linear(params, ws, parallel, name + ".attn.proj", width, width, rows, true, false);
        if (BatchedAttention.fits(context, width / heads)) {
            this.batchedAttention = new BatchedAttention(ws, batch, context, width, heads, parallel,
                    ws.ownMatrix(rows, 3 * width), proj.input(), proj.gradInput(), qkv.gradOutput());
            this.attention = null;
        } else {
            this.batchedAttention = null;
            this.attention = new CausalAttention(ws, batch, context, width, heads, parallel);
        }
        this.ln2 = arch.layerNorm() ? new LayerNorm(params, ws, parallel, name + ".ln2", width, rows) : null;
        this.fc = new Linear(params, ws, parallel, name + ".mlp.fc", width, hidden, rows, true, false);
        this.act = arch.activation(ws, parallel, rows, hidden);
        this.fc2 = new Linear(params, ws, parallel, name + ".mlp.fc2", hidden, width, rows, true, false);
        this.parallel = parallel;
    }

    void syncWeights() {
        qkv.syncWeight();
        proj.syncWeight();
        fc.syncWeight();
        fc2.syncWeight();
    }

    /**
     * Updates the residual stream x (B·T, C) in place. The LayerNorms write into the projections'
     * inputs and GELU passes the MLP's hidden rows from one projection to the next in ND4J memory;
     * the residual adds read the projections' outputs there.
     */
    void forward(float[] x) {
        normInto(ln1, x, qkv);
        qkv.forward();
        if (batchedAttention != null) {
            qkv.outputInto(batchedAttention.input());
            batchedAttention.forward();
            proj.forward();
        } else {
            proj.forward(attention.forward(qkv.output()));
        }
        proj.addOutputTo(x);
        normInto(ln2, x, fc);
        fc.forward();
        act.forward(fc, fc2.input());
        fc2.forward();
        fc2.addOutputTo(x);
    }

    /** Turns dx, the gradient at the block's output, into the gradient at its input, in place. */
    void backward(float[] dx) {
        fc2.backward(dx);
        act.backward(fc2.gradInput(), fc.gradOutput());
        fc.backward();
        addNormGrad(ln2, fc, dx);
        proj.backward(dx);
        if (batchedAttention != null) {
            batchedAttention.backward();
            qkv.backward();
        } else {
            qkv.backward(attention.backward(proj.gradInputJava()));
        }
        addNormGrad(ln1, qkv, dx);
    }

    /** The projection's input: LayerNorm(x), or x itself where the architecture has no LayerNorm. */
    private void normInto(LayerNorm ln, float[] x, Linear target) {
        if (ln != null) {
            ln.forward(x, target.input());
        } else {
            long t = PhaseTimer.start();
            target.input().writeAll(x, 0, parallel);
            PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        }
    }

    /** dx += the gradient back through the branch's LayerNorm (or straight from the projection without one). */
    private static void addNormGrad(LayerNorm ln, Linear from, float[] dx) {
        if (ln != null) {
            ln.backward(from.gradInput(), dx, true);
        } else {
            from.addGradInputTo(dx);
        }
    }
}
