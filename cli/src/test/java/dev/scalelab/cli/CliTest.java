package dev.scalelab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.io.Json;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** Black-box tests of the command line, in process: exit code and text. */
class CliTest {
    /** Test-only commands that fail in each of the ways a real command can. */
    @Command(name = "fail-input")
    static final class FailInput implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new InvalidInputException("runs.csv", 4, "loss", "-0.3 is not positive", "losses are positive");
        }
    }

    @Command(name = "fail-fit")
    static final class FailFit implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new NoUsableFitException("2 points cannot fix 5 parameters");
        }
    }

    @Command(name = "fail-bug")
    static final class FailBug implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("an invariant broke\nacross two lines");
        }
    }

    private static Cli.Result run(String... args) {
        return Cli.run(new Object[] {new FailInput(), new FailFit(), new FailBug()}, args);
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        Cli.Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: scalelab", "doctor", "completion", "--verbose", "3  invalid config or data");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"plan", "sweep", "status", "collect", "report", "plot", "train", "fit", "predict", "corpus", "doctor", "completion"}) {
            Cli.Result r = run(command, "--help");
            assertThat(r.code()).as(command).isZero();
            assertThat(r.out()).contains("Usage: scalelab " + command);
        }
    }

    @Test
    void versionNamesScalelabAndJava() {
        Cli.Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("scalelab ").contains("Java " + System.getProperty("java.version"));
        assertThat(r.out()).doesNotContain("unknown");
    }

    @Test
    void anUnknownCommandIsOneLineAndExitTwo() {
        Cli.Result r = run("nosuchcommand");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString()
                .startsWith("scalelab: error: unknown command 'nosuchcommand'; the commands are: quickstart, plan, sweep, status, collect, report, emergence, grok, plot, train, fit, predict, corpus, doctor, completion");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aBadOptionIsOneLineAndExitTwoWithASuggestion() {
        Cli.Result r = run("doctor", "--formt", "json");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).singleElement().asString()
                .isEqualTo("scalelab: error: unknown option '--formt'; did you mean --format? (see 'scalelab doctor --help')");
        Cli.Result bad = run("doctor", "--format", "yaml");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("expected one of [text, json]").hasLineCount(1);
        Cli.Result none = run();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("scalelab: error: no command given (see 'scalelab --help')\n");
    }

    @Test
    void invalidInputIsExitThreeWithFileLineAndFieldAndNoStackTrace() {
        Cli.Result r = run("fail-input");
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.err()).isEqualTo(
                "scalelab: error: runs.csv line 4, field \"loss\": -0.3 is not positive; losses are positive\n");
    }

    @Test
    void noUsableFitIsExitFour() {
        Cli.Result r = run("fail-fit");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).isEqualTo("scalelab: error: 2 points cannot fix 5 parameters\n");
    }

    @Test
    void anInternalErrorIsExitOneAndOneLineUnlessVerbose() {
        Cli.Result quiet = run("fail-bug");
        assertThat(quiet.code()).isEqualTo(1);
        assertThat(quiet.err().lines()).singleElement().asString().isEqualTo(
                "scalelab: error: internal error: IllegalStateException: an invariant broke across two lines "
                        + "(rerun with --verbose for the stack trace)");
        Cli.Result verbose = run("fail-bug", "--verbose");
        assertThat(verbose.code()).isEqualTo(1);
        assertThat(verbose.err()).contains("\tat dev.scalelab.cli.CliTest$FailBug.call");
        Cli.Result verboseFirst = run("--verbose", "fail-input");
        assertThat(verboseFirst.code()).isEqualTo(3);
        assertThat(verboseFirst.err()).contains("InvalidInputException").contains("\tat ");
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        Cli.Result r = run("completion", "bash");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F", "doctor", "--format");
        Cli.Result zsh = run("completion", "zsh");
        assertThat(zsh.out()).startsWith("autoload -U +X bashcompinit && bashcompinit\n");
    }

    @Test
    void doctorReportsTheNativeStackAndAMeasuredGemmRateAsJson() throws Exception {
        Cli.Result r = run("doctor", "--format", "json", "--seconds-per-shape", "0.05");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = Json.mapper().readTree(r.out());
        assertThat(report.path("java").path("version").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(report.path("nd4j").path("backend").asText()).isEqualTo("CpuBackend");
        assertThat(report.path("nd4j").path("classifier").asText()).startsWith("linux-x86_64");
        assertThat(report.path("nd4j").path("blasVendor").asText()).isNotBlank();
        assertThat(report.path("threads").path("nd4jOmpThreads").asInt()).isPositive();
        assertThat(report.path("memory").path("heapMaxBytes").asLong()).isPositive();
        JsonNode gemm = report.path("gemm");
        assertThat(gemm.path("rates")).hasSize(5);
        double peak = gemm.path("peakGflopsPerSecond").asDouble();
        assertThat(peak).isGreaterThan(0.5).isLessThan(10_000);
        for (JsonNode rate : gemm.path("rates")) {
            assertThat(rate.path("gflopsPerSecond").asDouble()).isPositive().isLessThanOrEqualTo(peak);
        }
    }

    @Test
    void doctorTextShowsTheGflopsFigure() {
        Cli.Result r = run("doctor", "--seconds-per-shape", "0.02");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("gemm peak\\s+\\d+\\.\\d GFLOP/s").contains("native build", "blas", "threads");
        Cli.Result bad = run("doctor", "--seconds-per-shape", "0");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--seconds-per-shape must be in (0, 60], got 0.0");
    }
}
