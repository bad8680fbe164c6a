package dev.scalelab.plots;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.Locale;

/**
 * The one look of every scalelab chart: white background, a colour-blind-safe palette (Okabe and
 * Ito 2008), the legend outside the plot so it never covers data, large readable fonts at the
 * default 1200×800, and log axes labelled at every decade, and at 2 and 5 times one where an axis
 * spans fewer than two decades.
 */
public final class ChartStyle {
    public static final int WIDTH = 1200;
    public static final int HEIGHT = 800;
    public static final Color[] PALETTE = {
            new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115), new Color(204, 121, 167),
            new Color(86, 180, 233), new Color(213, 94, 0), new Color(240, 228, 66), new Color(0, 0, 0)};
    public static final Color MUTED = new Color(170, 170, 170);
    /** Every log axis's labels: 1E4, 2E4, 5E4, 1E5. */
    static final String LOG_PATTERN = "0.##E0";

    private ChartStyle() {
    }

    public static XYChart chart(String title, String xTitle, String yTitle, int width, int height, boolean logX, boolean logY) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        Styler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(new Color(90, 90, 90));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(Color.WHITE);
        s.setSeriesColors(PALETTE);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setAntiAlias(true);
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 18));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        // XChart labels a log axis's decades only, and a custom label function would switch it back to
        // linear ticks, so log axes keep XChart's ticks with a scientific decimal pattern (1E12, not SI
        // suffixes), and LogTickLabels adds 2E4 and 5E4 in the same pattern where an axis spans fewer
        // than two decades
        chart.getStyler().setXAxisDecimalPattern(logX ? LOG_PATTERN : "0.###");
        chart.getStyler().setYAxisDecimalPattern(logY ? LOG_PATTERN : "0.###");
        chart.addAnnotation(new LogTickLabels(chart));
        return chart;
    }

    /** 3 → "3", 1e6 → "1M", 2.5e12 → "2.5T": SI suffixes, as the axes of scaling-law papers use. */
    public static String si(Double v) {
        if (v == null || v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        String[] suffix = {"", "k", "M", "G", "T", "P", "E", "Z"};
        int k = a >= 1 ? (int) Math.min(7, Math.floor(Math.log10(a) / 3)) : 0;
        double scaled = v / Math.pow(1000, k);
        String num = Math.abs(scaled - Math.rint(scaled)) < 1e-9 ? Long.toString(Math.round(scaled))
                : String.format(Locale.ROOT, a < 1 ? "%.3g" : "%.2g", scaled);
        return num + suffix[k];
    }

    public static XYSeries points(XYChart chart, String name, double[] x, double[] y, Color color) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        if (color != null) {
            s.setMarkerColor(color);
        }
        return s;
    }

    public static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, boolean dashed, float width) {
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        if (color != null) {
            s.setLineColor(color);
        }
        s.setLineStyle(dashed ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {8f, 6f}, 0f) : new BasicStroke(width));
        return s;
    }

    public static void hideInLegend(XYSeries s) {
        s.setShowInLegend(false);
    }

    static Color color(int i) {
        return PALETTE[Math.floorMod(i, PALETTE.length)];
    }

    static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }
}
