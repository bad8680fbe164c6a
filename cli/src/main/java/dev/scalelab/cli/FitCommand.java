package dev.scalelab.cli;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.RowFilter;
import dev.scalelab.core.io.Json;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.law.Variable;
import dev.scalelab.study.FitInput;
import picocli.CommandLine.ArgGroup;
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

/** Fits a scaling law to a table of observations and writes its fit card. */
@Command(name = "fit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Fit a scaling law to observations and write its fit card.", modelTransformer = LawOption.Help.class,
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

    @Option(names = "--law", defaultValue = "chinchilla", paramLabel = "LAW", converter = LawOption.Converter.class,
            completionCandidates = LawOption.Converter.class, description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
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

    @Mixin
    BootstrapOption bootstrap;

    @Mixin
    LevelOption level;

    @Mixin
    SeedOption seed;

    @Option(names = "--flops-per-param-token", defaultValue = "6", paramLabel = "K",
            description = "k in C = k·N·D, for derived columns and the allocation of a table (default: ${DEFAULT-VALUE}); "
                    + "a sweep folder (or its runs.csv) uses its plan's FLOP convention and model family unless this is given.")
    double k;

    @Mixin
    Approach3Options approach3;

    @Option(names = "--isoflop-window", defaultValue = "" + dev.scalelab.fitting.fit.IsoFlop.DEFAULT_WINDOW, paramLabel = "K",
            description = "Sizes on each side of a budget's lowest loss that its parabola uses; 0 for all (default: ${DEFAULT-VALUE}).")
    int isoflopWindow;

    @Mixin
    ThreadsOption threads;

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
        double p = level.level();
        int resamples = bootstrap.resamples();
        FitInput in = FitInput.open(input, k, spec.commandLine().getParseResult().hasMatchedOption("--flops-per-param-token"),
                where.stream().map(RowFilter::parse).toList());
        Fitter.Options options = new Fitter.Options(law, Variable.valueOf(x.name().toUpperCase(Locale.ROOT)), resamples,
                seed.seed, p, fix, approach3.options(threads.given()), isoflopWindow, in.flops(), VersionProvider.version(),
                "scalelab " + String.join(" ", spec.commandLine().getParseResult().originalArgs()),
                backtest == null ? null : new Fitter.Holdout(backtest.cutoff, backtest.largest));
        FitCard card;
        try {
            card = Fitter.fit(in.table(), options);
        } catch (NoUsableFitException e) {
            throw new NoUsableFitException(in.table().source() + ": " + e.getMessage());
        }
        if (out != null) {
            Json.write(out, card);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (format.json()) {
            w.print(Json.toText(card));
        } else {
            FitPrinter.print(w, card, in.table(), out);
        }
        w.flush();
        return 0;
    }
}
