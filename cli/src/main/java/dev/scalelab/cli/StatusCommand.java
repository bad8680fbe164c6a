package dev.scalelab.cli;

import dev.scalelab.core.io.Json;
import dev.scalelab.sweep.run.SweepFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Done, running, pending, failed and diverged runs of a sweep folder. */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Show a sweep's progress per budget, with an ETA.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format;

    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep folder.")
    Path dir;

    @Mixin
    RunPoolOptions.ClaimTimeout claimTimeout;

    @Override
    public Integer call() {
        SweepFolder.Status s = SweepFolder.open(dir).status(Duration.ofSeconds(claimTimeout.seconds));
        PrintWriter w = spec.commandLine().getOut();
        if (format.json()) {
            w.print(Json.toText(s));
        } else {
            w.printf(Locale.ROOT, "sweep %s: %d runs%n", s.sweep(), s.runs());
            w.printf(Locale.ROOT, "%-10s %s%n", "budget", String.join(" ", s.totals().keySet().stream()
                    .map(k -> String.format(Locale.ROOT, "%9s", k.name().toLowerCase(Locale.ROOT))).toList()));
            for (SweepFolder.Counts c : s.budgets()) {
                w.printf(Locale.ROOT, "%-10s %s%n", c.budget() == null ? "all" : String.format(Locale.ROOT, "%.3g", c.budget()),
                        String.join(" ", c.counts().values().stream().map(v -> String.format(Locale.ROOT, "%9d", v)).toList()));
            }
            w.printf(Locale.ROOT, "%-10s %s%n", "total", String.join(" ", s.totals().values().stream()
                    .map(v -> String.format(Locale.ROOT, "%9d", v)).toList()));
            w.printf(Locale.ROOT, "about %s of training left%n", PlanCommand.duration(s.etaSeconds()));
        }
        w.flush();
        return 0;
    }
}
