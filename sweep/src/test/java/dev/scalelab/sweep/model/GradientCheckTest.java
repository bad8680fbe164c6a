package dev.scalelab.sweep.model;

import dev.scalelab.core.model.ModelShape;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks every layer's backward pass, and the whole model's, against central finite differences.
 * The model computes in float32, so the check perturbs by 1e-2 and accepts a difference of
 * 5e-4 absolute plus 3% relative: float rounding of a loss near 1 is about 1e-7, i.e. about 1e-5
 * in a difference quotient. A wrong gradient (a missing term, a transposed index) misses by far more.
 */
class GradientCheckTest {
    static final double EPS = 1e-2;
    static final double ABS_TOL = 5e-4;
    static final double REL_TOL = 0.03;

    private static float[] gaussian(Random rng, int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextGaussian() * std);
        }
        return a;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** Central difference of f with respect to array[index]. */
    private static double numeric(float[] array, int index, DoubleSupplier f, Runnable afterChange) {
        float saved = array[index];
        array[index] = (float) (saved + EPS);
        afterChange.run();
        double up = f.getAsDouble();
        array[index] = (float) (saved - EPS);
        afterChange.run();
        double down = f.getAsDouble();
        array[index] = saved;
        afterChange.run();
        return (up - down) / (2 * EPS);
    }

    private static void assertClose(String what, double analytic, double numeric) {
        double tolerance = ABS_TOL + REL_TOL * Math.max(Math.abs(analytic), Math.abs(numeric));
        assertThat(Math.abs(analytic - numeric)).as("%s: analytic %s vs numeric %s", what, analytic, numeric)
                .isLessThanOrEqualTo(tolerance);
    }

    /** Randomises parameter values so every gradient is far from zero. */
    private static void randomise(Params params, Random rng) {
        float[] v = params.values();
        for (Params.Slice s : params.slices()) {
            for (int i = 0; i < s.size(); i++) {
                double base = s.kind() == Params.Kind.NORM && s.name().endsWith(".gain") ? 1.0 : 0.0;
                v[s.offset() + i] = (float) (base + rng.nextGaussian() * 0.3);
            }
        }
    }

    @Test
    void layerNorm() {
        Random rng = new Random(1);
        int rows = 3;
        int width = 8;
        Params params = new Params();
        LayerNorm ln = new LayerNorm(params, new Workspace(), new Parallel(1), "ln", width, rows);
        params.allocate();
        randomise(params, rng);
        float[] x = gaussian(rng, rows * width, 1.0);
        float[] g = gaussian(rng, rows * width, 1.0);
        DoubleSupplier loss = () -> dot(g, ln.forward(x));
        loss.getAsDouble();
        float[] dx = ln.backward(g).clone();
        for (int i = 0; i < x.length; i++) {
            assertClose("ln dx[" + i + "]", dx[i], numeric(x, i, loss, () -> { }));
        }
        for (int i = 0; i < params.size(); i++) {
            assertClose("ln dparam[" + i + "]", params.grads()[i], numeric(params.values(), i, loss, () -> { }));
        }
    }

    @Test
    void gelu() {
        Random rng = new Random(2);
        int n = 64;
        Gelu gelu = new Gelu(new Workspace(), n);
        float[] x = gaussian(rng, n, 2.0);
        float[] g = gaussian(rng, n, 1.0);
        DoubleSupplier loss = () -> dot(g, gelu.forward(x));
        loss.getAsDouble();
        float[] dx = gelu.backward(g).clone();
        for (int i = 0; i < n; i++) {
            assertClose("gelu dx[" + i + "]", dx[i], numeric(x, i, loss, () -> { }));
        }
        // and it is GELU: against the tanh formula with Math.tanh, to the approximation's error
        for (float u : new float[] {-3f, -1f, 0f, 0.5f, 2f, 6f}) {
            double exact = 0.5 * u * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (u + 0.044715 * u * u * u)));
            float[] in = {u};
            assertThat((double) new Gelu(new Workspace(), 1).forward(in)[0]).isCloseTo(exact, org.assertj.core.api.Assertions.within(2e-5));
        }
    }

    @Test
    void causalAttention() {
        Random rng = new Random(3);
        int batch = 2;
        int context = 5;
        int width = 8;
        int heads = 2;
        try (Parallel parallel = new Parallel(2)) {
            CausalAttention attention = new CausalAttention(new Workspace(), batch, context, width, heads, parallel);
            float[] qkv = gaussian(rng, batch * context * 3 * width, 1.0);
            float[] g = gaussian(rng, batch * context * width, 1.0);
            DoubleSupplier loss = () -> dot(g, attention.forward(qkv));
            loss.getAsDouble();
            float[] dqkv = attention.backward(g).clone();
            for (int i = 0; i < qkv.length; i++) {
                assertClose("attention dqkv[" + i + "]", dqkv[i], numeric(qkv, i, loss, () -> { }));
            }
            // causality: the first position's output depends on nothing after it
            float[] before = attention.forward(qkv).clone();
            qkv[(context - 1) * 3 * width] += 5f; // a query of the last position of sequence 0
            qkv[(context - 1) * 3 * width + width] += 5f; // and its key
            float[] after = attention.forward(qkv);
            for (int d = 0; d < width; d++) {
                assertThat(after[d]).isEqualTo(before[d]);
            }
        }
    }

    @Test
    void vectorAttentionMatchesTheScalarPathAndPassesItsOwnCheck() {
        assertThat(CausalAttention.VECTOR_API).as("tests run with --add-modules jdk.incubator.vector").isTrue();
        Random rng = new Random(6);
        int batch = 2;
        int context = 32;
        int width = 32;
        int heads = 2; // head size 16: both the 8- and 16-lane kernels apply
        assertThat(VectorKernels.fits(context, width / heads)).isTrue();
        try (Parallel parallel = new Parallel(2)) {
            CausalAttention vector = new CausalAttention(new Workspace(), batch, context, width, heads, parallel, true);
            CausalAttention scalar = new CausalAttention(new Workspace(), batch, context, width, heads, parallel, false);
            float[] qkv = gaussian(rng, batch * context * 3 * width, 1.0);
            float[] g = gaussian(rng, batch * context * width, 1.0);
            float[] yv = vector.forward(qkv).clone();
            float[] ys = scalar.forward(qkv).clone();
            float[] dv = vector.backward(g).clone();
            float[] ds = scalar.backward(g).clone();
            for (int i = 0; i < yv.length; i++) {
                assertThat(yv[i]).as("y[%d]", i).isCloseTo(ys[i], org.assertj.core.api.Assertions.within(2e-5f));
            }
            for (int i = 0; i < dv.length; i++) {
                assertThat(dv[i]).as("dqkv[%d]", i).isCloseTo(ds[i], org.assertj.core.api.Assertions.within(2e-5f));
            }
            DoubleSupplier loss = () -> dot(g, vector.forward(qkv));
            Random pick = new Random(7);
            for (int k = 0; k < 300; k++) {
                int i = pick.nextInt(qkv.length);
                loss.getAsDouble();
                double analytic = vector.backward(g)[i];
                assertClose("vector attention dqkv[" + i + "]", analytic, numeric(qkv, i, loss, () -> { }));
            }
        }
    }

    /** The batched oneDNN path of {@link BatchedAttention} on its native buffers, as a function of float arrays. */
    private static final class Batched implements AutoCloseable {
        final Workspace ws;
        final NativeMatrix in;
        final NativeMatrix y;
        final NativeMatrix dy;
        final NativeMatrix dqkv;
        final BatchedAttention attention;

        Batched(dev.scalelab.core.run.Precision precision, int batch, int context, int width, int heads, Parallel parallel) {
            ws = new Workspace(precision);
            int rows = batch * context;
            in = ws.ownMatrix(rows, 3 * width);
            y = ws.ownMatrix(rows, width);
            dy = ws.ownMatrix(rows, width);
            dqkv = ws.ownMatrix(rows, 3 * width);
            attention = new BatchedAttention(ws, batch, context, width, heads, parallel, in, y, dy, dqkv);
        }

        float[] forward(float[] qkv) {
            in.write(0, qkv, 0, qkv.length);
            attention.forward();
            float[] out = new float[y.size()];
            y.read(0, out, 0, out.length);
            return out;
        }

        float[] backward(float[] g) {
            dy.write(0, g, 0, g.length);
            attention.backward();
            float[] out = new float[dqkv.size()];
            dqkv.read(0, out, 0, out.length);
            return out;
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    @Test
    void batchedAttentionMatchesTheScalarPathAndPassesItsOwnCheck() {
        Random rng = new Random(16);
        int batch = 2;
        int context = 32;
        int width = 64;
        int heads = 2; // head size 32
        assertThat(BatchedAttention.fits(context, width / heads)).isTrue();
        try (Parallel parallel = new Parallel(2);
             Batched batched = new Batched(dev.scalelab.core.run.Precision.FP32, batch, context, width, heads, parallel)) {
            CausalAttention scalar = new CausalAttention(new Workspace(), batch, context, width, heads, parallel, false);
            float[] qkv = gaussian(rng, batch * context * 3 * width, 1.0);
            float[] g = gaussian(rng, batch * context * width, 1.0);
            float[] yb = batched.forward(qkv);
            float[] ys = scalar.forward(qkv).clone();
            float[] db = batched.backward(g);
            float[] ds = scalar.backward(g).clone();
            for (int i = 0; i < yb.length; i++) {
                assertThat(yb[i]).as("y[%d]", i).isCloseTo(ys[i], org.assertj.core.api.Assertions.within(2e-5f));
            }
            for (int i = 0; i < db.length; i++) {
                assertThat(db[i]).as("dqkv[%d]", i).isCloseTo(ds[i], org.assertj.core.api.Assertions.within(2e-5f));
            }
            DoubleSupplier loss = () -> dot(g, batched.forward(qkv));
            Random pick = new Random(17);
            for (int k = 0; k < 300; k++) {
                int i = pick.nextInt(qkv.length);
                loss.getAsDouble();
                double analytic = batched.backward(g)[i];
                assertClose("batched attention dqkv[" + i + "]", analytic, numeric(qkv, i, loss, () -> { }));
            }
        }
    }

    @Test
    void batchedAttentionInBf16RoundsItsProductsAndStaysCloseToFloat32() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.scalelab.sweep.tensor.OneDnnMatmul.isa().startsWith("avx512"),
                "bf16 needs AVX-512");
        Random rng = new Random(18);
        int batch = 2;
        int context = 32;
        int width = 64;
        int heads = 2;
        try (Parallel parallel = new Parallel(2);
             Batched fp32 = new Batched(dev.scalelab.core.run.Precision.FP32, batch, context, width, heads, parallel);
             Batched bf16 = new Batched(dev.scalelab.core.run.Precision.BF16, batch, context, width, heads, parallel)) {
            float[] qkv = gaussian(rng, batch * context * 3 * width, 1.0);
            float[] g = gaussian(rng, batch * context * width, 1.0);
            float[][] exact = {fp32.forward(qkv), fp32.backward(g)};
            float[][] rounded = {bf16.forward(qkv), bf16.backward(g)};
            for (int part = 0; part < 2; part++) {
                double diff = 0;
                double norm = 0;
                for (int i = 0; i < exact[part].length; i++) {
                    diff = Math.max(diff, Math.abs(rounded[part][i] - exact[part][i]));
                    norm = Math.max(norm, Math.abs(exact[part][i]));
                }
                // bf16 keeps 8 significant bits (relative rounding 2^-9 per input): a few 1e-3 of the largest value
                assertThat(diff / norm).as(part == 0 ? "y" : "dqkv").isBetween(1e-5, 2e-2);
            }
        }
    }

    @Test
    void narrowHeadAttentionMatchesTheScalarPathAndPassesItsOwnCheck() {
        for (int heads : new int[] {8, 4}) { // head sizes 4 and 8: narrower than an 8- or 16-lane vector
            Random rng = new Random(8 + heads);
            int batch = 2;
            int context = 32;
            int width = 32;
            assertThat(VectorKernels.fits(context, width / heads)).isFalse();
            try (Parallel parallel = new Parallel(2)) {
                CausalAttention narrow = new CausalAttention(new Workspace(), batch, context, width, heads, parallel, true);
                CausalAttention scalar = new CausalAttention(new Workspace(), batch, context, width, heads, parallel, false);
                assertThat(narrow.narrowPath()).isTrue();
                assertThat(scalar.narrowPath()).isFalse();
                float[] qkv = gaussian(rng, batch * context * 3 * width, 1.0);
                float[] g = gaussian(rng, batch * context * width, 1.0);
                float[] yn = narrow.forward(qkv).clone();
                float[] ys = scalar.forward(qkv).clone();
                float[] dn = narrow.backward(g).clone();
                float[] ds = scalar.backward(g).clone();
                for (int i = 0; i < yn.length; i++) {
                    assertThat(yn[i]).as("head size %d: y[%d]", width / heads, i)
                            .isCloseTo(ys[i], org.assertj.core.api.Assertions.within(2e-5f));
                }
                for (int i = 0; i < dn.length; i++) {
                    assertThat(dn[i]).as("head size %d: dqkv[%d]", width / heads, i)
                            .isCloseTo(ds[i], org.assertj.core.api.Assertions.within(2e-5f));
                }
                DoubleSupplier loss = () -> dot(g, narrow.forward(qkv));
                Random pick = new Random(9);
                for (int k = 0; k < 200; k++) {
                    int i = pick.nextInt(qkv.length);
                    loss.getAsDouble();
                    double analytic = narrow.backward(g)[i];
                    assertClose("narrow attention dqkv[" + i + "]", analytic, numeric(qkv, i, loss, () -> { }));
                }
            }
        }
    }

    @Test
    void linear() {
        Random rng = new Random(4);
        int rows = 4;
        Params params = new Params();
        Linear linear = new Linear(params, new Workspace(), new Parallel(1), "fc", 5, 3, rows, true, true);
        params.allocate();
        randomise(params, rng);
        linear.syncWeight();
        float[] x = gaussian(rng, rows * 5, 1.0);
        float[] g = gaussian(rng, rows * 3, 1.0);
        DoubleSupplier loss = () -> {
            linear.forward(x);
            return dot(g, linear.output());
        };
        loss.getAsDouble();
        linear.backward(g);
        float[] dx = linear.gradInputJava().clone();
        for (int i = 0; i < x.length; i++) {
            assertClose("linear dx[" + i + "]", dx[i], numeric(x, i, loss, () -> { }));
        }
        for (int i = 0; i < params.size(); i++) {
            assertClose("linear dparam[" + i + "]", params.grads()[i],
                    numeric(params.values(), i, loss, linear::syncWeight));
        }
    }

    @Test
    void relu() {
        Random rng = new Random(12);
        int n = 40;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) { // away from the kink, where finite differences hold
            x[i] = (float) ((0.2 + rng.nextDouble()) * (rng.nextBoolean() ? 1 : -1));
        }
        float[] g = gaussian(rng, n, 1.0);
        Relu relu = new Relu(new Workspace(), n);
        DoubleSupplier loss = () -> dot(g, relu.forward(x));
        loss.getAsDouble();
        float[] dx = relu.backward(g).clone();
        for (int i = 0; i < n; i++) {
            assertClose("relu dx[" + i + "]", dx[i], numeric(x, i, loss, () -> { }));
            assertThat(dx[i]).isEqualTo(x[i] > 0 ? g[i] : 0f);
        }
    }

    /**
     * The grokking architecture's other parts: no LayerNorm, a 3·d MLP, the loss on the answer
     * position only (GELU here: ReLU's kinks defeat finite differences on a whole model).
     */
    @Test
    void withoutLayerNormWithAnAnswerOnlyLoss() {
        ModelShape shape = new ModelShape(1, 2, 8, 4, 7);
        int batch = 3;
        try (Gpt model = new Gpt(shape, false, batch, 2, new Architecture("gelu", false, 24))) {
            Random rng = new Random(11);
            model.init(11);
            randomise(model.params(), rng);
            model.syncWeights();
            assertThat(model.params().slices().stream().map(Params.Slice::name)).noneMatch(n -> n.contains("ln"));
            assertThat(model.params().slices().stream().filter(sl -> sl.name().equals("block0.mlp.fc.weight"))
                    .findFirst().orElseThrow().size()).isEqualTo(8 * 24);
            model.lossPositions(3);
            int[] tokens = new int[batch * (shape.context() + 1)];
            for (int i = 0; i < tokens.length; i++) {
                tokens[i] = rng.nextInt(shape.vocab());
            }
            double loss = model.lossAndGradients(tokens);
            // the loss is the mean over the answer positions alone
            float[] lp = model.logProbabilities(tokens);
            double expected = 0;
            for (int b = 0; b < batch; b++) {
                expected -= lp[(b * shape.context() + 3) * shape.vocab() + tokens[b * (shape.context() + 1) + 4]];
            }
            assertThat(loss).isCloseTo(expected / batch, org.assertj.core.api.Assertions.within(1e-5));
            float[] analytic = model.params().grads().clone();
            DoubleSupplier f = () -> model.loss(tokens);
            for (int i = 0; i < analytic.length; i++) {
                assertClose("no-LN param " + name(model.params(), i), analytic[i],
                        numeric(model.params().values(), i, f, model::syncWeights));
            }
        }
    }

    @Test
    void wholeModelTiedAndUntied() {
        for (boolean tied : new boolean[] {true, false}) {
            ModelShape shape = new ModelShape(2, 2, 8, 4, 7);
            int batch = 2;
            try (Gpt model = new Gpt(shape, tied, batch, 2)) {
                Random rng = new Random(5);
                model.init(5);
                randomise(model.params(), rng);
                model.syncWeights();
                int[] tokens = new int[batch * (shape.context() + 1)];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = rng.nextInt(shape.vocab());
                }
                double loss = model.lossAndGradients(tokens);
                assertThat(model.loss(tokens)).isEqualTo(loss);
                float[] analytic = model.params().grads().clone();
                DoubleSupplier f = () -> model.loss(tokens);
                // every parameter of this small model
                for (int i = 0; i < analytic.length; i++) {
                    assertClose((tied ? "tied" : "untied") + " param " + name(model.params(), i), analytic[i],
                            numeric(model.params().values(), i, f, model::syncWeights));
                }
            }
        }
    }

    private static String name(Params params, int index) {
        for (Params.Slice s : params.slices()) {
            if (index >= s.offset() && index < s.offset() + s.size()) {
                return s.name() + "[" + (index - s.offset()) + "]";
            }
        }
        return "?";
    }
}
