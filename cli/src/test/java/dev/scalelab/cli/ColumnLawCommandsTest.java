package dev.scalelab.cli;

import dev.scalelab.core.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The laws of other columns from the command line: fit on only their columns, predict with --at, chain two cards. */
class ColumnLawCommandsTest {
    /** Err = 0.75 − 3·exp(−1.2·L), with a deterministic wobble of ±0.4%. */
    private static Path errorTable(Path dir) throws IOException {
        StringBuilder t = new StringBuilder("model,loss,error\n");
        for (int i = 0; i < 20; i++) {
            double l = 2.2 + 0.1 * i;
            double e = (0.75 - 3 * Math.exp(-1.2 * l)) * (1 + 0.004 * Math.sin(7.0 * i));
            t.append(String.format(Locale.ROOT, "m%d,%.6f,%.8f%n", i, l, e));
        }
        Path file = dir.resolve("error.csv");
        Files.writeString(file, t);
        return file;
    }

    /** L = 1.8 + (40·M^0.15 + 300·M^−0.15)·C^−0.15 at M 5-80, as JSON Lines. */
    private static Path overtrainingTable(Path dir) throws IOException {
        StringBuilder t = new StringBuilder();
        int i = 0;
        for (double n : new double[] {1e7, 2e7, 4e7, 8e7, 1.6e8}) {
            for (double m : new double[] {5, 10, 20, 40, 80}) {
                double d = m * n;
                double l = (1.8 + (40 * Math.pow(m, 0.15) + 300 * Math.pow(m, -0.15)) * Math.pow(6 * n * d, -0.15))
                        * (1 + 0.003 * Math.sin(3.0 * i++));
                t.append(String.format(Locale.ROOT, "{\"params\": %s, \"tokens\": %s, \"loss\": %.8f}%n", n, d, l));
            }
        }
        Path file = dir.resolve("runs.jsonl");
        Files.writeString(file, t);
        return file;
    }

