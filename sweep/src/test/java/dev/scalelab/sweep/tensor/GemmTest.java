package dev.scalelab.sweep.tensor;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GemmTest {
    private static double[][] random(Random rng, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = rng.nextGaussian();
            }
        }
        return m;
    }

    private static double[][] transpose(double[][] m) {
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }

    private static INDArray array(double[][] m) {
        return Nd4j.create(m).castTo(DataType.FLOAT);
    }

    @Test
    void matchesANaiveProductForEveryTransposeCombination() {
        Random rng = new Random(7);
        int m = 5;
        int k = 7;
        int n = 3;
        double[][] a = random(rng, m, k);
        double[][] b = random(rng, k, n);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                INDArray left = array(ta ? transpose(a) : a);
                INDArray right = array(tb ? transpose(b) : b);
                INDArray c = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'c');
                Gemm gemm = Gemm.of(left, ta, right, tb, c);
                assertThat(gemm.flops()).isEqualTo(2L * m * n * k);
                c.assign(99); // run() must overwrite, not accumulate
                gemm.run();
                gemm.run();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double expected = 0;
                        for (int p = 0; p < k; p++) {
                            expected += a[i][p] * b[p][j];
                        }
                        assertThat(c.getDouble(i, j)).as("ta=%s tb=%s (%d,%d)", ta, tb, i, j)
                                .isCloseTo(expected, within(1e-4));
                    }
                }
            }
        }
    }

    @Test
    void rejectsMismatchedShapes() {
        INDArray a = Nd4j.create(DataType.FLOAT, 4, 3);
        INDArray b = Nd4j.create(DataType.FLOAT, 4, 2);
        INDArray c = Nd4j.create(DataType.FLOAT, 4, 2);
        assertThatThrownBy(() -> Gemm.of(a, false, b, false, c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("op(a) is 4x3, op(b) is 4x2");
    }
}
