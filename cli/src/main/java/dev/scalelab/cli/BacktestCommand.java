package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.data.RowFilter;
import dev.scalelab.core.data.TableGroups;
import dev.scalelab.core.io.Json;
import dev.scalelab.fitting.Backtest;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.Holdout;
import dev.scalelab.study.FitInput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** Fits laws without some rows and scores their predictions of those rows ({@link Backtest}). */
@Command(name = "backtest", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Fit without the largest runs, predict them, and score the forecast out of sample.",
        descriptionHeading = "%n",
        description = {
                "Fits each --law on the rows the --holdout keeps, predicts every held-out row with its confidence "
                        + "interval (the law's mean) and prediction interval (one new run), and reports per row the "
                        + "predicted and actual loss, the prediction interval and whether the row is inside it; then "
                        + "n, the mean absolute relative error (ARE, Choshen et al. 2024), the RMSE of log loss and "
                        + "the coverage of the prediction interval. With several laws they are ranked by held-out ARE: "
                        + "a law chosen by how it extrapolates, not by its in-sample fit.",
                "",
                "INPUT is what 'scalelab fit' reads: an observation CSV or a sweep folder with runs.csv.",
                "For approach 2 (isoflop) a held-out budget's truth is its own parabola's vertex (N*, D* and the "
                        + "loss there); its rows are N* and D*, with confidence intervals only.",
                "",
                "Exit 3 for a holdout that holds out nothing or a law with nothing to score; exit 4 when a holdout "
                        + "keeps fewer rows than the law has parameters (or an isoflop fit fewer than 2 budgets)."})
