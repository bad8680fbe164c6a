package dev.scalelab.study;

import dev.scalelab.core.data.Observation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RunToRunSpreadTest {
    private static Observation run(double n, double d, double loss) {
        return new Observation(n, d, 6 * n * d, loss, 6 * n * d, null, null, null);
    }

    @Test
    void theSpreadIsPooledOverReplicatedPointsOnly() {
        // point 1: ln losses 0 and 0.02 (squares 2e-4 about their mean, 1 dof); point 2: 0.01, 0.03, 0.05 (8e-4, 2 dof)
        List<Observation> runs = List.of(run(1e4, 1e6, 1.0), run(1e4, 1e6, Math.exp(0.02)),
                run(2e4, 1e6, Math.exp(0.01)), run(2e4, 1e6, Math.exp(0.03)), run(2e4, 1e6, Math.exp(0.05)),
                run(4e4, 1e6, 1.5));
        RunToRunSpread s = RunToRunSpread.of(runs);
        assertThat(s.points()).isEqualTo(2);
        assertThat(s.runs()).isEqualTo(5);
        assertThat(s.logSd()).isCloseTo(Math.sqrt((2e-4 + 8e-4) / 3), within(1e-12));
        assertThat(RunToRunSpread.of(List.of(run(1e4, 1e6, 1.0), run(2e4, 1e6, 1.1)))).as("no replicates").isNull();
        assertThat(s.describe("chinchilla", 0.0123)).contains("2 replicated points (5 runs", "0.0183", "0.0123");
    }
}
