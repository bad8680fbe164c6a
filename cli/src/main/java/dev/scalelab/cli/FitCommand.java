package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.TableGroups;
import dev.scalelab.core.io.Json;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.Holdout;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Fits a scaling law to a table of observations and writes its fit card. */
@Command(name = "fit", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Fit a scaling law to observations and write its fit card.", modelTransformer = LawOption.Help.class,
        descriptionHeading = "%n",
        description = {
                "INPUT is any CSV or JSON Lines file of observations (header names, case-insensitive: "
                        + "params|N|n_params|N_params, tokens|D|D_tokens, flops|C|C_flops|compute, loss|L, and optionally "
                        + "budget|flops_budget, run, step, group, and unique_tokens|U_D|unique or epochs for the "
                        + "data-constrained law; a missing tokens or flops column is derived as C = k·N·D; --params-col "
                        + "and the like choose other columns) or a sweep folder holding runs.csv. A law reads only the "
                        + "columns it uses: a one-variable law its --x and the loss, a law of other columns its own "
                        + "(error, accuracy, loss_a and loss_b, lr, batch), any of them from another header with --column.",
                "",
                "Laws: (each law's formula and source, from its entry in the law registry)",
                "",
                "Exit 4 when the data allow no usable fit (too few points, no budget that brackets its optimum)."})
final class FitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format;

    @Parameters(index = "0", paramLabel = "INPUT", description = "An observation CSV, or a sweep folder with runs.csv.")
    Path input;

    @Option(names = "--law", defaultValue = "chinchilla", paramLabel = "LAW", converter = LawOption.Converter.class,
            completionCandidates = LawOption.Converter.class, description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Fitter.Law law;

    @Mixin
    FitSettings settings;

    @ArgGroup(exclusive = true)
    Backtest backtest;

    static final class Backtest {
        @Option(names = "--backtest-cutoff", paramLabel = "C", required = true,
                description = "Fit on rows below this compute budget and predict the rest; the card reports each error "
                        + "(the same as 'scalelab backtest INPUT --holdout budget>=C').")
        Double cutoff;

        @Option(names = "--backtest-largest", paramLabel = "K", required = true,
                description = "Fit without the K largest budgets and predict them (as 'scalelab backtest INPUT "
                        + "--holdout largest-budget=K').")
        Integer largest;
    }

    @Option(names = "--out", paramLabel = "FILE", description = "Write the fit card (JSON) here, atomically; with "
            + "--group-by, a folder that gets one card per group, DIR/<group>.json.")
    Path out;

    @Mixin
    GroupByOption groupBy;

    @Override
    public Integer call() {
        settings.forLaws(List.of(law));
        if (!groupBy.columns.isEmpty()) {
            return groups();
        }
        FitInput in = settings.open(input, spec);
        Fitter.Options options = settings.options(law, in, spec, backtest == null ? null : backtest.cutoff != null
                ? new Holdout.BudgetAtLeast(backtest.cutoff) : new Holdout.LargestBudgets(backtest.largest));
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

    /** One fit per group of the table; exit 4 when no group could be fitted. */
    private int groups() {
        if (backtest != null) {
            throw new InvalidInputException("command line", 0, "--group-by",
                    "does not combine with --backtest-*", "backtest each group with 'scalelab backtest INPUT --where'");
        }
        List<GroupFit.Fitted> fitted = new ArrayList<>();
        for (TableGroups.Group g : TableGroups.of(FitInput.table(input), groupBy.columns,
                settings.filters())) {
            try {
                FitInput in = settings.open(input, spec, g.filters());
                FitCard card = Fitter.fit(in.table(), settings.options(law, in, spec, null));
                Path file = out == null ? null : out.resolve(g.fileName() + ".json");
                if (file != null) {
                    Json.write(file, card);
                }
                fitted.add(new GroupFit.Fitted(g.values(), card, file == null ? null : file.toString(), null));
            } catch (NoUsableFitException | InvalidInputException e) {
                fitted.add(new GroupFit.Fitted(g.values(), null, null, e.getMessage()));
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        if (format.json()) {
            w.print(Json.toText(Map.of("groups", fitted)));
        } else {
            GroupFit.print(w, fitted);
        }
        w.flush();
        if (fitted.stream().allMatch(f -> f.card() == null)) {
            throw new NoUsableFitException(input + ": no group could be fitted (" + fitted.get(0).skipped() + ")");
        }
        return 0;
    }
}
