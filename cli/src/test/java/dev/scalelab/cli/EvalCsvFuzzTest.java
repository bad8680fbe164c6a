package dev.scalelab.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scalelab.core.ScalelabException;
import dev.scalelab.core.data.EvalCsv;
import dev.scalelab.core.data.EvalRow;
import dev.scalelab.fitting.emergence.Emergence;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the evaluation table reader through the emergence analysis, as 'scalelab emergence TABLE'
 * runs them: any bytes give either results or a documented input error (naming the file when the
 * reader refuses it). Saved inputs: src/test/resources/dev/scalelab/cli/EvalCsvFuzzTestInputs/.
 */
class EvalCsvFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void evaluations(byte[] bytes) {
        Path file = FuzzInputs.write("fuzz-evals.csv", bytes);
        List<EvalRow> rows;
        try {
            rows = EvalCsv.read(file);
        } catch (ScalelabException e) {
            FuzzInputs.expectDocumented(e, file);
            return;
        }
        try {
            Emergence.analyse(Emergence.series(rows, Map.of()), new Emergence.Options(0, 0, 0.95));
        } catch (ScalelabException e) {
            FuzzInputs.expectDocumented(e, null);
        }
    }
}
