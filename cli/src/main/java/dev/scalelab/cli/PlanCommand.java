package dev.scalelab.cli;

import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.io.Json;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.run.Sweep;
import dev.scalelab.sweep.plan.PlannedRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Prints a sweep's runs and the design advisor's warnings. */
@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "List a sweep's runs, their cost, and the design advisor's warnings.",
        descriptionHeading = "%n",
        description = "Resolves a sweep config (configs/*.yaml) into runs: id, shape, parameters, tokens, FLOPs and "
                + "estimated wall time from this machine's measured training speed (a few timed steps per shape, "
                + "cached). The advisor warns about budgets with fewer than 3 sizes, sizes spanning less than a decade, "
                + "budgets whose predicted optimum lies outside their sizes, runs no longer than their warm-up, and "
                + "runs too short for their evaluations.")
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "A sweep config, e.g. configs/quickstart.yaml.")
    Path config;

    @Mixin
    FormatOption.WithCsv format;

    @Mixin
    ThreadsOption threads;

    @Mixin
    PrecisionOption precision;

    @Mixin
    RunPoolOptions.NoCalibrate noCalibrate;

    @Override
    public Integer call() {
        Plan plan = Sweep.plan(config, threads.given(), precision.given(), !noCalibrate.noCalibrate);
        PrintWriter w = spec.commandLine().getOut();
        switch (format.format) {
            case json -> w.print(Json.toText(plan));
            case csv -> w.print(table(plan).toText());
            case text -> {
                w.printf(Locale.ROOT, "sweep %s: %d runs, corpus %s, FLOPs under %s%n", plan.name(), plan.runs().size(),
                        plan.corpus(), plan.flopConvention());
                w.printf(Locale.ROOT, "%-13s %-11s %-22s %10s %10s %10s %9s%n", "run", "budget", "shape", "params",
                        "tokens", "flops", "est.");
                for (PlannedRun r : plan.runs()) {
                    w.printf(Locale.ROOT, "%-13s %-11s %-22s %10.3g %10.3g %10.3g %9s%n", r.runId(),
                            r.budget() == null ? "-" : String.format(Locale.ROOT, "%.3g", r.budget()),
                            r.spec().shape().label(), (double) r.params(), (double) r.spec().tokens(), r.flops(),
                            duration(r.estimatedSeconds()));
                }
                w.printf(Locale.ROOT, "total %s of training (%s)%n", duration(plan.totalSeconds()), plan.estimate());
                plan.warnings().forEach(x -> w.println("warning: " + x));
            }
        }
        w.flush();
        return 0;
    }

    static CsvTable table(Plan plan) {
        CsvTable t = CsvTable.withHeader("run", "budget", "layers", "heads", "d_model", "params", "tokens", "flops",
                "steps", "lr", "estimated_seconds");
        for (PlannedRun r : plan.runs()) {
            t.add(r.runId(), r.budget(), r.spec().shape().layers(), r.spec().shape().heads(), r.spec().shape().dModel(),
                    r.params(), r.spec().tokens(), r.flops(), r.spec().steps(), r.spec().optimizer().learningRate(),
                    r.estimatedSeconds());
        }
        return t;
    }

    static String duration(double seconds) {
        return Sweep.duration(seconds);
    }
}
