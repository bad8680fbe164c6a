package dev.scalelab.sweep.bench;

import dev.scalelab.core.run.Precision;
import dev.scalelab.core.model.ModelShape;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's steps are the trainer's: same seed, same final loss as recorded before they were shared. */
class StepBenchmarkTest {
    @Test
    void theBenchmarkReportsItsRecordedFinalLoss() {
        Map<String, Object> out = StepBenchmark.run(new ModelShape(1, 2, 16, 8, 64), 2, 4, 2, 1, Precision.FP32);
        double loss = (Double) out.get("final_loss");
        // recorded from the previous implementation (forward, backward, clip and AdamW written out in StepBenchmark)
        assertThat(Double.doubleToRawLongBits(loss)).isEqualTo(4616339424017451862L); // 4.133054423206735
        assertThat(out.get("steps")).isEqualTo(4);
        assertThat((Double) out.get("tokens_per_second")).isPositive();
    }
}
