package dev.scalelab.sweep.model;

/**
 * One pre-LayerNorm transformer block (Radford et al. 2019, GPT-2):
 * x += proj(attention(qkv(ln1(x)))); x += fc2(act(fc(ln2(x)))), with act GELU or ReLU and the
 * LayerNorms left out when the {@link Architecture} says so.
 */
final class Block {
    final LayerNorm ln1;
    final Linear qkv;
    final CausalAttention attention;
    final Linear proj;
    final LayerNorm ln2;
    final Linear fc;
    final Activation act;
    final Linear fc2;
    private final int size;

    Block(Params params, Workspace ws, int index, int batch, int context, int width, int heads, Parallel parallel,
          Architecture arch) {
        int rows = batch * context;
        String name = "block" + index;
        this.size = rows * width;
        int hidden = arch.mlpWidth(width);
        this.ln1 = arch.layerNorm() ? new LayerNorm(params, ws, name + ".ln1", width, rows) : null;
        this.qkv = new Linear(params, ws, name + ".attn.qkv", width, 3 * width, rows, true, true);
        this.attention = new CausalAttention(ws, batch, context, width, heads, parallel);
        this.proj = new Linear(params, ws, name + ".attn.proj", width, width, rows, true, false);
        this.ln2 = arch.layerNorm() ? new LayerNorm(params, ws, name + ".ln2", width, rows) : null;
        this.fc = new Linear(params, ws, name + ".mlp.fc", width, hidden, rows, true, false);
        this.act = arch.activation(ws, rows * hidden);
        this.fc2 = new Linear(params, ws, name + ".mlp.fc2", hidden, width, rows, true, false);
    }

    void syncWeights() {
        qkv.syncWeight();
        proj.syncWeight();
        fc.syncWeight();
        fc2.syncWeight();
    }

    /** Updates the residual stream x (B·T, C) in place. */
    void forward(float[] x) {
        float[] a = proj.forward(attention.forward(qkv.forward(ln1 == null ? x : ln1.forward(x))));   // (B·T, C)
        long t = PhaseTimer.start();
        for (int i = 0; i < size; i++) {
            x[i] += a[i];
        }
        PhaseTimer.lap(PhaseTimer.Phase.RESIDUAL, t);
        float[] m = fc2.forward(act.forward(fc.forward(ln2 == null ? x : ln2.forward(x))));           // (B·T, C)
        t = PhaseTimer.start();
        for (int i = 0; i < size; i++) {
            x[i] += m[i];
        }
        PhaseTimer.lap(PhaseTimer.Phase.RESIDUAL, t);
    }

    /** Turns dx, the gradient at the block's output, into the gradient at its input, in place. */
    void backward(float[] dx) {
        float[] dh = fc.backward(act.backward(fc2.backward(dx)));
        float[] dm = ln2 == null ? dh : ln2.backward(dh);
        for (int i = 0; i < size; i++) {
            dx[i] += dm[i];
        }
        float[] dq = qkv.backward(attention.backward(proj.backward(dx)));
        float[] da = ln1 == null ? dq : ln1.backward(dq);
        for (int i = 0; i < size; i++) {
            dx[i] += da[i];
        }
    }
}
