package dev.scalelab.plots;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Predictor;
import org.knowm.xchart.XYChart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The charts drawn from a file: which table each reads, and how its columns become the chart's series. */
public final class PlotInputs {
    private PlotInputs() {
    }

    /** The observations of a CSV, or of the table {@code inFolder} of a sweep folder. */
    public static List<Observation> observations(Path input, String inFolder) {
        Path csv = Files.isDirectory(input) ? input.resolve(inFolder) : input;
        return ObservationCsv.standard().read(csv).observations();
    }

    /** Log residuals of a card's predicted loss against each observation's. */
    public static XYChart residuals(List<Observation> rows, FitCard card, String cardName, int width, int height) {
        Predictor p = new Predictor(card, cardName);
        double[] predicted = rows.stream()
                .mapToDouble(o -> p.atModel(o.params(), o.tokens(),
                        o.uniqueTokens() == null ? Double.NaN : o.uniqueTokens()).outputs().get("loss").value()).toArray();
        return Charts.residuals(predicted, rows.stream().mapToDouble(Observation::loss).toArray(), card.law(), width, height);
    }

    /** Train and validation loss against step, from a run folder or its metrics.csv (step 0 left out). */
    public static XYChart dynamics(Path input, Map<Double, String> events, int width, int height) {
        Path metrics = Files.isDirectory(input) ? RunLayout.metrics(input) : input;
        List<double[]> rows = new ArrayList<>();
        for (CsvTable.Row row : CsvTable.read(metrics, "give a run folder or its " + RunLayout.METRICS).rows()) {
            if (row.whole("step") > 0) {
                rows.add(new double[] {row.number("step"), row.number("train_loss"), row.number("val_loss")});
            }
        }
        return Charts.dynamics("Training dynamics: " + input.getFileName(), rows.stream().mapToDouble(r -> r[0]).toArray(),
                rows.stream().mapToDouble(r -> r[1]).toArray(), rows.stream().mapToDouble(r -> r[2]).toArray(), events,
                width, height);
    }

    /** A class per grid cell from three columns of a CSV; each named column must exist, even with no rows. */
    public static XYChart heatmap(Path csv, String xColumn, String yColumn, String classColumn, boolean logX, boolean logY,
                                  int width, int height) {
        CsvTable table = CsvTable.read(csv, null);
        for (String name : List.of(xColumn, yColumn, classColumn)) {
            table.column(name);
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
        return Charts.heatmap(csv.getFileName().toString(), xColumn, yColumn, x, y, c, logX, logY, width, height);
    }

    /** An allocation chart's FLOP range when none is given: an isoflop card's budgets to 10x the largest. */
    public static double[] allocationRange(FitCard c) {
        if (c.isoflop() != null && !c.isoflop().vertices().isEmpty()) {
            double lo = c.isoflop().vertices().stream().mapToDouble(v -> v.budget()).min().orElse(1e18);
            double hi = c.isoflop().vertices().stream().mapToDouble(v -> v.budget()).max().orElse(1e21);
            return new double[] {lo, 10 * hi};
        }
        return new double[] {1e18, 1e22};
    }
}
