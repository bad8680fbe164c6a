package dev.scalelab.sweep.model;

import dev.scalelab.core.run.Precision;
import dev.scalelab.core.model.ModelShape;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A GPT-2-style decoder (Radford et al. 2019) with a hand-written forward and backward pass:
 * token and learned position embeddings, pre-LayerNorm blocks of causal multi-head attention and
 * a 4×-wide GELU MLP, a final LayerNorm, and an output projection tied to the token embedding or
 * not. Matrix multiplies run through ND4J; everything else is Java, reading and writing the
 * matrices the multiplies use row by row ({@link NativeMatrix}). Buffers are
 * sized for one batch shape and allocated once.
 */
public final class Gpt implements AutoCloseable {
    /** GPT-2's initialisation scale. */
    static final double INIT_STD = 0.02;

    private final ModelShape shape;
    private final int batch;
    private final int rows;
    private final Params params = new Params();
    private final Params.Slice tokenEmbedding;
    private final Params.Slice positionEmbedding;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNorm finalNorm;
    private final OutputHead head;
    private final Parallel parallel;
    private final Workspace ws;
    private final float[] x;   // (B·T, C) residual stream
    private final float[] dx;  // (B·T, C) its gradient

    public Gpt(ModelShape shape, boolean tiedOutput, int batch, int threads) {
        this(shape, tiedOutput, batch, threads, Architecture.GPT2);
    }

    /** A model whose MLP nonlinearity, MLP width and LayerNorms follow {@code arch}. */
    public Gpt(ModelShape shape, boolean tiedOutput, int batch, int threads, Architecture arch) {
        this(shape, tiedOutput, batch, threads, arch, Precision.FP32);
    }

    /** With the matrix multiplies in the given precision (each precision has its own bits). */
    public Gpt(ModelShape shape, boolean tiedOutput, int batch, int threads, Architecture arch,
               Precision precision) {
        this(shape, tiedOutput, batch, new Parallel(threads), arch, precision);
    }

    /** With the workers given: tests pass ones that split even a small model's row kernels. */
    Gpt(ModelShape shape, boolean tiedOutput, int batch, Parallel parallel, Architecture arch) {
        this(shape, tiedOutput, batch, parallel, arch, Precision.FP32);
    }

    Gpt(ModelShape shape, boolean tiedOutput, int batch, Parallel parallel, Architecture arch,
        Precision precision) {
        this.shape = shape;
        this.batch = batch;
        this.rows = batch * shape.context();
        int c = shape.dModel();
        this.parallel = parallel;
        this.ws = new Workspace(precision);
        this.tokenEmbedding = params.add("wte", shape.vocab(), c, Params.Kind.EMBEDDING);
        this.positionEmbedding = params.add("wpe", shape.context(), c, Params.Kind.EMBEDDING);
        for (int l = 0; l < shape.layers(); l++) {
            blocks.add(new Block(params, ws, l, batch, shape.context(), c, shape.heads(), parallel, arch));
        }
        this.finalNorm = arch.layerNorm() ? new LayerNorm(params, ws, parallel, "lnf", c, rows) : null;
        Params.Slice output = tiedOutput ? tokenEmbedding
                : params.add("head.weight", shape.vocab(), c, Params.Kind.MATRIX);
        this.head = new OutputHead(params, ws, parallel, output, rows, c, shape.vocab());
        params.allocate();
        this.x = new float[rows * c];
        this.dx = new float[rows * c];
    }

    public ModelShape shape() {
        return shape;
    }

    public int batch() {
        return batch;
    }

    public Params params() {
        return params;
    }

    /**
     * GPT-2 initialisation: normal(0, 0.02) for matrices and embeddings, the residual output
     * projections scaled by 1/sqrt(2·layers), zero biases, unit LayerNorm gains.
     */
    public void init(long seed) {
        init(seed, 1.0);
    }

    /**
     * The same with every standard deviation multiplied by {@code scale}: a larger initial weight
     * norm, the condition for grokking in Liu et al. (2023, "Omnigrok", section 3).
     */
    public void init(long seed, double scale) {
        Random rng = new Random(seed);
        float[] v = params.values();
        double residualStd = scale * INIT_STD / Math.sqrt(2.0 * shape.layers());
        for (Params.Slice s : params.slices()) {
            boolean residual = s.name().endsWith("attn.proj.weight") || s.name().endsWith("mlp.fc2.weight");
            switch (s.kind()) {
                case MATRIX, EMBEDDING -> {
                    double std = residual ? residualStd : scale * INIT_STD;
                    for (int i = 0; i < s.size(); i++) {
                        v[s.offset() + i] = (float) (rng.nextGaussian() * std);
                    }
                }
                case BIAS -> java.util.Arrays.fill(v, s.offset(), s.offset() + s.size(), 0f);
                case NORM -> java.util.Arrays.fill(v, s.offset(), s.offset() + s.size(),
                        s.name().endsWith(".gain") ? 1f : 0f);
            }
        }
        syncWeights();
    }

