package dev.scalelab.plots;

import dev.scalelab.core.data.Observation;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Predictor;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Repeated data (Muennighoff et al. 2023, Figure 3 style): loss against epochs over the unique data,
 * one series per model size and unique-token count, and a data-constrained card's curve through each.
 */
public final class RepeatCharts {
    /** At most this many (N, U) groups are drawn, those with the most runs; the title says when some are left out. */
    static final int MOST_GROUPS = 10;

    private RepeatCharts() {
    }

    /**
     * @param runs rows with unique tokens (others are an IllegalArgumentException naming how many lack them)
     * @param card a data-constrained card to draw, or null
     */
    public static XYChart epochs(List<Observation> runs, FitCard card, int width, int height) {
        long missing = runs.stream().filter(o -> o.uniqueTokens() == null).count();
        if (missing > 0) {
            throw new IllegalArgumentException(missing + " of " + runs.size() + " rows have no unique tokens");
        }
        Map<List<Double>, List<Observation>> groups = new LinkedHashMap<>();
        for (Observation o : runs) {
            groups.computeIfAbsent(List.of(o.params(), o.uniqueTokens()), k -> new ArrayList<>()).add(o);
        }
        List<Map.Entry<List<Double>, List<Observation>>> drawn = new ArrayList<>(groups.entrySet());
        drawn.sort(Comparator.comparingInt((Map.Entry<List<Double>, List<Observation>> e) -> -e.getValue().size()));
        boolean cut = drawn.size() > MOST_GROUPS;
        drawn = drawn.subList(0, Math.min(MOST_GROUPS, drawn.size()));
        drawn.sort(Comparator.comparingDouble((Map.Entry<List<Double>, List<Observation>> e) -> e.getKey().get(0))
                .thenComparingDouble(e -> e.getKey().get(1)));
        String title = "Loss vs epochs of the unique data" + (cut ? " (the " + MOST_GROUPS + " largest of "
                + groups.size() + " groups)" : "");
        XYChart chart = ChartStyle.chart(title, "epochs (tokens / unique tokens)", "validation loss (nats/token)", width,
                height, true, false);
        Predictor law = card == null ? null : new Predictor(card, "fit card");
        int i = 0;
        for (Map.Entry<List<Double>, List<Observation>> g : drawn) {
            double n = g.getKey().get(0);
            double u = g.getKey().get(1);
            List<Observation> pts = new ArrayList<>(g.getValue());
            pts.sort(Comparator.comparingDouble(Observation::tokens));
            String label = "N = " + ChartStyle.si(n) + ", U = " + ChartStyle.si(u);
            ChartStyle.points(chart, label, pts.stream().mapToDouble(o -> o.tokens() / u).toArray(),
                    pts.stream().mapToDouble(Observation::loss).toArray(), ChartStyle.color(i));
            if (law != null) {
                double top = 1.5 * pts.stream().mapToDouble(o -> o.tokens() / u).max().orElse(1);
                int steps = 60;
                double[] x = new double[steps];
                double[] y = new double[steps];
                for (int k = 0; k < steps; k++) {
                    x[k] = Math.pow(Math.max(top, 1.01), k / (double) (steps - 1));
                    y[k] = law.atModel(n, u * x[k], u).outputs().get("loss").value();
                }
                ChartStyle.hideInLegend(ChartStyle.line(chart, label + " law", x, y, ChartStyle.color(i), false, 1.6f));
            }
            i++;
        }
        return chart;
    }
}
