package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.Predicts;
import dev.scalelab.plots.ChartFiles;
import dev.scalelab.plots.Charts;
import dev.scalelab.plots.PlotInputs;
import dev.scalelab.sweep.run.SweepFolder;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
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
                "  heatmap     a class per grid cell: a CSV, with --x, --y and --class columns",
                "  epochs      loss vs epochs of the unique data: a table with unique_tokens (or epochs); --fit a "
                        + "data-constrained card draws its curves",
                "  law         a law of one input over its table (a one-variable law's loss vs its x; error, accuracy "
                        + "or loss_b vs its loss): a CSV or JSON Lines file with --fit CARD; with --group-by COLUMN, "
                        + "--fit DIR holds each group's card as 'fit --group-by --out DIR' wrote them, all drawn together"})
final class PlotCommand implements Callable<Integer> {
    enum Kind { compute, isoflop, allocation, params, tokens, residuals, backtest, emergence, dynamics, heatmap, epochs,
        law }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "KIND", description = "compute, isoflop, allocation, params, tokens, residuals, backtest, emergence, dynamics, heatmap "
            + "epochs or law.")
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
    Map<Double, String> events = new TreeMap<>();

    @Mixin
    ChartOptions chart;

    @Mixin
    GroupByOption groupBy;

    @Override
    public Integer call() {
        chart.checkSize();
        int w = chart.width;
        int h = chart.height;
        if (kind == Kind.law) {
            return written(LawPlot.draw(input, fit, groupBy.columns, w, h));
        }
        if (!groupBy.columns.isEmpty()) {
            throw new InvalidInputException("command line", 0, "--group-by", "only 'plot law' draws groups",
                    "use 'plot law TABLE --fit DIR --group-by COLUMN'");
        }
        FitCard card = fit == null ? null : PredictCommand.readCard(fit);
        XYChart drawn = switch (kind) {
            case compute -> {
                if (card != null && !card.predicts().contains(Predicts.LOSS_AT_BUDGET)) {
                    throw wrongLaw(fit, card, "--fit", Fitter.Law.cardsThatPredict(Predicts.LOSS_AT_BUDGET));
                }
                yield Charts.lossVsCompute(PlotInputs.observations(input, SweepLayout.CURVES_CSV), card,
                        target == null ? Double.NaN : target, floor == null ? Double.NaN : floor,
                        card == null ? "6N" : card.flops().label(), w, h);
            }
            case isoflop -> {
                if (card != null && card.isoflop() == null) {
                    throw wrongLaw(fit, card, "--fit", "an isoflop card (scalelab fit --law isoflop)");
                }
                yield Charts.isoflop(PlotInputs.observations(input, SweepLayout.RUNS_CSV), card, w, h);
            }
            case allocation -> {
                FitCard c = PredictCommand.readCard(input);
                if (!c.predicts().contains(Predicts.ALLOCATION)) {
                    throw wrongLaw(input, c, null, Fitter.Law.cardsThatPredict(Predicts.ALLOCATION));
                }
                double[] r = range != null ? ChartOptions.range(range) : PlotInputs.allocationRange(c);
                yield Charts.allocation(c, r[0], r[1], c.flops().label(), w, h);
            }
            case params, tokens -> Charts.lossVs(PlotInputs.observations(input, SweepLayout.RUNS_CSV), kind == Kind.params,
                    dev.scalelab.core.model.ParamCount.NON_EMBEDDING, w, h);
            case epochs -> {
                if (card != null && !card.law().equals(Fitter.Law.DATA_CONSTRAINED.id())) {
                    throw wrongLaw(fit, card, "--fit", "a data-constrained card (scalelab fit --law data-constrained)");
                }
                java.util.List<dev.scalelab.core.data.Observation> rows = PlotInputs.observations(input, SweepLayout.RUNS_CSV);
                if (rows.stream().anyMatch(o -> o.uniqueTokens() == null)) {
                    throw new InvalidInputException(input, 0, "unique_tokens", "epochs need each row's unique tokens",
                            "add a unique_tokens column (or epochs)");
                }
                yield dev.scalelab.plots.RepeatCharts.epochs(rows, card, w, h);
            }
            case residuals -> {
                if (card == null) {
                    throw new InvalidInputException("command line", 0, "--fit", "residuals need a fit card", "add --fit CARD");
                }
                if (!card.predicts().contains(Predicts.LOSS_OF_MODEL)) {
                    throw wrongLaw(fit, card, "--fit", "a card that predicts the loss of a model (not " + card.law()
                            + (card.variable() == null ? "" : " of " + card.variable()) + ")");
                }
                yield PlotInputs.residuals(PlotInputs.observations(input, SweepLayout.RUNS_CSV), card, fit.toString(), w, h);
            }
            case backtest -> {
                FitCard c = PredictCommand.readCard(input);
                if (c.backtest() == null) {
                    throw new InvalidInputException(input, 0, "backtest", "the card has no backtest",
                            "fit with --backtest-cutoff or --backtest-largest");
                }
                yield Charts.backtest(c, w, h);
            }
            case emergence -> {
                SweepFolder folder = SweepFolder.open(input);
                var points = folder.probes(skill).stream().map(e -> new Charts.ProbePoint(e.getKey(), e.getValue())).toList();
                if (points.isEmpty()) {
                    throw new InvalidInputException(input, 0, "--skill", "no completed run has probes of '" + skill + "'",
                            "skills here: " + String.join(", ", folder.skills()));
                }
                yield Charts.emergence(skill, points, w, h);
            }
            case dynamics -> PlotInputs.dynamics(input, events, w, h);
            case law -> throw new IllegalStateException("drawn above");
            case heatmap -> {
                chart.checkHeatmap();
                yield PlotInputs.heatmap(input, chart.xColumn, chart.yColumn, chart.classColumn, chart.logX, chart.logY, w, h);
            }
        };
        return written(drawn);
    }

    private int written(XYChart drawn) {
        ChartFiles.write(drawn, out);
        spec.commandLine().getOut().println(out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static InvalidInputException wrongLaw(Path file, FitCard card, String option, String needed) {
        return new InvalidInputException(file, 0, option == null ? "law" : option, "a " + card.law() + " card cannot "
                + "be drawn this way", "give " + needed);
    }
}
