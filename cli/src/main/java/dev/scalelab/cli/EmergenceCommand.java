package dev.scalelab.cli;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.EvalCsv;
import dev.scalelab.core.data.EvalRow;
import dev.scalelab.core.io.Json;
import dev.scalelab.fitting.emergence.Emergence;
import dev.scalelab.plots.EmergenceCharts;
import dev.scalelab.sweep.run.SweepFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Emergence analysis of evaluation results against model size. */
@Command(name = "emergence", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Breakthroughness, linearity, sigmoid-versus-power fits and the mirage check, per task and metric.",
        descriptionHeading = "%n",
        description = {
                "INPUT is a sweep folder (its runs' probes.csv) or a tidy CSV with the columns family|model_family, "
                        + "params, task, metric|metric_name, value (case-insensitive; optional model, tokens, flops, "
                        + "n = items averaged over, answer_tokens). Each (family, task, metric) series is sorted by "
                        + "params and analysed:",
                "  I, L, B    total improvement, linearity and breakthroughness (Srivastava et al. 2022, "
                        + "BIG-bench, appendix B): I = sign(argmax-argmin)(max-min), L = I/sqrt(mean dy^2), "
                        + "B = I/sqrt(median dy^2) over consecutive differences; 'inf' when the median is 0, "
                        + "undefined for a constant series",
                "  fits       a sigmoid and a saturating power law in log10(params), compared by AICc (7+ sizes); the "
                        + "sigmoid's midpoint is the emergence threshold (with a bootstrap interval when the "
                        + "metric is a proportion and n is known)",
                "  verdict    emergent (the sigmoid wins by 2 or more, rises within half the measured decades, "
                        + "midpoint inside them), smooth, flat (the change is within sampling noise), unresolved "
                        + "(fewer than 7 sizes) or undefined (constant)",
                "  mirage     per task, a discontinuous metric (exact match, multiple-choice grade) against the "
                        + "continuous ones (token accuracy, log-probability, edit distance, Brier) (Schaeffer et al. "
                        + "2023), and exact match predicted from per-token accuracy p as p^L for L-token answers.",
                "A series with fewer than 3 sizes is reported as an error and the others go on. Exit codes: 0, "
                        + "3 (unreadable input), 4 (no series could be analysed)."})
final class EmergenceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format;

    @Parameters(index = "0", paramLabel = "INPUT", description = "A sweep folder, or a CSV of evaluation results.")
    Path input;

    @Option(names = "--charts", paramLabel = "DIR", description = "Also write one chart per family and task "
            + "(DIR/emergence-FAMILY-TASK.png): the metrics against params, with exact match predicted as p^L.")
    Path charts;

    @Option(names = "--answer-tokens", split = ",", paramLabel = "TASK=L", description = "Answer length in tokens "
            + "by task, for p^L (default: the table's answer_tokens column; for a sweep, from its probes).")
    Map<String, Integer> answerTokens = new LinkedHashMap<>();

    @Mixin
    BootstrapOption bootstrap;

    @Mixin
    LevelOption level;

    @Mixin
    SeedOption seed;

    @Override
    public Integer call() {
        Emergence.Options options = new Emergence.Options(bootstrap.resamples(), seed.seed, level.level());
        List<EvalRow> rows = Files.isDirectory(input) ? SweepFolder.open(input).evalRows() : EvalCsv.read(input);
        if (rows.isEmpty()) {
            throw new NoUsableFitException(input + " has no probe results: no completed run of this sweep was probed "
                    + "(probes run on the synthetic, arithmetic and modular corpora)");
        }
        List<Emergence.Result> results = Emergence.analyse(Emergence.series(rows, answerTokens), options);
        if (charts != null) { // first: a chart that cannot be written is an error with nothing on stdout
            EmergenceCharts.write(charts, rows, results);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (format.json()) {
            w.print(Json.toText(results));
        } else {
            EmergencePrinter.print(w, results);
        }
        w.flush();
        if (results.stream().allMatch(r -> r.error() != null)) {
            throw new NoUsableFitException("no series of " + input + " could be analysed (each needs 3 or more sizes)");
        }
        return 0;
    }
}
