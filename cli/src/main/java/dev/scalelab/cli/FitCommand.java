package dev.scalelab.cli;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.data.RowFilter;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.fit.IsoFlop;
import dev.scalelab.fitting.law.Variable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Fits a scaling law to a table of observations and writes its fit card. */
@Command(name = "fit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Fit a scaling law to observations and write its fit card.", modelTransformer = FitCommand.LawHelp.class,
        descriptionHeading = "%n",
        description = {
                "INPUT is any CSV of observations (header names, case-insensitive: params|N|n_params|N_params, "
                        + "tokens|D|D_tokens, flops|C|C_flops|compute, loss|L, and optionally budget|flops_budget, run, "
                        + "step, group; a missing tokens or flops column is derived as C = k·N·D) or a sweep folder "
                        + "holding runs.csv.",
                "",
                "Laws: (each law's formula and source, from its entry in the law registry)",
                "",
                "Exit 4 when the data allow no usable fit (too few points, no budget that brackets its optimum)."})
final class FitCommand implements Callable<Integer> {

    enum X { params, tokens, flops }

    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format;

    @Parameters(index = "0", paramLabel = "INPUT", description = "An observation CSV, or a sweep folder with runs.csv.")
    Path input;

    @Option(names = "--law", defaultValue = "chinchilla", paramLabel = "LAW", converter = LawOption.class,
            completionCandidates = LawOption.class, description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Fitter.Law law;

    @Option(names = "--x", defaultValue = "params", paramLabel = "VAR",
            description = "The variable of a one-variable law: params, tokens or flops (default: ${DEFAULT-VALUE}).")
    X x;

    @Option(names = "--where", paramLabel = "FILTER",
            description = "Keep rows passing a filter on any numeric column, e.g. 'loss<5' or 'config_id=3' "
                    + "(operators < > <= >= = !=); repeatable.")
    List<String> where = new ArrayList<>();

    @Option(names = "--fix", paramLabel = "NAME=VALUE",
            description = "Hold a parameter at a known value, e.g. E=1.443 (the corpus's entropy floor); repeatable.")
    Map<String, Double> fix = new LinkedHashMap<>();

    @Option(names = "--bootstrap", defaultValue = "0", paramLabel = "N",
            description = "Bootstrap resamples for percentile intervals; 1000 is usual (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--level", defaultValue = "0.95", paramLabel = "P", description = "Interval coverage (default: ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seeds the bootstrap (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--flops-per-param-token", defaultValue = "6", paramLabel = "K",
            description = "k in C = k·N·D, for derived columns and the allocation of a table (default: ${DEFAULT-VALUE}); "
                    + "a sweep folder (or its runs.csv) uses its plan's FLOP convention and model family unless this is given.")
    double k;

    @Option(names = "--huber-delta", defaultValue = "1e-3", paramLabel = "D", description = "Huber delta of approach 3 (default: ${DEFAULT-VALUE}).")
    double huberDelta;

    @Option(names = "--grid-alpha", paramLabel = "GRID",
            description = "Approach 3's starting alphas, FROM:TO:STEP or a comma list (default: 0:2:0.5).")
    String gridAlpha;

    @Option(names = "--grid-beta", paramLabel = "GRID", description = "Starting betas (default: 0:2:0.5).")
    String gridBeta;

    @Option(names = "--grid-e", paramLabel = "GRID", description = "Starting e = log E (default: -1:1:0.5).")
    String gridE;

    @Option(names = "--grid-a", paramLabel = "GRID", description = "Starting a = log A (default: 0:25:5).")
    String gridA;

    @Option(names = "--grid-b", paramLabel = "GRID", description = "Starting b = log B (default: 0:25:5).")
    String gridB;

    @Option(names = "--isoflop-window", defaultValue = "3", paramLabel = "K",
            description = "Sizes on each side of a budget's lowest loss that its parabola uses; 0 for all (default: ${DEFAULT-VALUE}).")
    int isoflopWindow;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the starts and the bootstrap (default: all CPUs).")
    Integer threads;

    @ArgGroup(exclusive = true)
    Backtest backtest;

    static final class Backtest {
        @Option(names = "--backtest-cutoff", paramLabel = "C", required = true,
                description = "Fit on rows below this compute budget and predict the rest; the card reports each error.")
        Double cutoff;

        @Option(names = "--backtest-largest", paramLabel = "K", required = true,
                description = "Fit without the K largest budgets and predict them.")
        Integer largest;
    }

    @Option(names = "--out", paramLabel = "FILE", description = "Write the fit card (JSON) here, atomically.")
    Path out;

    @Override
    public Integer call() {
        Path csv = Files.isDirectory(input) ? SweepLayout.runsCsv(input) : input;
        if (Files.isDirectory(input) && !Files.isRegularFile(csv)) {
            throw new InvalidInputException(input, 0, null, "is a folder without " + SweepLayout.RUNS_CSV,
                    "give an observation CSV, or a sweep folder after 'scalelab collect'");
        }
        if (!(level > 0 && level < 1)) {
            throw new InvalidInputException("command line", 0, "--level", "must be in (0, 1), got " + level, null);
        }
        if (bootstrap < 0) {
            throw new InvalidInputException("command line", 0, "--bootstrap", "must not be negative", null);
        }
        List<RowFilter> filters = where.stream().map(RowFilter::parse).toList();
        ObservationTable table = ObservationCsv.standard().withFlopsPerParamToken(k).withFilters(filters).read(csv);
        Fitter.Options options = new Fitter.Options(law,
                Variable.valueOf(x.name().toUpperCase(Locale.ROOT)), bootstrap, seed, level, fix, approach3(),
                isoflopWindow, flopCount(), VersionProvider.version(), commandLine(),
                backtest == null ? null : new Fitter.Holdout(backtest.cutoff, backtest.largest));
        FitCard card;
        try {
            card = Fitter.fit(table, options);
        } catch (dev.scalelab.core.NoUsableFitException e) {
            throw new dev.scalelab.core.NoUsableFitException(table.source() + ": " + e.getMessage());
        }
        if (out != null) {
            Json.write(out, card);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (format.json()) {
            w.print(Json.toText(card));
        } else {
            printText(w, card, table);
        }
        w.flush();
        return 0;
    }

    /** The registry's laws by id (case-insensitive, as for other options' choices). */
    static final class LawOption implements CommandLine.ITypeConverter<Fitter.Law>, Iterable<String> {
        @Override
        public Fitter.Law convert(String value) {
            Fitter.Law law = Fitter.Law.of(value.toLowerCase(Locale.ROOT));
            if (law == null) {
                throw new CommandLine.TypeConversionException("expected one of " + Fitter.Law.ids()
                        + " (case-insensitive) but was '" + value + "'");
            }
            return law;
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return Fitter.Law.ids().iterator();
        }
    }

    /** The help's list of laws, each with its formula and source from the law registry ({@link Fitter.Law}). */
    static final class LawHelp implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            java.util.function.Function<Fitter.Law, String> entry = l -> l.id() + " " + l.summary();
            List<String> joint = Arrays.stream(Fitter.Law.values()).filter(l -> !l.oneVariable()).map(entry).toList();
            List<String> one = Arrays.stream(Fitter.Law.values()).filter(Fitter.Law::oneVariable).map(entry).toList();
            String laws = "Laws: " + String.join(", ", joint) + (one.isEmpty() ? "" : ", and in one variable --x: "
                    + (one.size() == 1 ? one.get(0) : String.join(", ", one.subList(0, one.size() - 1)) + " and "
                    + one.get(one.size() - 1))) + ".";
            String[] description = spec.usageMessage().description();
            for (int i = 0; i < description.length; i++) {
                if (description[i].startsWith("Laws:")) {
                    description[i] = laws;
                }
            }
            spec.usageMessage().description(description);
            return spec;
        }
    }

