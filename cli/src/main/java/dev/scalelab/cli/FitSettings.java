package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.RowFilter;
import dev.scalelab.core.model.ParamCount;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.Holdout;
import dev.scalelab.fitting.law.Variable;
import dev.scalelab.study.FitInput;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How a law is fitted, shared by {@code fit} and {@code backtest}: the table's reading, fixed values, resampling, grids. */
final class FitSettings {
    @Option(names = "--x", defaultValue = "params", paramLabel = "VAR",
            description = "The variable of a one-variable law: params, tokens, flops, or any other numeric column of "
                    + "the table, e.g. seen_examples (default: ${DEFAULT-VALUE}).")
    String x;

    /** --x as a variable, or null when it names another column. */
    private Variable variable() {
        if (x == null || x.isBlank()) {
            throw new InvalidInputException("command line", 0, "--x", "is empty", "give params, tokens, flops or a "
                    + "numeric column of the table");
        }
        return Variable.of(x.trim().toLowerCase(Locale.ROOT));
    }

    /** --x when it names a column other than params, tokens and flops, else null. */
    private String xColumn() {
        return variable() == null ? x.trim().toLowerCase(Locale.ROOT) : null;
    }

    @Option(names = "--where", paramLabel = "FILTER",
            description = "Keep rows passing a filter on any column, e.g. 'loss<5', 'config_id=3' or "
                    + "'source=epoch,marin' (operators < > <= >= = !=; = and != take a comma-separated set, compared "
                    + "as numbers when every value is one and as exact text otherwise; quote a value holding a comma); "
                    + "repeatable.")
    List<String> where = new ArrayList<>();

    @Option(names = "--fix", paramLabel = "NAME=VALUE",
            description = "Hold a parameter at a known value, e.g. E=1.443 (the corpus's entropy floor); repeatable.")
    Map<String, Double> fix = new LinkedHashMap<>();

    @Mixin
    ParamsOption params;

    @Option(names = "--params-col", paramLabel = "COLUMN", description = "Read N from this column instead of "
            + "params|N|n_params.")
    String paramsColumn;

    @Option(names = "--tokens-col", paramLabel = "COLUMN", description = "Read D from this column instead of "
            + "tokens|D|D_tokens.")
    String tokensColumn;

    @Option(names = "--flops-col", paramLabel = "COLUMN", description = "Read C from this column instead of "
            + "flops|C|C_flops|compute.")
    String flopsColumn;

    @Option(names = "--loss-col", paramLabel = "COLUMN", description = "Read the loss from this column instead of loss|L.")
    String lossColumn;

    @Option(names = "--column", paramLabel = "NAME=HEADER", description = "Read a law's other column NAME from HEADER, "
            + "e.g. error=err_avg17 or loss_a=val_loss; repeatable.")
    Map<String, String> renamed = new LinkedHashMap<>();

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

    @Option(names = "--hparam-tolerance", defaultValue = "0.0025", paramLabel = "FRACTION",
            description = "For --law lr and batch: how far above its (params, tokens) cell's best loss a run may be and "
                    + "still count as optimal (default: ${DEFAULT-VALUE}, the Step Law's 0.25%%).")
    double hparamTolerance;

    /** The columns the laws being fitted read (null: params, loss, and tokens or flops). */
    private List<String> needs;

    /** Reads tables for these laws: only the columns they use (a law of N and D reads params, loss, tokens or flops). */
    FitSettings forLaws(List<Fitter.Law> laws) {
        String column = x.trim().toLowerCase(Locale.ROOT);
        variable();
        java.util.LinkedHashSet<String> union = new java.util.LinkedHashSet<>();
        boolean ofNandD = false;
        for (Fitter.Law law : laws) {
            List<String> reads = law.reads(column);
            if (reads == null) {
                ofNandD = true;
            } else {
                union.addAll(reads);
            }
        }
        if (ofNandD) {
            // laws of N and D read the standard columns, which do not require another column for --x
            if (variable() == null && laws.stream().anyMatch(Fitter.Law::oneVariable)) {
                throw new InvalidInputException("command line", 0, "--x", "'" + x + "' is not params, tokens or flops, "
                        + "and laws of N and D read those", "backtest the one-variable laws on their own");
            }
            needs = null;
            return this;
        }
        needs = List.copyOf(union);
        return this;
    }