    @Test
    void errorFromLossFitsOnLossAndErrorAloneAndPredictsAtALoss(@TempDir Path dir) throws IOException {
        Path table = errorTable(dir);
        Path card = dir.resolve("error.json");
        Cli.Result fit = Cli.run("fit", table.toString(), "--law", "error-from-loss", "--bootstrap", "100", "--out",
                card.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("law        error-from-loss").contains("columns    loss <- loss, error <- error")
                .doesNotContain("convention");
        Cli.Result p = Cli.run("predict", card.toString(), "--at", "loss=2.0,3.0");
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out()).contains("loss 2.000  ->  error 0.4").contains("confidence").contains("prediction");
        Cli.Result wrong = Cli.run("predict", card.toString(), "--params", "1e9", "--tokens", "1e10");
        assertThat(wrong.code()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(wrong.err()).contains("predicts error from loss").contains("--at COLUMN=V");
        Cli.Result missing = Cli.run("fit", table.toString(), "--law", "task");
        assertThat(missing.code()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(missing.err()).contains("field \"accuracy\"").contains("missing column that the law reads");
        Cli.Result backtest = Cli.run("backtest", table.toString(), "--law", "error-from-loss", "--holdout", "loss<2.6",
                "--bootstrap", "50");
        assertThat(backtest.code()).as(backtest.err()).isZero();
        assertThat(backtest.out()).contains("error").contains("summary    n 4");
    }

    @Test
    void anOvertrainingCardChainsIntoAnErrorCard(@TempDir Path dir) throws IOException {
        Path one = dir.resolve("loss.json");
        Path two = dir.resolve("error.json");
        assertThat(Cli.run("fit", overtrainingTable(dir).toString(), "--law", "overtraining", "--bootstrap", "100",
                "--out", one.toString()).code()).isZero();
        assertThat(Cli.run("fit", errorTable(dir).toString(), "--law", "error-from-loss", "--bootstrap", "100",
                "--out", two.toString()).code()).isZero();
        Cli.Result chain = Cli.run("predict", one.toString(), two.toString(), "--params", "1.4e9", "--tokens", "8.96e11",
                "--format", "json");
        assertThat(chain.code()).as(chain.err()).isZero();
        assertThat(chain.out()).contains("\"loss\"").contains("\"error\"").contains("\"prediction\"");
        Cli.Result backwards = Cli.run("predict", two.toString(), one.toString(), "--params", "1e9", "--tokens", "1e10");
        assertThat(backwards.code()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(backwards.err()).contains("loss.json").contains("metric against the loss");
    }

    @Test
    void aOneVariableLawOfTokensNeedsNoParamsColumn(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("t.csv");
        Files.writeString(table, "tokens,loss\n1e6,4\n2e6,3.6\n4e6,3.3\n8e6,3.1\n1.6e7,2.95\n");
        Cli.Result fit = Cli.run("fit", table.toString(), "--law", "power", "--x", "tokens", "--bootstrap", "0");
        assertThat(fit.code()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("power in tokens");
        Cli.Result surface = Cli.run("fit", table.toString(), "--law", "chinchilla");
        assertThat(surface.code()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(surface.err()).contains("field \"params\"").contains("missing required column");
    }

    @Test
    void anyNumericColumnCanBeTheXOfAOneVariableLaw(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("curve.csv");
        StringBuilder t = new StringBuilder("run,seen_examples,loss\n");
        for (int i = 0; i < 12; i++) {
            double x = 1e4 * Math.pow(2, i);
            t.append(String.format(Locale.ROOT, "a,%.6g,%.8f%n", x, 0.5 + 30 * Math.pow(x, -0.4)));
        }
        Files.writeString(table, t);
        Path card = dir.resolve("card.json");
        Cli.Result fit = Cli.run("fit", table.toString(), "--law", "saturating", "--x", "seen_examples", "--bootstrap",
                "50", "--out", card.toString());
        assertThat(fit.code()).as(fit.err()).isZero();
        assertThat(fit.out()).contains("saturating in seen_examples").contains("seen_examples^(-0.4")
                .containsPattern("E +0\\.500");
        Cli.Result p = Cli.run("predict", card.toString(), "--at", "seen_examples=1e9", "--format", "json");
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out()).contains("\"seen_examples\"").contains("\"loss\"");
        double predicted = dev.scalelab.core.io.Json.mapper().readTree(p.out()).get(0).at("/outputs/loss/value")
                .asDouble();
        assertThat(predicted).isCloseTo(0.5 + 30 * Math.pow(1e9, -0.4), org.assertj.core.api.Assertions.within(1e-4));
        Cli.Result wrong = Cli.run("predict", card.toString(), "--params", "1e9");
        assertThat(wrong.code()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(wrong.err()).contains("function of seen_examples").contains("--at");
        Cli.Result backtest = Cli.run("backtest", table.toString(), "--law", "power,saturating", "--x", "seen_examples",
                "--holdout", "seen_examples>=5e6", "--bootstrap", "50");
        assertThat(backtest.code()).as(backtest.err()).isZero();
        assertThat(backtest.out()).contains("ranking").contains("saturating");
    }

    @Test
    void aOneVariableLawOfNOrCReadsATableAsBeforeToTheHash(@TempDir Path dir) throws IOException {
        Path table = dir.resolve("obs.csv");
        Files.writeString(table, "params,tokens,loss\n1e8,2e9,3.1\n2e8,4e9,2.9\n4e8,8e9,2.7\n8e8,1.6e10,2.55\n");
        // the dataHash these cards had before laws read only their own columns (commit 21072d1)
        for (String x : new String[] {"params", "flops"}) {
            Cli.Result fit = Cli.run("fit", table.toString(), "--law", x.equals("params") ? "power" : "saturating",
                    "--x", x, "--bootstrap", "0", "--format", "json");
            assertThat(fit.code()).as(fit.err()).isZero();
            assertThat(dev.scalelab.core.io.Json.mapper().readTree(fit.out()).get("dataHash").asText())
                    .isEqualTo("898b4e79d0f9c0ed5bd4bdba29ba1ff2a0b14ba9bccdd56980fcfc21980adfff");
        }
        Cli.Result holdout = Cli.run("backtest", table.toString(), "--law", "power", "--holdout", "largest-budget",
                "--bootstrap", "0");
        assertThat(holdout.code()).as(holdout.err()).isZero();
        assertThat(holdout.out()).contains("summary    n 1");
    }

    @Test
    void scalelabsOwnColumnsAndAChosenHeaderServeLawsOfOtherColumns(@TempDir Path dir) throws IOException {
        Path curve = dir.resolve("curve.csv");
        StringBuilder t = new StringBuilder("step,loss\n");
        for (int i = 1; i <= 10; i++) {
            t.append(100 * i).append(',').append(String.format(Locale.ROOT, "%.6f", 1 + 5 * Math.pow(100 * i, -0.5)))
                    .append('\n');
        }
        Files.writeString(curve, t);
        Cli.Result step = Cli.run("fit", curve.toString(), "--law", "saturating", "--x", "step", "--bootstrap", "0");
        assertThat(step.code()).as(step.err()).isZero();
        assertThat(step.out()).contains("saturating in step");
        Path pairs = dir.resolve("pairs.csv");
        Files.writeString(pairs, "loss_a,loss\n2.0,1.70\n2.2,1.85\n2.4,2.00\n2.6,2.15\n2.8,2.30\n3.0,2.45\n");
        Cli.Result renamed = Cli.run("fit", pairs.toString(), "--law", "loss-to-loss", "--column", "loss_b=loss",
                "--bootstrap", "0");
        assertThat(renamed.code()).as(renamed.err()).isZero();
        assertThat(renamed.out()).contains("loss_b <- loss");
        Cli.Result mixed = Cli.run("backtest", curve.toString(), "--law", "chinchilla,power", "--x", "step",
                "--holdout", "step>=800");
        assertThat(mixed.code()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(mixed.err()).contains("--x").contains("on their own");
        Cli.Result own = Cli.run("fit", pairs.toString(), "--law", "loss-to-loss", "--column", "step=loss_a");
        assertThat(own.code()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(own.err().strip()).doesNotContain("\n").contains("--column").contains("scalelab's own columns");
    }
}
