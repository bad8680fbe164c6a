package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.Predicts;
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
                "  backtest    predicted vs actual: a fit card made with --backtest-*",
                "  emergence   a skill's probe metrics vs parameters: a sweep folder, with --skill",
                "  dynamics    train and validation loss vs step: a run folder (metrics.csv); --event STEP=LABEL",
                "  heatmap     a class per grid cell: a CSV, with --x, --y and --class columns"})
final class PlotCommand implements Callable<Integer> {
    enum Kind { compute, isoflop, allocation, params, tokens, residuals, backtest, emergence, dynamics, heatmap }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "compute, isoflop, allocation, params, tokens, residuals, backtest, emergence, dynamics or heatmap.")
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

    @Option(names = "--skill", defaultValue = "facts", description = "The skill (emergence; default: ${DEFAULT-VALUE}).")
    String skill;

    @Option(names = "--event", paramLabel = "STEP=LABEL", description = "A marked step (dynamics); repeatable.")
    java.util.Map<Double, String> events = new java.util.TreeMap<>();

    @Option(names = "--x", paramLabel = "COLUMN", description = "x column (heatmap).")
    String xColumn;

    @Option(names = "--y", paramLabel = "COLUMN", description = "y column (heatmap).")
    String yColumn;

    @Option(names = "--class", paramLabel = "COLUMN", description = "class column (heatmap).")
    String classColumn;

    @Option(names = "--log-x", description = "Logarithmic x axis (heatmap).")
    boolean logX;

    @Option(names = "--log-y", description = "Logarithmic y axis (heatmap).")
    boolean logY;

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
            case compute -> {
                if (card != null && !card.predicts().contains(Predicts.LOSS_AT_BUDGET)) {
                    throw wrongLaw(fit, card, "--fit", Fitter.Law.cardsThatPredict(Predicts.LOSS_AT_BUDGET));
                }
                yield Charts.lossVsCompute(table(SweepLayout.CURVES_CSV), card, target == null ? Double.NaN : target,
                    floor == null ? Double.NaN : floor, card == null ? "6N" : card.flops().convention().id(), width, height);
            }
            case isoflop -> {
                if (card != null && card.isoflop() == null) {
                    throw wrongLaw(fit, card, "--fit", "an isoflop card (scalelab fit --law isoflop)");
                }
                yield Charts.isoflop(table(SweepLayout.RUNS_CSV), card, width, height);
            }
            case allocation -> {
                FitCard c = PredictCommand.readCard(input);
                if (!c.predicts().contains(Predicts.ALLOCATION)) {
                    throw wrongLaw(input, c, null, Fitter.Law.cardsThatPredict(Predicts.ALLOCATION));
                }
                double[] r = range(c);
                yield Charts.allocation(c, r[0], r[1], c.flops().convention().id(), width, height);
            }
            case params -> Charts.lossVs(table(SweepLayout.RUNS_CSV), true, width, height);
            case tokens -> Charts.lossVs(table(SweepLayout.RUNS_CSV), false, width, height);
            case residuals -> {
                if (card == null) {
                    throw new InvalidInputException("command line", 0, "--fit", "residuals need a fit card", "add --fit CARD");
                }
                if (!card.predicts().contains(Predicts.LOSS_OF_MODEL)) {
                    throw wrongLaw(fit, card, "--fit", "a card that predicts the loss of a model (not " + card.law()
                            + (card.variable() == null ? "" : " of " + card.variable()) + ")");
                }
                List<Observation> rows = table(SweepLayout.RUNS_CSV);
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
            case emergence -> {
                var folder = dev.scalelab.sweep.run.SweepFolder.open(input);
                var points = folder.probes(skill).stream().map(e -> new Charts.ProbePoint(e.getKey(), e.getValue())).toList();
                if (points.isEmpty()) {
                    throw new InvalidInputException(input, 0, "--skill", "no completed run has probes of '" + skill + "'",
                            "skills here: " + String.join(", ", folder.skills()));
                }
                yield Charts.emergence(skill, points, width, height);
            }
            case dynamics -> dynamics();
            case heatmap -> heatmap();
        };
        ChartFiles.write(chart, out);
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private XYChart dynamics() {
        Path metrics = Files.isDirectory(input) ? RunLayout.metrics(input) : input;
        List<double[]> rows = new java.util.ArrayList<>();
        for (CsvTable.Row row : CsvTable.read(metrics, "give a run folder or its " + RunLayout.METRICS).rows()) {
            if (row.whole("step") > 0) {
                rows.add(new double[] {row.number("step"), row.number("train_loss"), row.number("val_loss")});
            }
        }
        return Charts.dynamics("Training dynamics: " + input.getFileName(), rows.stream().mapToDouble(r -> r[0]).toArray(),
                rows.stream().mapToDouble(r -> r[1]).toArray(), rows.stream().mapToDouble(r -> r[2]).toArray(), events,
                width, height);
    }

    private XYChart heatmap() {
        if (xColumn == null || yColumn == null || classColumn == null) {
            throw new InvalidInputException("command line", 0, "--x/--y/--class", "a heatmap needs three columns",
                    "name them with --x, --y and --class");
        }
        CsvTable table = CsvTable.read(input, null);
        for (String name : List.of(xColumn, yColumn, classColumn)) {
            table.column(name);   // each named column must exist, even when the table has no rows
        }
        int n = table.rowCount();
        double[] x = new double[n];
        double[] y = new double[n];
        String[] c = new String[n];
        for (int k = 0; k < n; k++) {
            CsvTable.Row row = table.rows().get(k);
            x[k] = row.number(xColumn);
            y[k] = row.number(yColumn);
            c[k] = row.text(classColumn);
        }
        return Charts.heatmap(input.getFileName().toString(), xColumn, yColumn, x, y, c, logX, logY, width, height);
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

    private static InvalidInputException wrongLaw(Path file, FitCard card, String option, String needed) {
        return new InvalidInputException(file, 0, option == null ? "law" : option, "a " + card.law() + " card cannot "
                + "be drawn this way", "give " + needed);
    }

}