    /** The --where filters. */
    List<RowFilter> filters() {
        return where.stream().map(RowFilter::parse).toList();
    }

    /** The observations of INPUT, read as these settings say. */
    FitInput open(Path input, CommandSpec command) {
        return open(input, command, List.of());
    }

    /** The observations of INPUT passing {@code extra} filters too (a group's), read as these settings say. */
    FitInput open(Path input, CommandSpec command, List<RowFilter> extra) {
        ParamCount count = params.or(ParamCount.NON_EMBEDDING);
        if (paramsColumn != null && count == ParamCount.TOTAL) {
            throw new InvalidInputException("command line", 0, "--params-col", "--param-count total "
                    + "already reads N from total_params", "give one of --params-col and --param-count total");
        }
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, String> given = new LinkedHashMap<>();
        given.put("params", paramsColumn);
        given.put("tokens", tokensColumn);
        given.put("flops", flopsColumn);
        given.put("loss", lossColumn);
        given.forEach((quantity, header) -> {
            if (header != null) {
                if (header.isBlank()) {
                    throw new InvalidInputException("command line", 0, "--" + quantity + "-col",
                            "is empty", "name a column of the table's header");
                }
                columns.put(quantity, header);
            }
        });
        renamed.forEach((quantity, header) -> {
            if (List.of("params", "tokens", "flops", "loss").contains(quantity.trim().toLowerCase(Locale.ROOT))) {
                throw new InvalidInputException("command line", 0, "--column", quantity + " has its own option",
                        "use --" + quantity.trim().toLowerCase(Locale.ROOT) + "-col " + header);
            }
            if (header.isBlank()) {
                throw new InvalidInputException("command line", 0, "--column", quantity + "= names no column",
                        "give NAME=HEADER, a column of the table's header");
            }
            columns.put(quantity, header);
        });
        List<RowFilter> filters = new ArrayList<>(where.stream().map(RowFilter::parse).toList());
        filters.addAll(extra);
        try {
            return FitInput.open(input, k, command.commandLine().getParseResult().hasMatchedOption(
                    "--flops-per-param-token"), filters, count, columns, needs);
        } catch (IllegalArgumentException e) { // a --column that names one of scalelab's own columns
            throw new InvalidInputException("command line", 0, "--column", e.getMessage(),
                    "give a law's own column, such as error=HEADER or loss_a=HEADER");
        }
    }

    private double tolerance() {
        if (!(hparamTolerance >= 0) || Double.isInfinite(hparamTolerance)) {
            throw new InvalidInputException("command line", 0, "--hparam-tolerance", hparamTolerance
                    + " is not a fraction of zero or more", "give e.g. 0.0025 for 0.25%");
        }
        return hparamTolerance;
    }

    /** The fit's options for {@code law}, with a holdout or none. */
    Fitter.Options options(Fitter.Law law, FitInput in, CommandSpec command, Holdout holdout) {
        Variable variable = variable();
        if (variable == null && !law.oneVariable()) {
            variable = Variable.PARAMS; // --x is a one-variable law's; the others ignore it
        }
        return new Fitter.Options(law, variable, bootstrap.resamples(),
                seed.seed, level.level(), fix, approach3.options(threads.given()), isoflopWindow, in.flops(),
                VersionProvider.version(), "scalelab " + String.join(" ", command.commandLine().getParseResult().originalArgs()),
                holdout, tolerance(), law.oneVariable() ? xColumn() : null);
    }
}
