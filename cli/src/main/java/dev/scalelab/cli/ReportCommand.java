package dev.scalelab.cli;

import dev.scalelab.core.model.ParamCount;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.study.CheckRun;
import dev.scalelab.study.Study;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Collects, fits and writes the HTML report of a sweep folder (the study pipeline, {@link Study}). */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Write DIR/report/index.html: charts, fits with intervals, the prediction, warnings.",
        descriptionHeading = "%n",
        description = "Collects the sweep's runs (runs.csv, curves.csv), fits the Chinchilla surface with E held at the "
                + "corpus's exact floor and with E free, and approach 2 when the sweep has budgets (fit cards in "
                + "DIR/fits/), then writes one self-contained page with PNG and SVG charts beside it: loss vs compute "
                + "with the extrapolation to --target, IsoFLOP curves, the compute-optimal allocation, loss vs "
                + "parameters and tokens, residuals, and the commands that made it; and DIR/predictions.csv, each fit's "
                + "N*, D* and loss at the target with both intervals. Allocations use the sweep's own FLOP convention "
                + "and model family (plan.json).")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep folder.")
    Path dir;

    @Option(names = "--target", paramLabel = "C", description = "Budget to predict (default: 10x the largest budget).")
    Double target;

    @Mixin
    BootstrapOption bootstrap;

    @Mixin
    ParamsOption params;

    @Option(names = "--check", paramLabel = "RUN", description = "A run folder trained at the target budget: its loss "
            + "is drawn beside the prediction (scalelab quickstart passes its check run).")
    Path check;

    @Override
    public Integer call() {
        int resamples = bootstrap.resamples();
        ParamCount count = params.or(Study.PARAMS);
        Study.Result study = Study.fit(new Study.Options(dir, resamples, target, false, VersionProvider.version(), count));
        RunResult checked = check == null ? null : CheckRun.read(check);
        Path index = Study.report(study, checked, check, List.of("scalelab report " + dir + (target == null ? "" : " --target "
                + target) + " --bootstrap " + resamples + " --param-count " + count.id() + (check == null ? "" : " --check " + check)));
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s%n", index);
        w.flush();
        return 0;
    }
}