final class BacktestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format;

    @Parameters(index = "0", paramLabel = "INPUT", description = "An observation CSV, or a sweep folder with runs.csv.")
    Path input;

    @Option(names = "--law", defaultValue = "chinchilla", split = ",", paramLabel = "LAW",
            converter = LawOption.Converter.class, completionCandidates = LawOption.Converter.class,
            description = "Laws to backtest, ranked by held-out error when several: ${COMPLETION-CANDIDATES} "
                    + "(default: ${DEFAULT-VALUE}).")
    List<Fitter.Law> laws;

    @Option(names = "--holdout", required = true, paramLabel = "HOLDOUT", converter = HoldoutConverter.class,
            description = "largest-budget (or largest-budget=K: the K largest), budget>=C (the budget column, or flops "
                    + "where the table has none), params>=N, leave-one-budget-out (each budget in turn, pooled), or a "
                    + "filter on any column, the rows it keeps held out (split=test: a table's own split).")
    Holdout holdout;

    @Mixin
    FitSettings settings;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON result here, atomically.")
    Path out;

    @Mixin
    GroupByOption groupBy;

    static final class HoldoutConverter implements CommandLine.ITypeConverter<Holdout> {
        @Override
        public Holdout convert(String value) {
            try {
                return Holdout.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** The rows a backtest runs on and its holdout, a filter holdout resolved: the kept rows first, then the held. */
    private record Resolved(FitInput in, Holdout holdout) {
    }

    private Resolved resolve(List<RowFilter> group) {
        if (!(holdout instanceof Holdout.Where w)) {
            return new Resolved(settings.open(input, spec, group), holdout);
        }
        List<RowFilter> keep = new ArrayList<>(group);
        keep.add(w.filter().negated());
        List<RowFilter> hold = new ArrayList<>(group);
        hold.add(w.filter());
        FitInput kept = settings.open(input, spec, keep);
        FitInput held;
        try {
            held = settings.open(input, spec, hold);
        } catch (InvalidInputException e) {
            if (!e.getMessage().contains("no rows pass the filters")) {
                throw e; // a bad value in a held-out row, named as the reader names it
            }
            throw new InvalidInputException(input, 0, "--holdout", "'" + w.filter().text() + "' holds out no row",
                    "give a filter that some rows pass");
        }
        List<Observation> rows = new ArrayList<>(kept.table().observations());
        rows.addAll(held.table().observations());
        List<Integer> heldOut = IntStream.range(kept.table().size(), rows.size()).boxed().toList();
        ObservationTable table = new ObservationTable(kept.table().source(), rows, kept.table().derivation(), List.of(),
                kept.table().columns());
        return new Resolved(new FitInput(table, kept.flops()), new Holdout.Rows(w.filter().text(), heldOut));
    }

    /** A row's N, D or C, or "-" for a law of other columns that does not read it. */
    private static String cell(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    /** Every law's backtest on one table. */
    private List<Backtest.Result> run(Resolved r) {
        List<Backtest.Result> results = new ArrayList<>();
        for (Fitter.Law law : laws.stream().distinct().toList()) {
            try {
                results.add(Backtest.run(r.in().table(), settings.options(law, r.in(), spec, null), r.holdout()));
            } catch (NoUsableFitException e) {
                throw new NoUsableFitException(r.in().table().source() + ": " + law.id() + ": " + e.getMessage());
            }
        }
        return results;
    }

    @Override
    public Integer call() {
        settings.forLaws(laws);
        if (!groupBy.columns.isEmpty()) {
            return groups();
        }
        Resolved resolved = resolve(List.of());
        FitInput in = resolved.in();
        List<Backtest.Result> results = run(resolved);
        Object json = results.size() == 1 ? results.get(0) : several(results);
        if (out != null) {
            Json.write(out, json);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (format.json()) {
            w.print(Json.toText(json));
        } else {
            for (Backtest.Result r : results) {
                print(w, r, in.table().source());
            }
            if (results.size() > 1) {
                results.stream().filter(r -> !Backtest.ranking(List.of(r)).contains(r.law())).forEach(r -> w.println(
                        "note       " + r.law() + " is scored on N* and D*, not losses: it is not ranked with the loss laws"));
                w.println("ranking by held-out ARE of the loss: " + String.join(", ", Backtest.ranking(results).stream()
                        .map(law -> String.format(Locale.ROOT, "%s %.2f%%", law, 100 * results.stream()
                                .filter(r -> r.law().equals(law)).findFirst().orElseThrow().summary().meanAbsRelativeError()))
                        .toList()));
            }
            if (out != null) {
                w.printf(Locale.ROOT, "written    %s%n", out);
            }
        }
        w.flush();
        return 0;
    }

    /** One backtest per group; exit 4 when no group could be scored. */
    private int groups() {
        List<Map<String, Object>> out = new ArrayList<>();
        PrintWriter w = spec.commandLine().getOut();
        List<String> header = new ArrayList<>(groupBy.columns.stream().map(c -> c.trim().toLowerCase(Locale.ROOT)).toList());
        header.addAll(List.of("law", "n", "ARE", "mean error", "log RMSE", "prediction coverage", "prediction width"));
        if (!format.json()) {
            w.println(String.join("\t", header));
        }
        int scored = 0;
        String firstReason = null;
        for (TableGroups.Group g : TableGroups.of(FitInput.table(input), groupBy.columns, settings.filters())) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("group", g.values());
            try {
                List<Backtest.Result> results = run(resolve(g.filters()));
                entry.putAll(several(results));
                scored++;
                for (Backtest.Result r : results) {
                    Backtest.Summary s = r.summary();
                    if (!format.json()) {
                        w.println(String.join("\t", g.values().values()) + String.format(Locale.ROOT,
                                "\t%s\t%d\t%.4f\t%+.4f\t%.4f\t%s\t%s", r.law(), s.n(), s.meanAbsRelativeError(),
                                s.meanRelativeError(), s.logRmse(), s.coverage() == null ? "" : String.format(Locale.ROOT, "%.3f",
                                        s.coverage()), s.predictionWidth() == null ? "" : String.format(Locale.ROOT,
                                        "%.4f", s.predictionWidth())));
                    }
                }
            } catch (NoUsableFitException | InvalidInputException e) {
                entry.put("skipped", e.getMessage());
                firstReason = firstReason == null ? e.getMessage() : firstReason;
                if (!format.json()) {
                    w.println(String.join("\t", g.values().values()) + "\tskipped: " + e.getMessage());
                }
            }
            out.add(entry);
        }
        Map<String, Object> json = Map.of("groups", out);
        if (this.out != null) {
            Json.write(this.out, json);
        }
        if (format.json()) {
            w.print(Json.toText(json));
        }
        w.flush();
        if (scored == 0) {
            throw new NoUsableFitException(input + ": no group could be backtested (" + firstReason + ")");
        }
        return 0;
    }

    private static Map<String, Object> several(List<Backtest.Result> results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("laws", results);
        m.put("ranking", Backtest.ranking(results));
        return m;
    }

    private static void print(PrintWriter w, Backtest.Result r, String source) {
        Backtest.Summary s = r.summary();
        w.printf(Locale.ROOT, "backtest   %s on %s, holdout %s (%.0f%% intervals)%n", r.law(), source, r.holdout(),
                100 * s.level());
        w.printf(Locale.ROOT, "  %-18s %-7s %10s %10s %10s %10s %10s  %-20s %8s  %s%n", "fold", "what", "N", "D", "C",
                "actual", "predicted", "prediction interval", "error", "inside");
        for (Backtest.Row row : r.rows()) {
            List<Double> band = row.prediction() != null ? row.prediction() : row.confidence();
            String interval = band == null ? "" : String.format(Locale.ROOT, "[%.4g, %.4g]%s", band.get(0), band.get(1),
                    row.prediction() == null ? " conf." : "");
            Boolean inside = row.insidePrediction() != null ? row.insidePrediction() : row.insideConfidence();
            w.printf(Locale.ROOT, "  %-18s %-7s %10s %10s %10s %10.5g %10.5g  %-20s %+7.2f%%  %s%n", row.fold(),
                    row.quantity(), cell(row.params()), cell(row.tokens()), cell(row.flops()), row.actual(),
                    row.predicted(), interval,
                    100 * row.relativeError(), inside == null ? "" : inside ? "yes" : "NO");
        }
        w.printf(Locale.ROOT, "summary    n %d, ARE %.2f%%, mean error %+.2f%%, log RMSE %.4f%n", s.n(),
                100 * s.meanAbsRelativeError(), 100 * s.meanRelativeError(), s.logRmse());
        w.printf(Locale.ROOT, "coverage   prediction %s (mean width %s), confidence %s (mean width %s)%n",
                share(s.coverage()), width(s.predictionWidth()), share(s.confidenceCoverage()), width(s.confidenceWidth()));
        for (String note : r.notes()) {
            w.printf(Locale.ROOT, "note       %s%n", note);
        }
    }

    private static String width(Double v) {
        return v == null ? "none" : String.format(Locale.ROOT, "%.2f%% of the prediction", 100 * v);
    }

    private static String share(Double v) {
        return v == null ? "none" : String.format(Locale.ROOT, "%.3f", v);
    }
}