    /** A sweep folder's own FLOP count (its plan's convention and family); for a table, C = k·N·D. */
    private FlopCount flopCount() {
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--flops-per-param-token");
        FlopCount sweep = given ? null : dev.scalelab.sweep.run.SweepFolder.flopCountOf(input);
        return sweep != null ? sweep : FlopCount.proportional(k);
    }

    private Approach3.Options approach3() {
        Approach3.Options o = Approach3.Options.defaults().withHuberDelta(huberDelta);
        o = o.withGrid(GridOptions.parse("--grid-alpha", gridAlpha, o.alphaGrid()),
                GridOptions.parse("--grid-beta", gridBeta, o.betaGrid()), GridOptions.parse("--grid-e", gridE, o.eGrid()),
                GridOptions.parse("--grid-a", gridA, o.aGrid()), GridOptions.parse("--grid-b", gridB, o.bGrid()));
        return threads != null ? o.withThreads(threads) : o;
    }

    private String commandLine() {
        return "scalelab " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    private void printText(PrintWriter w, FitCard card, ObservationTable table) {
        w.printf(Locale.ROOT, "law        %s%s%n", card.law(), card.variable() == null ? "" : " in " + card.variable());
        w.printf(Locale.ROOT, "formula    %s%n", card.formula());
        card.parameters().forEach((name, e) -> w.printf(Locale.ROOT, "  %-8s %-14.6g%s%n", name, e.value(),
                e.lo() == null ? "" : String.format(Locale.ROOT, "[%.6g, %.6g] (%.0f%% bootstrap, %d resamples)",
                        e.lo(), e.hi(), 100 * card.bootstrap().level(), card.bootstrap().resamples())));
        w.printf(Locale.ROOT, "objective  %s = %.10g%n", card.objective().name(), card.objective().value());
        w.printf(Locale.ROOT, "starts     %d, converged %d (%s)%n", card.starts().count(), card.starts().converged(),
                card.starts().grid());
        w.printf(Locale.ROOT, "status     %s%n", card.status());
        w.printf(Locale.ROOT, "points     %d used, %d excluded%s%n", card.points(), card.excluded().size(),
                table.derivation() == null ? "" : "; " + table.derivation());
        if (card.isoflop() != null) {
            for (IsoFlop.Vertex v : card.isoflop().vertices()) {
                w.printf(Locale.ROOT, "  budget %.3g: N* %.4g, D* %.4g, loss %.4f (%d sizes)%n", v.budget(), v.params(),
                        v.tokens(), v.loss(), v.points());
            }
            for (IsoFlop.Skipped s : card.isoflop().skipped()) {
                w.printf(Locale.ROOT, "  budget %.3g skipped: %s%n", s.budget(), s.reason());
            }
        }
        if (card.envelope() != null) {
            long runs = card.envelope().stream().map(dev.scalelab.fitting.fit.Envelope.Point::run).distinct().count();
            w.printf(Locale.ROOT, "envelope   %d FLOP values from %.3g to %.3g, through %d runs%n", card.envelope().size(),
                    card.envelope().get(0).flops(), card.envelope().get(card.envelope().size() - 1).flops(), runs);
        }
        if (card.backtest() != null) {
            FitCard.Backtest b = card.backtest();
            w.printf(Locale.ROOT, "backtest   %s: %d rows, mean relative error %+.2f%%, mean absolute %.2f%%%n",
                    b.split(), b.cases().size(), 100 * b.meanRelativeError(), 100 * b.meanAbsRelativeError());
            for (FitCard.Case c : b.cases()) {
                w.printf(Locale.ROOT, "  N %.4g D %.4g C %.4g: actual %.4f, predicted %.4f%s (%+.2f%%)%n", c.params(),
                        c.tokens(), c.flops(), c.loss(), c.predicted(),
                        c.lo() == null ? "" : String.format(Locale.ROOT, " [%.4f, %.4f]", c.lo(), c.hi()),
                        100 * c.relativeError());
            }
        }
        w.printf(Locale.ROOT, "convention %s%n", card.flops().describe());
        if (out != null) {
            w.printf(Locale.ROOT, "fit card   %s%n", out);
        }
    }
}
