package dev.scalelab.sweep.grok;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two tiny grokking runs' evaluations (losses, accuracies, weight norms and learning rates at every
 * logged step), bit for bit, against values recorded from the implementation before the training step
 * became one engine (when GrokRun wrote forward, backward and the AdamW update out itself: no clipping,
 * the loss on the answer alone, weight decay on every parameter). A regression check.
 */
class GrokRunRegressionTest {
    @TempDir
    Path dir;

    private static GrokSpec spec(int layers, int dModel, String activation, boolean layerNorm, boolean tied,
                                 double initScale, double weightDecay, int batch, long steps, long warmup, long seed) {
        return new GrokSpec("regression", 11, "+", 0.5, 0, layers, dModel, 2, 4 * dModel, activation, layerNorm, tied,
                initScale, 3e-3, 0.9, 0.98, weightDecay, batch, steps, warmup, seed, 1, 12, false, 0.99, 0.99, 3.0,
                List.of(), List.of());
    }

    @Test
    void aFullBatchRunKeepsItsRecordedEvaluations() {
        GrokRun.Trained t = GrokRun.train(spec(1, 16, "relu", false, false, 1.0, 1.0, 0, 40, 10, 0), dir, p -> {
        });
        // recorded from the previous implementation
        assertThat(t.stepsRun()).isEqualTo(40);
        assertThat(t.params()).isEqualTo(3696L);
        assertThat(t.points()).hasSize(12);
        assertThat(t.points().get(11).trainLoss()).isEqualTo(2.3555889833168906);
        assertThat(t.points().get(11).weightNorm()).isEqualTo(2.917734105615795);
        assertThat(crc(t.points())).isEqualTo(334630812L);
    }

    @Test
    void aMiniBatchRunKeepsItsRecordedEvaluations() {
        GrokRun.Trained t = GrokRun.train(spec(2, 16, "gelu", true, true, 2.0, 0.5, 16, 30, 3, 5), dir, p -> {
        });
        // recorded from the previous implementation
        assertThat(t.stepsRun()).isEqualTo(30);
        assertThat(t.params()).isEqualTo(6864L);
        assertThat(t.points()).hasSize(11);
        assertThat(t.points().get(10).trainLoss()).isEqualTo(2.3854862940116006);
        assertThat(t.points().get(10).weightNorm()).isEqualTo(9.117425376305606);
        assertThat(crc(t.points())).isEqualTo(1160480914L);
    }

    /** CRC-32 of every evaluation's raw bits, in order. */
    private static long crc(List<GrokRun.Point> points) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(points.size() * 7 * 8);
        for (GrokRun.Point p : points) {
            b.putLong(p.step());
            for (double v : new double[] {p.lr(), p.trainLoss(), p.trainAccuracy(), p.validationLoss(),
                    p.validationAccuracy(), p.weightNorm()}) {
                b.putLong(Double.doubleToRawLongBits(v));
            }
        }
        CRC32 crc = new CRC32();
        crc.update(b.array());
        return crc.getValue();
    }
}
