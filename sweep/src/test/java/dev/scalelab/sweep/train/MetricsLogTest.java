package dev.scalelab.sweep.train;

import dev.scalelab.core.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsLogTest {
    private static final String HEADER = "step,tokens,flops_6N,flops_6N+attention,flops_chinchilla,train_loss,val_loss,lr,"
            + "grad_norm,tokens_per_second,wall_seconds\n";

    private static MetricsLog.Row row(long step, double valLoss) {
        return new MetricsLog.Row(step, 64 * step, 1.5e9 * step, 1.75e9 * step, 1.25e9 * step, 0.1 + 0.2, valLoss,
                3e-3, 0.5, 12345.678, 1.23456);
    }

    @Test
    void writesTheFileScalelabHasAlwaysWritten(@TempDir Path dir) throws Exception {
        MetricsLog log = new MetricsLog();
        assertThat(log.lastValLoss()).isNaN();
        log.add(row(0, 5.5));
        log.add(row(10, Double.NaN));
        log.write(dir);
        assertThat(Files.readString(dir.resolve("metrics.csv"))).isEqualTo(HEADER
                + "0,0,0.0,0.0,0.0,0.30000000000000004,5.5,0.003,0.5,12345.7,1.235\n"
                + "10,640,1.5E10,1.75E10,1.25E10,0.30000000000000004,NaN,0.003,0.5,12345.7,1.235\n");
        assertThat(log.lastValLoss()).isNaN();
        assertThat(log.size()).isEqualTo(2);
    }

    @Test
    void aResumedLogKeepsTheRowsUpToItsCheckpointByteForByte(@TempDir Path dir) throws Exception {
        MetricsLog log = new MetricsLog();
        for (long step : new long[] {0, 5, 10, 15}) {
            log.add(row(step, 4.0 - step / 10.0));
        }
        log.write(dir);
        String written = Files.readString(dir.resolve("metrics.csv"));
        MetricsLog resumed = MetricsLog.resume(dir, 10);
        assertThat(resumed.size()).isEqualTo(3);
        assertThat(resumed.lastValLoss()).isEqualTo(3.0);
        resumed.add(row(15, 4.0 - 1.5));
        resumed.write(dir);
        assertThat(Files.readString(dir.resolve("metrics.csv"))).isEqualTo(written);
        assertThat(MetricsLog.resume(dir.resolve("none"), 10).size()).isZero();
    }

    @Test
    void aDamagedFileIsAnErrorNamingItsLineAndColumn(@TempDir Path dir) throws Exception {
        MetricsLog log = new MetricsLog();
        log.add(row(0, 5.5));
        log.add(row(5, 5.0));
        log.write(dir);
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, Files.readString(file).replace("\n5,", "\nfive,"));
        assertThatThrownBy(() -> MetricsLog.resume(dir, 10)).isInstanceOf(InvalidInputException.class)
                .hasMessage(file + " line 3, field \"step\": \"five\" is not a whole number; "
                        + "delete the run folder to start the run again");
        Files.writeString(file, "step,tokens\n0,0\n");
        assertThatThrownBy(() -> MetricsLog.resume(dir, 10)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(file + " line 1: cannot be read back (the header is step,tokens, not step,tokens,");
        assertThatThrownBy(() -> MetricsLog.read(dir).rows().get(0).number("val_loss"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("field \"val_loss\": missing column");
    }
}
