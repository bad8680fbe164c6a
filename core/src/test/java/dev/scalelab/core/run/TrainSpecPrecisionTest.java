package dev.scalelab.core.run;

import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.ModelShape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The precision field of a run spec: absent for float32 (old run ids stay), recorded for bf16. */
class TrainSpecPrecisionTest {
    private static TrainSpec fp32() {
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(3e-3, LrSchedule.COSINE, 10, 0.1, 0.2, 0.1, false,
                0.9, 0.95, 1e-8, 1.0);
        return new TrainSpec(new ModelShape(2, 2, 32, 16, 256), true, "synthetic", 7, 8, 100, opt, 25, 2, 0, 2,
                "linux-x86_64-onednn-avx512");
    }

    @Test
    void aFloat32SpecWritesNoPrecisionAndKeepsItsRunId() {
        TrainSpec s = fp32();
        assertEquals(Precision.FP32, s.precision());
        assertFalse(Json.toText(s).contains("precision"), Json.toText(s));
        // the id this spec had before the precision field existed (computed on the 12-field spec)
        assertEquals("d5948d257b89", s.runId());
        assertEquals(s.runId(), s.withPrecision(Precision.FP32).runId());
    }

    @Test
    void aBf16SpecRecordsItsPrecisionAndGetsItsOwnId() throws Exception {
        TrainSpec b = fp32().withPrecision(Precision.BF16);
        String text = Json.toText(b);
        assertTrue(text.contains("\"precision\" : \"bf16\""), text);
        assertNotEquals(fp32().runId(), b.runId());
        TrainSpec read = Json.mapper().readValue(text, TrainSpec.class);
        assertEquals(b, read);
        assertEquals(b.runId(), read.runId());
    }

    @Test
    void aSpecWrittenBeforeTheFieldReadsAsFloat32() throws Exception {
        String old = Json.toText(fp32());
        TrainSpec read = Json.mapper().readValue(old, TrainSpec.class);
        assertEquals(Precision.FP32, read.precision());
        assertEquals(fp32().runId(), read.runId());
    }

    @Test
    void labelsRoundTripAndUnknownOnesAreRefused() {
        for (Precision p : Precision.values()) {
            assertEquals(p, Precision.fromLabel(p.label()));
        }
        assertThrows(IllegalArgumentException.class, () -> Precision.fromLabel("fp16"));
    }
}
