package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.EvalCsv;
import dev.scalelab.core.data.EvalRow;
import dev.scalelab.core.io.Json;
import dev.scalelab.fitting.emergence.Emergence;
import dev.scalelab.plots.ChartFiles;
import dev.scalelab.plots.Charts;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    @Option(names = "--bootstrap", defaultValue = "200", paramLabel = "N",
            description = "Resamples for the midpoint interval (default: ${DEFAULT-VALUE}; 0 for none).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "0", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        if (bootstrap < 0) {
            throw new InvalidInputException("command line", 0, "--bootstrap", bootstrap + " is negative", "give 0 or more");
        }
        List<EvalRow> rows = Files.isDirectory(input) ? SweepFolder.open(input).evalRows() : EvalCsv.read(input);
        if (rows.isEmpty()) {
            throw new NoUsableFitException(input + " has no probe results: no completed run of this sweep was probed "
                    + "(probes run on the synthetic, arithmetic and modular corpora)");
        }
        List<Emergence.Series> series = Emergence.series(rows, answerTokens);
        List<Emergence.Result> results = Emergence.analyse(series, new Emergence.Options(bootstrap, seed, 0.95));
        if (charts != null) { // first: a chart that cannot be written is an error with nothing on stdout
            writeCharts(rows, results);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (format.json()) {
            w.print(Json.toText(results));
        } else {
            print(w, results);
        }
        w.flush();
        if (results.stream().allMatch(r -> r.error() != null)) {
            throw new NoUsableFitException("no series of " + input + " could be analysed (each needs 3 or more sizes)");
        }
        return 0;
    }

    private static void print(PrintWriter w, List<Emergence.Result> results) {
        w.printf(Locale.ROOT, "%-22s %-14s %-16s %6s %9s %8s %8s %-9s %-22s %s%n", "family", "task", "metric", "points",
                "I", "L", "B", "better", "threshold (params)", "verdict");
        for (Emergence.Result r : results) {
            if (r.error() != null) {
                w.printf(Locale.ROOT, "%-22s %-14s %-16s %6d  error: %s%n", r.family(), r.task(), r.metric(),
                        r.points().size(), r.error());
                continue;
            }
            boolean emergent = Emergence.EMERGENT.equals(r.verdict());
            String threshold = !emergent ? "-" : String.format(Locale.ROOT, "%.3g", r.sigmoid().midpointParams());
            if (emergent && r.sigmoid().midpointInterval() != null) {
                threshold += String.format(Locale.ROOT, " [%.2g, %.2g]", r.sigmoid().midpointInterval().lo(),
                        r.sigmoid().midpointInterval().hi());
            }
            w.printf(Locale.ROOT, "%-22s %-14s %-16s %6d %9.4g %8s %8s %-9s %-22s %s%n", r.family(), r.task(), r.metric(),
                    r.points().size(), r.totalImprovement(), cell(r.linearity()), cell(r.breakthroughness()),
                    r.bestModel() == null ? "-" : r.bestModel(), threshold, r.verdict());
        }
        for (Emergence.Result r : results) {
            if (r.mirage() != null) {
                w.printf(Locale.ROOT, "%n%s / %s, %s against %s: %s%n", r.family(), r.task(), r.metric(),
                        r.mirage().continuous(), r.mirage().verdict());
                if (r.mirage().meanAbsoluteError() != null) {
                    w.printf(Locale.ROOT, "  exact match from per-token accuracy as p^%d: mean absolute error %.4f%n",
                            r.mirage().answerTokens(), r.mirage().meanAbsoluteError());
                    for (Emergence.PowerOfL p : r.mirage().exactFromTokens()) {
                        w.printf(Locale.ROOT, "    params %-10.3g p %.4f  p^L %.4f  observed %.4f%n", p.params(),
                                p.tokenAccuracy(), p.predicted(), p.observed());
                    }
                }
            }
        }
        for (Emergence.Result r : results) {
            if (r.reason() != null && r.error() == null) {
                w.printf(Locale.ROOT, "%n%s / %s / %s: %s", r.family(), r.task(), r.metric(), r.reason());
            }
        }
        w.println();
    }

    private static String cell(Object v) {
        return v == null ? "undef" : v instanceof Double d ? String.format(Locale.ROOT, "%.3g", d) : v.toString();
    }

    private void writeCharts(List<EvalRow> rows, List<Emergence.Result> results) {
        Map<List<String>, Map<Double, Map<String, Double>>> byTask = new LinkedHashMap<>();
        for (EvalRow r : rows) {
            byTask.computeIfAbsent(List.of(r.family(), r.task()), k -> new java.util.TreeMap<>())
                    .computeIfAbsent(r.params(), k -> new LinkedHashMap<>()).put(r.metric(), r.value());
        }
        for (Map.Entry<List<String>, Map<Double, Map<String, Double>>> e : byTask.entrySet()) {
            List<Charts.ProbePoint> points = new ArrayList<>();
            e.getValue().forEach((params, metrics) -> points.add(new Charts.ProbePoint(params, metrics)));
            Map<Double, Double> predicted = new LinkedHashMap<>();
            for (Emergence.Result r : results) {
                if (r.family().equals(e.getKey().get(0)) && r.task().equals(e.getKey().get(1)) && r.mirage() != null) {
                    r.mirage().exactFromTokens().forEach(p -> predicted.put(p.params(), p.predicted()));
                }
            }
            String name = ("emergence-" + e.getKey().get(0) + "-" + e.getKey().get(1)).replaceAll("[^A-Za-z0-9._-]+", "_");
            ChartFiles.write(Charts.emergence(e.getKey().get(0) + ": " + e.getKey().get(1), points, predicted, 900, 560),
                    charts.resolve(name + ".png"));
        }
    }
}
