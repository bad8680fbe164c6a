package dev.scalelab.cli;

import dev.scalelab.core.io.Json;
import dev.scalelab.sweep.platform.Doctor;
import dev.scalelab.sweep.platform.DoctorReport;
import dev.scalelab.sweep.platform.GemmBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Prints the machine, the native stack and a measured GEMM rate. */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        headerHeading = "",
        header = "Check the machine, the native stack and the matrix-multiply rate.",
        descriptionHeading = "%n",
        description = "Reports Java, the ND4J backend and native build, BLAS, CPU features, threads and memory "
                + "limits, and measures the float32 matrix-multiply rate (GFLOP/s) through the trainer's own "
                + "GEMM path. Takes a few seconds.")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format;

    @Option(names = "--seconds-per-shape", defaultValue = "0.4", paramLabel = "S",
            description = "Timed seconds per GEMM shape; five shapes are measured (default: ${DEFAULT-VALUE}).")
    double secondsPerShape;

    @Override
    public Integer call() {
        if (!(secondsPerShape > 0) || secondsPerShape > 60) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--seconds-per-shape must be in (0, 60], got " + secondsPerShape);
        }
        DoctorReport report = Doctor.examine(VersionProvider.version(), secondsPerShape);
        PrintWriter out = spec.commandLine().getOut();
        if (format.json()) {
            out.print(Json.toText(report));
        } else {
            printText(out, report);
        }
        out.flush();
        return 0;
    }

    private static void printText(PrintWriter out, DoctorReport r) {
        row(out, "scalelab", r.scalelabVersion());
        row(out, "java", r.java().version() + " (" + r.java().vendor() + ", " + r.java().vm() + ")");
        row(out, "os", r.os());
        row(out, "cpu", r.cpu().model() + ", " + r.cpu().logicalCpus() + " logical CPUs");
        row(out, "cpu features", r.cpu().features().isEmpty() ? "none detected" : String.join(" ", r.cpu().features()));
        row(out, "nd4j backend", r.nd4j().backend());
        row(out, "native build", r.nd4j().classifier() + " (targets " + r.nd4j().binaryLevel()
                + "; best for this CPU " + r.nd4j().optimalLevel() + "; oneDNN " + (r.nd4j().onednn() ? "on" : "off") + ")");
        row(out, "blas", r.nd4j().blasVendor());
        row(out, "threads", r.threads().nd4jOmpThreads() + " OpenMP threads of " + r.threads().availableProcessors()
                + " CPUs; OMP_NUM_THREADS=" + orUnset(r.threads().ompNumThreads())
                + ", OMP_WAIT_POLICY=" + orUnset(r.threads().ompWaitPolicy()));
        row(out, "memory", "heap max " + gib(r.memory().heapMaxBytes()) + ", off-heap max " + gib(r.memory().offHeapMaxBytes())
                + ", physical " + gib(r.memory().physicalBytes()) + ", cgroup limit "
                + (r.memory().cgroupLimitBytes() == null ? "none" : gib(r.memory().cgroupLimitBytes())));
        for (GemmBenchmark.Rate rate : r.gemm().rates()) {
            row(out, "gemm " + rate.shape(), String.format(Locale.ROOT, "%.1f GFLOP/s", rate.gflopsPerSecond()));
        }
        row(out, "gemm peak", String.format(Locale.ROOT, "%.1f GFLOP/s (%s, %d threads, median of timed batches)",
                r.gemm().peakGflopsPerSecond(), r.gemm().dataType(), r.gemm().threads()));
        for (String warning : r.warnings()) {
            out.println("warning: " + warning);
        }
    }

    private static void row(PrintWriter out, String key, String value) {
        out.printf(Locale.ROOT, "%-22s %s%n", key, value);
    }

    private static String orUnset(String value) {
        return value == null ? "(unset)" : value;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
