package dev.scalelab.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scalelab.core.ScalelabException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.data.ObservationTable;

import java.nio.file.Path;

/**
 * Fuzzes the observation table reader (what fit, plot and report read): any bytes give either a
 * table whose every kept point is finite and positive, or a documented input error naming the file.
 * Saved inputs: src/test/resources/dev/scalelab/cli/ObservationCsvFuzzTestInputs/.
 */
class ObservationCsvFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void observations(byte[] bytes) {
        Path file = FuzzInputs.write("fuzz-runs.csv", bytes);
        ObservationTable table;
        try {
            table = ObservationCsv.standard().read(file);
        } catch (ScalelabException e) {
            FuzzInputs.expectDocumented(e, file);
            return;
        }
        for (Observation o : table.observations()) {
            check(o.loss(), "loss", o);
            check(o.params(), "params", o);
        }
    }

    private static void check(double v, String what, Observation o) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new AssertionError("kept an observation with " + what + " " + v + ": " + o);
        }
    }
}
