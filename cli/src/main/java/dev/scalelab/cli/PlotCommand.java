package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Predictor;
import dev.scalelab.plots.ChartFiles;
import dev.scalelab.plots.Charts;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** One chart to a PNG or SVG file. */
@Command(name = "plot", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Draw one chart as PNG or SVG.",
        descriptionHeading = "%n",
        description = {
                "KIND and its INPUT:",
                "  compute     loss vs compute: curves.csv or a sweep folder; --fit a chinchilla card adds the law, "
                        + "its band and the prediction at --target",
                "  isoflop     IsoFLOP curves: runs.csv or a sweep folder; --fit an isoflop card marks the minima",
                "  allocation  N*(C) and D*(C): an isoflop, envelope or chinchilla fit card; --range LO:HI in FLOPs",
                "  params      loss vs parameters: runs.csv or a sweep folder",
                "  tokens      loss vs tokens: runs.csv or a sweep folder",
                "  residuals   log residuals: runs.csv or a sweep folder, with --fit a chinchilla card",
                "  backtest    predicted vs actual: a fit card made with --backtest-*"})
final class PlotCommand implements Callable<Integer> {
    enum Kind { compute, isoflop, allocation, params, tokens, residuals, backtest }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "compute, isoflop, allocation, params, tokens, residuals or backtest.")
    Kind kind;

    @Parameters(index = "1", paramLabel = "INPUT", description = "A sweep folder, a CSV, or a fit card, as KIND needs.")
    Path input;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.png or FILE.svg.")
    Path out;

    @Option(names = "--fit", paramLabel = "CARD", description = "A fit card to draw with the data.")
    Path fit;

    @Option(names = "--target", paramLabel = "C", description = "Budget for the predicted point (compute).")
    Double target;

    @Option(names = "--range", paramLabel = "LO:HI", description = "FLOP range (allocation).")
    String range;

    @Option(names = "--floor", paramLabel = "E", description = "Draw the corpus's entropy floor (compute).")
    Double floor;

    @Option(names = "--width", defaultValue = "1200", description = "Pixels (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "800", description = "Pixels (default: ${DEFAULT-VALUE}).")
    int height;

    @Override
    public Integer call() {
        if (width < 200 || height < 150 || width > 10000 || height > 10000) {
            throw new InvalidInputException("command line", 0, "--width/--height", "size " + width + "x" + height
                    + " is out of range", "use 200-10000 by 150-10000 pixels");
        }
        FitCard card = fit == null ? null : PredictCommand.readCard(fit);
        XYChart chart = switch (kind) {
            case compute -> Charts.lossVsCompute(table("curves.csv"), card, target == null ? Double.NaN : target,
                    floor == null ? Double.NaN : floor, card == null ? "6N" : card.flopConvention(), width, height);
            case isoflop -> Charts.isoflop(table("runs.csv"), card, width, height);
            case allocation -> {
                FitCard c = PredictCommand.readCard(input);
                double[] r = range(c);
                yield Charts.allocation(c, r[0], r[1], c.flopConvention(), width, height);
            }
            case params -> Charts.lossVs(table("runs.csv"), true, width, height);
            case tokens -> Charts.lossVs(table("runs.csv"), false, width, height);
            case residuals -> {
                if (card == null) {
                    throw new InvalidInputException("command line", 0, "--fit", "residuals need a fit card", "add --fit CARD");
                }
                List<Observation> rows = table("runs.csv");
                Predictor p = new Predictor(card, fit.toString());
                double[] pred = rows.stream().mapToDouble(o -> p.atModel(o.params(), o.tokens()).outputs().get("loss").value())
                        .toArray();
                yield Charts.residuals(pred, rows.stream().mapToDouble(Observation::loss).toArray(), card.law(), width, height);
            }
            case backtest -> {
                FitCard c = PredictCommand.readCard(input);
                if (c.backtest() == null) {
                    throw new InvalidInputException(input, 0, "backtest", "the card has no backtest",
                            "fit with --backtest-cutoff or --backtest-largest");
                }
                yield Charts.backtest(c, width, height);
            }
        };
        ChartFiles.write(chart, out);
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private List<Observation> table(String inFolder) {
        Path csv = Files.isDirectory(input) ? input.resolve(inFolder) : input;
        return ObservationCsv.standard().read(csv).observations();
    }

    private double[] range(FitCard c) {
        if (range != null) {
            String[] p = range.split(":");
            try {
                double lo = Double.parseDouble(p[0]);
                double hi = Double.parseDouble(p[1]);
                if (p.length == 2 && lo > 0 && hi > lo) {
                    return new double[] {lo, hi};
                }
            } catch (RuntimeException e) {
                // fall through
            }
            throw new InvalidInputException("command line", 0, "--range", "cannot read '" + range + "'", "write LO:HI, e.g. 1e18:1e22");
        }
        if (c.isoflop() != null && !c.isoflop().vertices().isEmpty()) {
            double lo = c.isoflop().vertices().stream().mapToDouble(v -> v.budget()).min().orElse(1e18);
            double hi = c.isoflop().vertices().stream().mapToDouble(v -> v.budget()).max().orElse(1e21);
            return new double[] {lo, 10 * hi};
        }
        return new double[] {1e18, 1e22};
    }
}
