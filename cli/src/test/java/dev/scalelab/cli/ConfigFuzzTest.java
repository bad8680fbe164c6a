package dev.scalelab.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scalelab.core.ScalelabException;
import dev.scalelab.sweep.grok.GrokSpec;
import dev.scalelab.sweep.plan.ConfigLoader;
import dev.scalelab.sweep.plan.Planner;
import dev.scalelab.sweep.plan.Throughput;

import java.nio.file.Path;

/**
 * Fuzzes the YAML config loader through everything that checks a config before any training: the
 * sweep planner (as 'scalelab plan' runs it, with the rough speed estimate) and the grokking spec.
 * Any bytes give either a plan / spec or a documented input error naming the file.
 * Saved inputs: src/test/resources/dev/scalelab/cli/ConfigFuzzTestInputs/.
 */
class ConfigFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void configs(byte[] bytes) {
        Path file = FuzzInputs.write("fuzz-config.yaml", bytes);
        try {
            Planner.plan(ConfigLoader.load(file), 1, "fuzz", Throughput.rough());
        } catch (ScalelabException e) {
            FuzzInputs.expectDocumented(e, file);
        }
        try {
            GrokSpec.load(file);
        } catch (ScalelabException e) {
            FuzzInputs.expectDocumented(e, file);
        }
    }
}
