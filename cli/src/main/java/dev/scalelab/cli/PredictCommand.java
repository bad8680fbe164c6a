package dev.scalelab.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.Json;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.NotPredictable;
import dev.scalelab.fitting.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Predictions from a fit card. */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Predict losses and compute-optimal sizes from a fit card.",
        descriptionHeading = "%n",
        description = {
                "With --flops C: the compute-optimal parameters N* and tokens D* (chinchilla and isoflop cards; "
                        + "spending C as the card's FLOP count says: C = k·N·D, or C = f(N)·D for a shaped count) and the predicted loss there (chinchilla), or the loss at C "
                        + "(a one-variable law in flops). With --params N and --tokens D: the loss of that model (or, "
                        + "from an lr or batch card, its optimal learning rate or batch size). With --at COLUMN=V: a "
                        + "law of other columns at those values (error-from-loss and task at loss=V, loss-to-loss at "
                        + "loss_a=V).",
                "Two cards chain (Bhagia et al. 2024): 'predict LOSS_CARD METRIC_CARD --params N --tokens D' feeds "
                        + "the first card's loss into the second, an error-from-loss or task card, and propagates both "
                        + "cards' intervals.",
                "Intervals come from the card's bootstrap resamples (fit with --bootstrap N): the confidence "
                        + "interval of the law's mean there, and for a loss the prediction interval of one new run's "
                        + "loss (the fit's residuals added, Davison and Hinkley 1997). Several values may be given, "
                        + "comma-separated or by repeating the option."})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format;

    @Parameters(index = "0", paramLabel = "FITCARD", description = "A fit card written by 'scalelab fit --out'.")
    Path cardFile;

    @Parameters(index = "1", arity = "0..1", paramLabel = "METRIC_CARD", description = "A second card, of a metric "
            + "against loss (error-from-loss or task), fed the first card's loss.")
    Path secondFile;

    @Option(names = "--at", paramLabel = "COLUMN=V[,V...]", description = "Values of a law's input column, e.g. "
            + "loss=2.1,2.4 (repeat for a law of two columns; values pair by position).")
    List<String> at = new ArrayList<>();

    @Option(names = "--flops", split = ",", paramLabel = "C", description = "Compute budgets, e.g. 1e21.")
    List<Double> flops = new ArrayList<>();

    @Option(names = "--params", split = ",", paramLabel = "N", description = "Model sizes, in parameters as the card counts them (non-embedding, or total: "
            + "its convention line says).")
    List<Double> params = new ArrayList<>();

    @Option(names = "--tokens", split = ",", paramLabel = "D", description = "Training tokens, paired with --params by position.")
    List<Double> tokens = new ArrayList<>();

    @Option(names = "--unique-tokens", split = ",", paramLabel = "U", description = "The distinct tokens among "
            + "--tokens (tokens / epochs), paired by position; a data-constrained card needs them.")
    List<Double> unique = new ArrayList<>();

    @Override
    public Integer call() {
        FitCard card = readCard(cardFile);
        Predictor predictor = new Predictor(card, cardFile.toString());
        Predictor second = secondFile == null ? null : new Predictor(readCard(secondFile), secondFile.toString());
        if (flops.isEmpty() && params.isEmpty() && tokens.isEmpty() && at.isEmpty()) {
            throw new InvalidInputException("command line", 0, "--flops", "nothing to predict",
                    "give --flops C, or --params N (and --tokens D), or --at COLUMN=V");
        }
        if (second != null && !at.isEmpty()) {
            throw new InvalidInputException("command line", 0, "--at", "a chain predicts from the first card's "
                    + "model or budget", "give --params N and --tokens D, or --flops C");
        }
        if (!unique.isEmpty() && unique.size() != tokens.size()) {
            throw new InvalidInputException("command line", 0, "--unique-tokens", unique.size()
                    + " --unique-tokens values but " + tokens.size() + " --tokens values", "give one per --tokens value");
        }
        if (!params.isEmpty() && !tokens.isEmpty() && params.size() != tokens.size()) {
            throw new InvalidInputException("command line", 0, "--tokens", params.size() + " --params values but "
                    + tokens.size() + " --tokens values", "give them in pairs");
        }
        List<Predictor.Prediction> out = new ArrayList<>();
        try {
            for (double c : flops) {
                double budget = positive("--flops", c);
                out.add(second == null ? predictor.atBudget(budget)
                        : predictor.chain(second, false, Double.NaN, Double.NaN, Double.NaN, budget));
            }
            int models = Math.max(params.size(), tokens.size());
            for (int i = 0; i < models; i++) {
                double n = params.isEmpty() ? Double.NaN : positive("--params", params.get(i));
                double d = tokens.isEmpty() ? Double.NaN : positive("--tokens", tokens.get(i));
                double u = i < unique.size() ? positive("--unique-tokens", unique.get(i)) : Double.NaN;
                out.add(second == null ? predictor.atModel(n, d, u) : predictor.chain(second, true, n, d, u, Double.NaN));
            }
            for (java.util.Map<String, Double> values : atValues()) {
                out.add(predictor.atInputs(values));
            }
        } catch (NotPredictable e) {
            throw inOptions(e);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (format.json()) {
            w.print(Json.toText(out));
        } else {
            for (Predictor.Prediction p : out) {
                StringBuilder line = new StringBuilder();
                p.inputs().forEach((k, v) -> line.append(String.format(Locale.ROOT, "%s %.4g  ", k, v)));
                line.append("->");
                p.outputs().forEach((k, e) -> line.append(String.format(Locale.ROOT, "  %s %.5g", k, e.value()))
                        .append(intervals(e)));
                w.println(line);
            }
        }
        w.flush();
        return 0;
    }

    /** The --at values, one map of column to value per prediction. */
    private List<java.util.Map<String, Double>> atValues() {
        java.util.Map<String, List<Double>> columns = new java.util.LinkedHashMap<>();
        for (String a : at) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("command line", 0, "--at", "'" + a + "' is not COLUMN=V",
                        "give e.g. --at loss=2.1,2.4");
            }
            List<Double> values = new ArrayList<>();
            for (String v : a.substring(eq + 1).split(",")) {
                try {
                    double x = Double.parseDouble(v.trim());
                    if (!Double.isFinite(x)) {
                        throw new NumberFormatException();
                    }
                    values.add(x);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("command line", 0, "--at", "'" + v + "' is not a finite number",
                            "give e.g. --at loss=2.1,2.4");
                }
            }
            columns.put(a.substring(0, eq).trim().toLowerCase(Locale.ROOT), values);
        }
        int n = columns.values().stream().mapToInt(List::size).max().orElse(0);
        for (java.util.Map.Entry<String, List<Double>> c : columns.entrySet()) {
            if (c.getValue().size() != n) {
                throw new InvalidInputException("command line", 0, "--at", c.getKey() + " has " + c.getValue().size()
                        + " values and another column " + n, "give each column the same number of values");
            }
        }
        List<java.util.Map<String, Double>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
            for (java.util.Map.Entry<String, List<Double>> c : columns.entrySet()) {
                m.put(c.getKey(), c.getValue().get(i));
            }
            out.add(m);
        }
        return out;
    }

    /**
     * An output's intervals, named: " (95% confidence [lo, hi])" for the law's mean, and for a loss
     * ", prediction [lo, hi]" for one new run's; empty without resamples.
     */
    static String intervals(FitCard.Estimate e) {
        if (e.lo() == null) {
            return "";
        }
        String level = e.level() == null ? "" : String.format(Locale.ROOT, "%.0f%% ", 100 * e.level());
        String prediction = e.prediction() == null ? "" : String.format(Locale.ROOT, ", prediction [%.5g, %.5g]",
                e.prediction().get(0), e.prediction().get(1));
        return String.format(Locale.ROOT, " (%sconfidence [%.5g, %.5g]%s)", level, e.lo(), e.hi(), prediction);
    }

    /** A prediction the card's law does not make, told in this command's options. */
    static InvalidInputException inOptions(NotPredictable e) {
        return new InvalidInputException("command line", 0, switch (e.given()) {
            case BUDGET -> "--flops";
            case PARAMS -> "--params";
            case TOKENS -> "--tokens";
            case MODEL -> "--params/--tokens";
            case REPEATED -> "--unique-tokens";
            case COLUMNS -> "--at";
        }, e.problem(), "give " + e.wanted().stream().map(wanted -> switch (wanted) {
            case BUDGET -> "--flops C";
            case PARAMS -> "--params N";
            case TOKENS -> "--tokens D";
            case MODEL -> "--params N and --tokens D";
            case REPEATED -> "--params N, --tokens D and --unique-tokens U";
            case COLUMNS -> "--at COLUMN=V";
        }).collect(java.util.stream.Collectors.joining(", or ")));
    }

    private static double positive(String option, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new InvalidInputException("command line", 0, option, v + " is not a positive number", null);
        }
        return v;
    }

    static FitCard readCard(Path file) {
        try {
            FitCard card = Json.mapper().readValue(Files.readString(file), FitCard.class);
            if (card == null) {
                throw new InvalidInputException(file, 0, null, "holds no fit card (null)", "refit with 'scalelab fit --out'");
            }
            return card.validated(file.toString());
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, 0, null, "no such file", "give a card written by 'scalelab fit --out'");
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), null,
                    "not a valid fit card (" + Errors.oneLine(e.getOriginalMessage()) + ")",
                    "refit with 'scalelab fit --out'");
        } catch (IOException e) {
            throw new InvalidInputException(file, 0, null, "cannot be read (" + e.getMessage() + ")", null);
        }
    }
}
