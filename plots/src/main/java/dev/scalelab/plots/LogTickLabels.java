package dev.scalelab.plots;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.AxesChartStyler;

import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The labels XChart 3.8.8 leaves off a log axis. Its logarithmic tick calculator marks 1..9 × 10^k
 * but labels only the decades, so an axis spanning less than two decades (an isoFLOP sweep's model
 * sizes) can carry a single label, or none. On such an axis this part labels the 2 and 5 multiples
 * as well, at XChart's own tick positions (the chart's data-to-screen mapping), in the axis's font,
 * colour and decimal pattern, so they read as the same row of labels as XChart's decades (1E4, 2E4,
 * 5E4, 1E5). It paints through the chart's Graphics2D after the chart, so PNG and SVG show it
 * alike, and it changes no series, so data and legend stay as they are. (A custom tick label
 * function would make XChart tick a log axis as if it were linear; plotting log10 of the data would
 * tick at equal steps of log10, never at log10 2 and log10 5.)
 */
final class LogTickLabels extends Annotation {
    /** Axes spanning fewer decades than this get their 2 and 5 multiples labelled. */
    static final double LABEL_TWOS_AND_FIVES_BELOW_DECADES = 2;

    enum Direction { X, Y }

    /** A label this part painted: the value it marks, its text and where its glyphs are. */
    record Label(Direction axis, double value, String text, Rectangle2D bounds) {
    }

    private final XYChart xy;
    private final List<Label> painted = new ArrayList<>();

    LogTickLabels(XYChart chart) {
        super(false);
        this.xy = chart;
    }

    /** The labels of the last paint (empty before the chart is first drawn). */
    List<Label> painted() {
        return List.copyOf(painted);
    }

    @Override
    public void paint(Graphics2D g) {
        painted.clear();
        AxesChartStyler s = xy.getStyler();
        Shape clip = g.getClip();
        g.setClip(null);
        if (s.isXAxisLogarithmic() && s.isXAxisTicksVisible()) {
            paintAxis(g, Direction.X, s);
        }
        if (s.isYAxisLogarithmic() && s.isYAxisTicksVisible()) {
            paintAxis(g, Direction.Y, s);
        }
        g.setClip(clip);
    }

    private void paintAxis(Graphics2D g, Direction axis, AxesChartStyler s) {
        double[] range = range(axis, s);
        if (range == null) {
            return;
        }
        List<Double> values = twosAndFives(range[0], range[1]);
        if (values.isEmpty()) {
            return;
        }
        String pattern = axis == Direction.X ? s.getXAxisDecimalPattern() : s.getYAxisDecimalPattern();
        DecimalFormat format = (DecimalFormat) NumberFormat.getNumberInstance(s.getLocale());
        format.applyPattern(pattern == null ? ChartStyle.LOG_PATTERN : pattern);
        g.setColor(axis == Direction.X ? s.getXAxisTickLabelsColor() : s.getYAxisTickLabelsColor());
        int gap = s.getAxisTickMarkLength() + s.getAxisTickPadding();
        double plotLeft = getXAxisScreenValueForMin();
        double labelsBottom = xLabelsBottom(g, s);
        for (double v : values) {
            String text = format.format(v);
            TextLayout layout = new TextLayout(text, s.getAxisTickLabelsFont(), g.getFontRenderContext());
            Shape glyphs = layout.getOutline(null);
            Rectangle2D box = glyphs.getBounds2D();
            double dx;
            double dy;
            if (axis == Direction.X) {
                // centred under the tick, on the bottom line of XChart's labels
                dx = xy.getScreenXFromChart(v) - box.getWidth() / 2 - box.getX();
                dy = labelsBottom - box.getHeight() - box.getY();
            } else {
                // right-aligned where XChart's widest label ends, a tick mark and the tick padding left of
                // the plot, centred on the tick
                dx = plotLeft - gap - box.getWidth() - box.getX();
                dy = xy.getScreenYFromChart(v) - box.getHeight() / 2 - box.getY();
            }
            AffineTransform saved = g.getTransform();
            g.translate(dx, dy);
            g.fill(glyphs);
            g.setTransform(saved);
            painted.add(new Label(axis, v, text, new Rectangle2D.Double(box.getX() + dx, box.getY() + dy,
                    box.getWidth(), box.getHeight())));
        }
    }

    /**
     * Where XChart 3.8.8 puts the bottom of the x axis's tick labels (AxisTickLabels, AxisTitle): the
     * axis title's top less the title padding, the title sitting on the chart's bottom padding. This
     * holds with the legend beside the plot, as ChartStyle places it.
     */
    private double xLabelsBottom(Graphics2D g, AxesChartStyler s) {
        double bottom = xy.getHeight() - s.getChartPadding();
        String title = xy.getXAxisTitle();
        if (s.isXAxisTitleVisible() && title != null && !title.isBlank()) {
            bottom -= new TextLayout(title, s.getAxisTitleFont(), g.getFontRenderContext()).getBounds().getHeight()
                    + s.getAxisTitlePadding();
        }
        return bottom;
    }

    /** The axis's data range, as XChart sets it: the styler's bounds, else every series' extent. */
    private double[] range(Direction axis, AxesChartStyler s) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (XYSeries series : xy.getSeriesMap().values()) {
            lo = Math.min(lo, axis == Direction.X ? series.getXMin() : series.getYMin());
            hi = Math.max(hi, axis == Direction.X ? series.getXMax() : series.getYMax());
        }
        Double min = axis == Direction.X ? s.getXAxisMin() : s.getYAxisMin();
        Double max = axis == Direction.X ? s.getXAxisMax() : s.getYAxisMax();
        lo = min != null ? min : lo;
        hi = max != null ? max : hi;
        return lo > 0 && hi > lo && Double.isFinite(hi) ? new double[] {lo, hi} : null;
    }

    /** 2 × 10^k and 5 × 10^k in [lo, hi] when the range spans fewer than two decades, else none. */
    static List<Double> twosAndFives(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        if (!(lo > 0) || !(hi > lo) || Math.log10(hi / lo) >= LABEL_TWOS_AND_FIVES_BELOW_DECADES) {
            return out;
        }
        for (int k = (int) Math.floor(Math.log10(lo)) - 1; k <= (int) Math.ceil(Math.log10(hi)); k++) {
            for (int m : new int[] {2, 5}) {
                // as XChart's calculator forms its ticks, 10^k · m, so the positions coincide
                double v = Math.pow(10, k) * m;
                if (v >= lo && v <= hi) {
                    out.add(v);
                }
            }
        }
        return out;
    }
}
