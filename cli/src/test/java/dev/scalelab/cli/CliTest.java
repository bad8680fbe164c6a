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
        // picocli reports a help text it cannot format (a bare % in a description) on System.err
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            for (String command : new String[] {"plan", "sweep", "status", "collect", "report", "plot", "train", "fit",
                    "predict", "backtest", "quickstart", "emergence", "grok", "corpus", "doctor", "completion"}) {
                Cli.Result r = run(command, "--help");
                assertThat(r.code()).as(command).isZero();
                assertThat(r.out()).contains("Usage: scalelab " + command);
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
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
                .startsWith("scalelab: error: unknown command 'nosuchcommand'; the commands are: quickstart, plan, sweep, status, collect, report, emergence, grok, plot, train, fit, backtest, predict, corpus, doctor, completion");
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
        double naive = naiveGflopsPerSecond(256);
        long started = System.nanoTime();
        Cli.Result r = run("doctor", "--format", "json", "--seconds-per-shape", "0.05");
        double wallSeconds = (System.nanoTime() - started) / 1e9;
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
        // A BLAS GEMM beats this test's own naive triple loop many times over (measured 100-125 GFLOP/s
        // against about 3 on 2 cores), and no core does more than 64 single-precision FLOPs a cycle
        // (two AVX-512 FMA units) at 6 GHz: a figure off by a unit (MFLOP/s, or per core) fails one bound.
        int cpus = report.path("cpu").path("logicalCpus").asInt();
        assertThat(cpus).isPositive();
        assertThat(peak).as("naive Java loop: %.2f GFLOP/s", naive).isGreaterThan(5 * naive).isLessThan(cpus * 6.0 * 64);
        double timedSeconds = 0;
        double best = 0;
        for (JsonNode rate : gemm.path("rates")) {
            double gflops = rate.path("gflopsPerSecond").asDouble();
            assertThat(gflops).isPositive().isLessThanOrEqualTo(peak);
            best = Math.max(best, gflops);
            String[] mkn = rate.path("shape").asText().split("x");
            double flopsPerRun = 2.0 * Long.parseLong(mkn[0]) * Long.parseLong(mkn[1]) * Long.parseLong(mkn[2]);
            timedSeconds += rate.path("repetitions").asLong() * flopsPerRun / (gflops * 1e9);
        }
        assertThat(peak).isEqualTo(best);
        // the work each rate reports, at that rate, fits inside the time the command took
        assertThat(timedSeconds).as("seconds implied by the rates").isPositive().isLessThan(wallSeconds);
    }

    /** The rate of an (n×n)·(n×n) float multiply by the textbook triple loop, best of a few runs. */
    private static double naiveGflopsPerSecond(int n) {
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        float[] c = new float[n * n];
        java.util.Random rng = new java.util.Random(1);
        for (int i = 0; i < n * n; i++) {
            a[i] = rng.nextFloat() - 0.5f;
            b[i] = rng.nextFloat() - 0.5f;
        }
        double best = 0;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0;
                    for (int k = 0; k < n; k++) {
                        s += a[i * n + k] * b[k * n + j];
                    }
                    c[i * n + j] = s;
                }
            }
            best = Math.max(best, 2.0 * n * n * n / ((System.nanoTime() - t0) / 1e9) / 1e9);
        }
        assertThat(c[n * n - 1]).isFinite();
        return best;
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
