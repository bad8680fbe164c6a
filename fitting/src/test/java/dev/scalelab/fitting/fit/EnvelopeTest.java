package dev.scalelab.fitting.fit;

import dev.scalelab.core.NoUsableFitException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EnvelopeTest {
    /** Training curves on Hoffmann's surface: 16 sizes, each logged at 40 points up to 400 tokens per parameter. */
    private static Object[] curves(int sizes) {
        List<String> run = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (int j = 0; j < sizes; j++) {
            double n = 1e7 * Math.pow(1e4, j / (double) (sizes - 1));
            for (int k = 0; k < 40; k++) {
                double d = n * Math.pow(400, (k + 1) / 40.0) / 10;
                run.add("run" + j);
                rows.add(new double[] {n, d, 6 * n * d, Synthetic.HOFFMANN.loss(n, d)});
            }
        }
        double[][] cols = new double[4][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int c = 0; c < 4; c++) {
                cols[c][i] = rows.get(i)[c];
            }
        }
        return new Object[] {run.toArray(String[]::new), cols};
    }

    @Test
    void theEnvelopeOfTrainingCurvesRecoversTheAllocationExponents() {
        Object[] c = curves(16);
        double[][] cols = (double[][]) c[1];
        Envelope.Result r = Envelope.fit((String[]) c[0], cols[0], cols[1], cols[2], cols[3], null, 250);
        // The envelope steps through discrete sizes, so a is approximate: within 0.04 of β/(α+β).
        assertThat(r.a()).isCloseTo(Synthetic.HOFFMANN.paramsExponent(), within(0.04));
        assertThat(r.b()).isCloseTo(Synthetic.HOFFMANN.tokensExponent(), within(0.04));
        assertThat(r.points().stream().map(Envelope.Point::run).distinct().count()).isGreaterThan(5);
        for (Envelope.Point p : r.points()) {
            assertThat(p.flops()).isCloseTo(6 * p.params() * p.tokens(), within(p.flops() * 1e-9));
        }
    }

    @Test
    void oneRunOrAnEnvelopeOfOneRunIsNoUsableFit() {
        Object[] c = curves(16);
        double[][] cols = (double[][]) c[1];
        assertThatThrownBy(() -> Envelope.fit((String[]) c[0], cols[0], cols[1], cols[2], cols[3],
                java.util.Set.of("run3"), 50)).isInstanceOf(NoUsableFitException.class).hasMessageContaining("1 training curve");
    }
}
