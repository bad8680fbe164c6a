package dev.scalelab.sweep.tensor;

import dev.scalelab.core.run.Precision;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * oneDNN's matmul on ND4J buffers against a product computed here in double precision, for every
 * transpose the trainer uses; the bf16 product against the same product of inputs rounded to
 * bfloat16 here (round to nearest even), so it must have rounded and then accumulated in float32.
 */
class OneDnnMatmulTest {
    private static final int M = 37;
    private static final int K = 300;
    private static final int N = 19;

    @Test
    void float32ProductMatchesADoublePrecisionProductForEveryTranspose() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Case c = new Case(ta, tb, 1);
                try (ProductInput a = ProductInput.of(c.a, Precision.FP32); ProductInput b = ProductInput.of(c.b, Precision.FP32);
                     OneDnnMatmul mm = OneDnnMatmul.of(a, ta, b, tb, c.c)) {
                    mm.run();
                }
                assertThat(relDiff(c.c, c.reference(false))).as("ta=%s tb=%s", ta, tb).isLessThan(1e-6);
            }
        }
    }

    @Test
    void bfloat16ProductRoundsTheInputsAndAccumulatesInFloat32() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Case c = new Case(ta, tb, 2);
                ProductInput a = ProductInput.of(c.a, Precision.BF16);
                ProductInput b = ProductInput.of(c.b, Precision.BF16);
                OneDnnMatmul mm = OneDnnMatmul.of(a, ta, b, tb, c.c);
                a.refresh();
                b.refresh();
                mm.run();
                assertThat(relDiff(c.c, c.reference(true))).as("ta=%s tb=%s", ta, tb).isLessThan(1e-6);
                assertThat(relDiff(c.c, c.reference(false))).as("ta=%s tb=%s", ta, tb).isGreaterThan(1e-4);
            }
        }
    }

    @Test
    void bfloat16InputsAreRoundedOnlyWhenRefreshed() {
        Case c = new Case(false, false, 3);
        ProductInput a = ProductInput.of(c.a, Precision.BF16);
        ProductInput b = ProductInput.of(c.b, Precision.BF16);
        OneDnnMatmul mm = OneDnnMatmul.of(a, false, b, false, c.c);
        a.refresh();
        b.refresh();
        mm.run();
        float[] first = c.c.data().asFloat();
        c.a.muli(2);                     // not rounded again: the product must not change
        mm.run();
        assertThat(c.c.data().asFloat()).containsExactly(first);
        a.refresh();
        mm.run();
        assertThat(relDiff(c.c, c.reference(true))).isLessThan(1e-6);
    }

    @Test
    void oneRoundedInputServesAProductThatReadsItTransposed() {
        // x·w and xᵀ·dy read one bf16 copy of x, as a layer's forward and weight-gradient products do
        SplittableRandom rng = new SplittableRandom(4);
        INDArray x = random(M, K, rng);
        INDArray w = random(K, N, rng);
        INDArray dy = random(M, N, rng);
        INDArray y = Nd4j.create(DataType.FLOAT, M, N);
        INDArray dw = Nd4j.create(DataType.FLOAT, K, N);
        try (ProductInput xIn = ProductInput.of(x, Precision.BF16);
             ProductInput wIn = ProductInput.of(w, Precision.BF16);
             ProductInput dyIn = ProductInput.of(dy, Precision.BF16);
             OneDnnMatmul forward = OneDnnMatmul.of(xIn, false, wIn, false, y);
             OneDnnMatmul weightGrad = OneDnnMatmul.of(xIn, true, dyIn, false, dw)) {
            xIn.refresh();
            wIn.refresh();
            dyIn.refresh();
            forward.run();
            weightGrad.run();
            assertThat(relDiff(y, product(x, false, w, false, true))).isLessThan(1e-6);
            assertThat(relDiff(dw, product(x, true, dy, false, true))).isLessThan(1e-6);
        }
    }

    /** a (stored m×k, or k×m when transposed), b likewise, c m×n; random in [-1, 1). */
    private static final class Case {
        final INDArray a;
        final INDArray b;
        final INDArray c = Nd4j.create(DataType.FLOAT, M, N);
        final boolean ta;
        final boolean tb;

        Case(boolean ta, boolean tb, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            this.ta = ta;
            this.tb = tb;
            this.a = random(ta ? K : M, ta ? M : K, rng);
            this.b = random(tb ? N : K, tb ? K : N, rng);
        }

        double[] reference(boolean roundToBf16) {
            return product(a, ta, b, tb, roundToBf16);
        }
    }

    /** op(a)·op(b) in double precision, of the inputs rounded to bfloat16 here when asked. */
    private static double[] product(INDArray a, boolean ta, INDArray b, boolean tb, boolean roundToBf16) {
        int m = (int) (ta ? a.size(1) : a.size(0));
        int k = (int) (ta ? a.size(0) : a.size(1));
        int n = (int) (tb ? b.size(0) : b.size(1));
        float[] av = a.data().asFloat();
        float[] bv = b.data().asFloat();
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < k; q++) {
                    float x = ta ? av[q * m + i] : av[i * k + q];
                    float y = tb ? bv[j * k + q] : bv[q * n + j];
                    s += roundToBf16 ? (double) bf16(x) * bf16(y) : (double) x * y;
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    /** Round to nearest even to the 8 significant bits of bfloat16 (finite inputs). */
    private static float bf16(float x) {
        int bits = Float.floatToRawIntBits(x);
        bits += 0x7FFF + ((bits >>> 16) & 1);
        return Float.intBitsToFloat(bits & 0xFFFF0000);
    }

    private static INDArray random(int rows, int cols, SplittableRandom rng) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    private static double relDiff(INDArray got, double[] want) {
        float[] g = got.data().asFloat();
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < want.length; i++) {
            diff = Math.max(diff, Math.abs(g[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        return diff / scale;
    }
}
