package dev.scalelab.plots;

import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Predictor;
import org.knowm.xchart.XYChart;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A law of one input drawn over its data: a one-variable law's loss against its x (params, tokens, flops
 * or another column), or a law of other columns' response against its input (error or accuracy against
 * loss, one loss against another), one series per group of the table ({@code plot law --group-by}), each
 * with its card's curve and confidence band.
 */
public final class LawCharts {
    /**
     * One group's points and, when it was fitted, its card.
     *
     * @param label the group's name in the legend (the table's name for a table of one group)
     * @param card  the group's fit card, or null to draw its points alone
     */
    public record Group(String label, double[] x, double[] y, FitCard card) {
    }

    private LawCharts() {
    }

    /**
     * @param input    the column on the x axis (the cards' input)
     * @param response the column on the y axis (the cards' response)
     * @param logX     whether x is drawn on a log axis (true for counts, false for losses)
     */
    public static XYChart response(String title, String input, String response, List<Group> groups, boolean logX,
                                   boolean logY, int width, int height) {
        return response(title, input, response, input, response, groups, logX, logY, width, height);
    }

    /** As above, with axis titles of their own ({@code xTitle}, {@code yTitle}) beside the columns' names. */
    public static XYChart response(String title, String input, String response, String xTitle, String yTitle,
                                   List<Group> groups, boolean logX, boolean logY, int width, int height) {
        XYChart chart = ChartStyle.chart(title, xTitle, yTitle, width, height, logX, logY);
        int i = 0;
        for (Group g : groups) {
            java.awt.Color color = ChartStyle.color(i++);
            ChartStyle.points(chart, g.label(), g.x(), g.y(), color);
            if (g.card() == null) {
                continue;
            }
            Predictor law = new Predictor(g.card(), g.label());
            double lo = Arrays.stream(g.x()).min().orElseThrow();
            double hi = Arrays.stream(g.x()).max().orElseThrow();
            int steps = 80;
            double[] x = new double[steps];
            double[] y = new double[steps];
            double[] bandLo = new double[steps];
            double[] bandHi = new double[steps];
            boolean band = true;
            for (int k = 0; k < steps; k++) {
                double t = k / (double) (steps - 1);
                // the data's range and a quarter beyond it each side, where the law extrapolates
                x[k] = logX ? lo * Math.pow(hi / lo, -0.25 + 1.5 * t) : lo + (hi - lo) * (-0.25 + 1.5 * t);
                FitCard.Estimate e = law.atInputs(Map.of(input, x[k])).outputs().get(response);
                y[k] = e.value();
                band &= e.lo() != null;
                bandLo[k] = band ? e.lo() : Double.NaN;
                bandHi[k] = band ? e.hi() : Double.NaN;
            }
            ChartStyle.hideInLegend(ChartStyle.line(chart, g.label() + " law", x, y, color, false, 1.6f));
            if (band) {
                ChartStyle.hideInLegend(ChartStyle.line(chart, g.label() + " confidence lo", x, bandLo,
                        ChartStyle.withAlpha(color, 140), true, 1f));
                ChartStyle.hideInLegend(ChartStyle.line(chart, g.label() + " confidence hi", x, bandHi,
                        ChartStyle.withAlpha(color, 140), true, 1f));
            }
        }
        return chart;
    }
}
