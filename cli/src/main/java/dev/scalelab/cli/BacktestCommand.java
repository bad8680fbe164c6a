package dev.scalelab.cli;

import dev.scalelab.core.NoUsableFitException;
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
                    + "where the table has none), params>=N, or leave-one-budget-out (each budget in turn, pooled).")
    Holdout holdout;

    @Mixin
    FitSettings settings;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON result here, atomically.")
    Path out;

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

    @Override
    public Integer call() {
        FitInput in = settings.open(input, spec);
        List<Backtest.Result> results = new ArrayList<>();
        for (Fitter.Law law : laws.stream().distinct().toList()) {
            try {
                results.add(Backtest.run(in.table(), settings.options(law, in, spec, null), holdout));
            } catch (NoUsableFitException e) {
                throw new NoUsableFitException(in.table().source() + ": " + law.id() + ": " + e.getMessage());
            }
        }
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
            w.printf(Locale.ROOT, "  %-18s %-7s %10.4g %10.4g %10.4g %10.5g %10.5g  %-20s %+7.2f%%  %s%n", row.fold(),
                    row.quantity(), row.params(), row.tokens(), row.flops(), row.actual(), row.predicted(), interval,
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