    /** Copies matrix weights into the ND4J mirrors the GEMMs read; call after every change to the values. */
    public void syncWeights() {
        for (Block b : blocks) {
            b.syncWeights();
        }
        head.syncWeight();
    }

    /**
     * Restricts the loss to targets at these positions of each window (0-based, predicting token
     * position+1), e.g. {3} for the answer of a modular equation [a, op, b, =, c]; null for all.
     */
    public void lossPositions(int... positions) {
        head.lossPositions(positions, shape.context());
    }

    /** Mean validation-style loss (nats/token) of a batch, forward only. Tokens are (B, T+1). */
    public double loss(int[] tokens) {
        forwardHidden(tokens);
        return head.loss(tokens, shape.context(), false);
    }

    /** Log-probabilities of the next token at every position (B·T, V), forward only. Tokens are (B, T+1). */
    public float[] logProbabilities(int[] tokens) {
        forwardHidden(tokens);
        return head.logSoftmax();
    }

    /** Zeroes the gradients, then computes the mean loss of the batch and its gradients. */
    public double lossAndGradients(int[] tokens) {
        params.zeroGrads();
        forwardHidden(tokens);
        double loss = head.loss(tokens, shape.context(), true);
        if (finalNorm == null) {
            long t = PhaseTimer.start();
            head.inputGradient().readAll(dx, 0, parallel);
            PhaseTimer.lap(PhaseTimer.Phase.COPY, t);
        } else {
            finalNorm.backward(head.inputGradient(), dx, false);
        }
        for (int l = blocks.size() - 1; l >= 0; l--) {
            blocks.get(l).backward(dx);
        }
        long t = PhaseTimer.start();
        embedBackward(tokens);
        PhaseTimer.lap(PhaseTimer.Phase.EMBEDDING, t);
        return loss;
    }

    /** Runs the blocks and leaves the final hidden states in the output head's input. */
    private void forwardHidden(int[] tokens) {
        int expected = batch * (shape.context() + 1);
        if (tokens.length != expected) {
            throw new IllegalArgumentException("expected " + expected + " tokens (batch × (context+1)), got " + tokens.length);
        }
        long t = PhaseTimer.start();
        embedForward(tokens);
        PhaseTimer.lap(PhaseTimer.Phase.EMBEDDING, t);
        for (Block b : blocks) {
            b.forward(x);
        }
        if (finalNorm == null) {
            long t2 = PhaseTimer.start();
            head.input().writeAll(x, 0, parallel);
            PhaseTimer.lap(PhaseTimer.Phase.COPY, t2);
        } else {
            finalNorm.forward(x, head.input());
        }
    }

    private void embedForward(int[] tokens) {
        int t = shape.context();
        int c = shape.dModel();
        float[] v = params.values();
        for (int r = 0; r < rows; r++) {
            int token = tokens[(r / t) * (t + 1) + r % t];
            if (token < 0 || token >= shape.vocab()) {
                throw new IllegalArgumentException("token " + token + " outside the vocabulary of " + shape.vocab());
            }
            int te = tokenEmbedding.offset() + token * c;
            int pe = positionEmbedding.offset() + (r % t) * c;
            int row = r * c;
            for (int j = 0; j < c; j++) {
                x[row + j] = v[te + j] + v[pe + j];
            }
        }
    }

    private void embedBackward(int[] tokens) {
        int t = shape.context();
        int c = shape.dModel();
        float[] g = params.grads();
        for (int r = 0; r < rows; r++) {
            int token = tokens[(r / t) * (t + 1) + r % t];
            int te = tokenEmbedding.offset() + token * c;
            int pe = positionEmbedding.offset() + (r % t) * c;
            int row = r * c;
            for (int j = 0; j < c; j++) {
                g[te + j] += dx[row + j];
                g[pe + j] += dx[row + j];
            }
        }
    }

    @Override
    public void close() {
        ws.close();
        parallel.close();
    }
}
