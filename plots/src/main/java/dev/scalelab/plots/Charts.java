package dev.scalelab.plots;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.model.ParamCount;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Predictor;
import dev.scalelab.fitting.fit.IsoFlop;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The charts of a scaling study, each from plain data so it can be tested without files. */
public final class Charts {
    private Charts() {
    }

    /**
     * Loss against compute: every run's validation curve, the compute-efficient frontier, the fitted
     * law's loss at the compute-optimal allocation (Hoffmann et al. 2022, eq. 4) extrapolated to the
     * target budget with its bootstrap band, and the prediction there.
     */
    public static XYChart lossVsCompute(List<Observation> curves, FitCard chinchilla, double targetFlops,
                                        double floor, String convention, int width, int height) {
        return lossVsCompute(curves, chinchilla, targetFlops, floor, convention, null, width, height);
    }

    /** As above, with {@code check} = {flops, loss} of a run trained to test the prediction (null for none). */
    public static XYChart lossVsCompute(List<Observation> curves, FitCard chinchilla, double targetFlops,
                                        double floor, String convention, double[] check, int width, int height) {
        XYChart chart = ChartStyle.chart("Loss vs compute", "training compute C (FLOPs, " + convention + ")",
                "validation loss (nats/token)", width, height, true, spansDecades(curves));
        Map<String, List<Observation>> byRun = new TreeMap<>();
        for (Observation o : curves) {
            byRun.computeIfAbsent(o.run() == null ? "run" : o.run(), k -> new ArrayList<>()).add(o);
        }
        boolean first = true;
        for (Map.Entry<String, List<Observation>> run : byRun.entrySet()) {
            List<Observation> pts = new ArrayList<>(run.getValue());
            pts.sort(Comparator.comparingDouble(Observation::flops));
            XYSeries s = ChartStyle.line(chart, first ? "training runs" : "run " + run.getKey(),
                    pts.stream().mapToDouble(Observation::flops).toArray(),
                    pts.stream().mapToDouble(Observation::loss).toArray(), ChartStyle.MUTED, false, 1.2f);
            s.setShowInLegend(first);
            first = false;
        }
        List<Observation> all = new ArrayList<>(curves);
        all.sort(Comparator.comparingDouble(Observation::flops));
        List<double[]> frontier = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (Observation o : all) {
            if (o.loss() < best) {
                best = o.loss();
                frontier.add(new double[] {o.flops(), o.loss()});
            }
        }
        if (!frontier.isEmpty()) {
            XYSeries f = ChartStyle.line(chart, "compute-efficient frontier", col(frontier, 0), col(frontier, 1),
                    Color.BLACK, false, 2.5f);
            f.setMarker(SeriesMarkers.CIRCLE);
            f.setMarkerColor(Color.BLACK);
        }
        double lo = all.isEmpty() ? 1 : all.get(0).flops();
        double hi = all.isEmpty() ? 10 : all.get(all.size() - 1).flops();
        if (chinchilla != null) {
            Predictor p = new Predictor(chinchilla, "fit card");
            double top = Double.isNaN(targetFlops) ? hi : Math.max(hi, targetFlops);
            fitCurve(chart, p, lo, hi, top);
            if (!Double.isNaN(targetFlops)) {
                FitCard.Estimate e = p.atBudget(targetFlops).outputs().get("loss");
                XYSeries pt = ChartStyle.points(chart, String.format(java.util.Locale.ROOT, "prediction at %s: %.3f%s%s",
                        ChartStyle.si(targetFlops), e.value(), e.lo() == null ? ""
                                : String.format(java.util.Locale.ROOT, ", mean [%.3f, %.3f]", e.lo(), e.hi()),
                        e.prediction() == null ? "" : String.format(java.util.Locale.ROOT, ", one run [%.3f, %.3f]",
                                e.prediction().get(0), e.prediction().get(1))),
                        new double[] {targetFlops}, new double[] {e.value()}, ChartStyle.color(5));
                pt.setMarker(SeriesMarkers.DIAMOND);
            }
        }
        if (check != null) {
            XYSeries pt = ChartStyle.points(chart, String.format(java.util.Locale.ROOT, "check run at %s: %.3f",
                    ChartStyle.si(check[0]), check[1]), new double[] {check[0]}, new double[] {check[1]}, Color.BLACK);
            pt.setMarker(SeriesMarkers.CROSS);
        }
        if (!Double.isNaN(floor)) {
            double top = Double.isNaN(targetFlops) ? hi : Math.max(hi, targetFlops);
            ChartStyle.line(chart, String.format(java.util.Locale.ROOT, "entropy floor %.4f", floor),
                    new double[] {lo, top}, new double[] {floor, floor}, ChartStyle.color(2), true, 1.5f);
        }
        return chart;
    }

    /**
     * The fitted loss at the optimum: solid over the data, dashed beyond, with the confidence band of the law's
     * mean and, when the card has residuals, the prediction band of one new run ({@link Predictor}).
     */
    private static void fitCurve(XYChart chart, Predictor p, double lo, double hi, double top) {
        int n = 60;
        double[] c = new double[n];
        double[] v = new double[n];
        double[] bl = new double[n];
        double[] bh = new double[n];
        double[] pl = new double[n];
        double[] ph = new double[n];
        boolean band = true;
        boolean predictionBand = true;
        double level = Double.NaN;
        for (int i = 0; i < n; i++) {
            c[i] = Math.exp(Math.log(lo) + (Math.log(top) - Math.log(lo)) * i / (n - 1));
            FitCard.Estimate e = p.atBudget(c[i]).outputs().get("loss");
            v[i] = e.value();
            band &= e.lo() != null;
            bl[i] = e.lo() == null ? e.value() : e.lo();
            bh[i] = e.hi() == null ? e.value() : e.hi();
            predictionBand &= e.prediction() != null;
            pl[i] = e.prediction() == null ? e.value() : e.prediction().get(0);
            ph[i] = e.prediction() == null ? e.value() : e.prediction().get(1);
            level = e.level() == null ? level : e.level();
        }
        int split = 0;
        while (split < n - 1 && c[split] < hi) {
            split++;
        }
        Color fit = ChartStyle.color(0);
        ChartStyle.line(chart, "fitted law, at the optimal N and D", java.util.Arrays.copyOf(v.length > 0 ? c : c, split + 1),
                java.util.Arrays.copyOf(v, split + 1), fit, false, 3f);
        if (split < n - 1) {
            ChartStyle.line(chart, "extrapolation", java.util.Arrays.copyOfRange(c, split, n),
                    java.util.Arrays.copyOfRange(v, split, n), fit, true, 3f);
        }
        String percent = String.format(java.util.Locale.ROOT, "%.0f%%", 100 * level);
        if (band) {
            ChartStyle.line(chart, percent + " confidence band (the law's mean)", c, bl, ChartStyle.withAlpha(fit, 150),
                    true, 1.2f);
            XYSeries upper = ChartStyle.line(chart, "band upper", c, bh, ChartStyle.withAlpha(fit, 150), true, 1.2f);
            upper.setShowInLegend(false);
        }
        if (predictionBand) {
            Color run = ChartStyle.color(3);
            ChartStyle.line(chart, percent + " prediction band (one new run)", c, pl, ChartStyle.withAlpha(run, 150),
                    true, 1.2f);
            XYSeries upper = ChartStyle.line(chart, "prediction band upper", c, ph, ChartStyle.withAlpha(run, 150), true,
                    1.2f);
            upper.setShowInLegend(false);
        }
    }

    /**
     * IsoFLOP curves: loss against parameters per budget, and each budget's parabola in log N as
     * approach 2 fitted it (the card's window, or the default without a card) with its minimum.
     */
    public static XYChart isoflop(List<Observation> runs, FitCard isoflop, int width, int height) {
        XYChart chart = ChartStyle.chart("IsoFLOP curves", paramsAxis(isoflop == null ? ParamCount.NON_EMBEDDING
                        : isoflop.flops().params()), "validation loss (nats/token)",
                width, height, true, false);
        Map<Double, List<Observation>> byBudget = new TreeMap<>();
        for (Observation o : runs) {
            byBudget.computeIfAbsent(o.budget() != null ? o.budget() : o.flops(), k -> new ArrayList<>()).add(o);
        }
        int window = isoflop != null && isoflop.isoflop() != null ? isoflop.isoflop().window() : IsoFlop.DEFAULT_WINDOW;
        Map<Double, IsoFlop.Parabola> parabolas = new TreeMap<>();
        for (IsoFlop.Parabola p : IsoFlop.parabolas(runs.stream().mapToDouble(o -> o.budget() != null ? o.budget()
                        : o.flops()).toArray(), runs.stream().mapToDouble(Observation::params).toArray(),
                runs.stream().mapToDouble(Observation::tokens).toArray(),
                runs.stream().mapToDouble(Observation::loss).toArray(), window)) {
            parabolas.put(p.budget(), p);
        }
        int i = 0;
        for (Map.Entry<Double, List<Observation>> b : byBudget.entrySet()) {
            Color color = ChartStyle.color(i++);
            List<Observation> pts = new ArrayList<>(b.getValue());
            pts.sort(Comparator.comparingDouble(Observation::params));
            String label = "C = " + ChartStyle.si(b.getKey());
            ChartStyle.points(chart, label, pts.stream().mapToDouble(Observation::params).toArray(),
                    pts.stream().mapToDouble(Observation::loss).toArray(), color);
            IsoFlop.Parabola q = parabolas.get(b.getKey());
            if (q != null) {
                double lo = Math.log(q.minParams());
                double hi = Math.log(q.maxParams());
                int n = 40;
                double[] x = new double[n];
                double[] y = new double[n];
                for (int k = 0; k < n; k++) {
                    x[k] = Math.exp(lo + (hi - lo) * k / (n - 1));
                    y[k] = q.loss(x[k]);
                }
                ChartStyle.hideInLegend(ChartStyle.line(chart, label + " parabola", x, y, color, false, 1.8f));
            }
        }
        if (isoflop != null && isoflop.isoflop() != null && !isoflop.isoflop().vertices().isEmpty()) {
            List<IsoFlop.Vertex> v = isoflop.isoflop().vertices();
            XYSeries m = ChartStyle.points(chart, "minima (approach 2)", v.stream().mapToDouble(IsoFlop.Vertex::params).toArray(),
                    v.stream().mapToDouble(IsoFlop.Vertex::loss).toArray(), Color.BLACK);
            m.setMarker(SeriesMarkers.DIAMOND);
        }
        return chart;
    }

    /** Compute-optimal allocation: N*(C) and D*(C) with their power-law fits and bands. */
    public static XYChart allocation(FitCard card, double lo, double hi, String convention, int width, int height) {
        XYChart chart = ChartStyle.chart("Compute-optimal allocation", "training compute C (FLOPs, " + convention + ")",
                "parameters N* and tokens D*", width, height, true, true);
        Predictor p = new Predictor(card, "fit card");
        if (card.isoflop() != null && !card.isoflop().vertices().isEmpty()) {
            List<IsoFlop.Vertex> v = card.isoflop().vertices();
            ChartStyle.points(chart, "N* per budget", v.stream().mapToDouble(IsoFlop.Vertex::budget).toArray(),
                    v.stream().mapToDouble(IsoFlop.Vertex::params).toArray(), ChartStyle.color(0));
            ChartStyle.points(chart, "D* per budget", v.stream().mapToDouble(IsoFlop.Vertex::budget).toArray(),
                    v.stream().mapToDouble(IsoFlop.Vertex::tokens).toArray(), ChartStyle.color(1));
        }
        int n = 50;
        double[] c = new double[n];
        double[][] out = new double[6][n];
        boolean band = true;
        for (int i = 0; i < n; i++) {
            c[i] = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / (n - 1));
            Predictor.Prediction pr = p.atBudget(c[i]);
            FitCard.Estimate np = pr.outputs().get("params");
            FitCard.Estimate dp = pr.outputs().get("tokens");
            out[0][i] = np.value();
            out[1][i] = dp.value();
            band &= np.lo() != null;
            out[2][i] = np.lo() == null ? np.value() : np.lo();
            out[3][i] = np.hi() == null ? np.value() : np.hi();
            out[4][i] = dp.lo() == null ? dp.value() : dp.lo();
            out[5][i] = dp.hi() == null ? dp.value() : dp.hi();
        }
        double a = card.parameters().get("a").value();
        double b = card.parameters().get("b").value();
        ChartStyle.line(chart, String.format(java.util.Locale.ROOT, "N* ∝ C^%.3f", a), c, out[0], ChartStyle.color(0), false, 2.5f);
        ChartStyle.line(chart, String.format(java.util.Locale.ROOT, "D* ∝ C^%.3f", b), c, out[1], ChartStyle.color(1), false, 2.5f);
        if (band) {
            ChartStyle.line(chart, "95% bands", c, out[2], ChartStyle.withAlpha(ChartStyle.color(0), 140), true, 1.2f);
            ChartStyle.hideInLegend(ChartStyle.line(chart, "N* hi", c, out[3], ChartStyle.withAlpha(ChartStyle.color(0), 140), true, 1.2f));
            ChartStyle.hideInLegend(ChartStyle.line(chart, "D* lo", c, out[4], ChartStyle.withAlpha(ChartStyle.color(1), 140), true, 1.2f));
            ChartStyle.hideInLegend(ChartStyle.line(chart, "D* hi", c, out[5], ChartStyle.withAlpha(ChartStyle.color(1), 140), true, 1.2f));
        }
        return chart;
    }

    /** The parameter axis's title: what N counts. */
    static String paramsAxis(ParamCount count) {
        return "parameters N (" + count.id() + ")";
    }

    /**
     * Kaplan-style: loss against one variable (params or tokens), one colour per value of the other grouping;
     * {@code count} is what the runs' N counts.
     */
    public static XYChart lossVs(List<Observation> runs, boolean params, ParamCount count, int width, int height) {
        XYChart chart = ChartStyle.chart(params ? "Loss vs parameters" : "Loss vs tokens",
                params ? paramsAxis(count) : "training tokens D", "validation loss (nats/token)",
                width, height, true, spansDecades(runs));
        Map<Double, List<Observation>> groups = new TreeMap<>();
        for (Observation o : runs) {
            double key = o.budget() != null ? o.budget() : params ? o.tokens() : o.params();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
        }
        boolean budgets = runs.stream().anyMatch(o -> o.budget() != null);
        int i = 0;
        for (Map.Entry<Double, List<Observation>> g : groups.entrySet()) {
            List<Observation> pts = new ArrayList<>(g.getValue());
            pts.sort(Comparator.comparingDouble(o -> params ? o.params() : o.tokens()));
            String label = (budgets ? "C = " : params ? "D = " : "N = ") + ChartStyle.si(g.getKey());
            XYSeries s = ChartStyle.line(chart, label, pts.stream().mapToDouble(o -> params ? o.params() : o.tokens()).toArray(),
                    pts.stream().mapToDouble(Observation::loss).toArray(), ChartStyle.color(i++), false, 1.8f);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    /** Log residuals of a fit against its prediction. */
    public static XYChart residuals(double[] predicted, double[] actual, String law, int width, int height) {
        XYChart chart = ChartStyle.chart("Residuals of the " + law + " fit", "predicted loss (nats/token)",
                "log(actual) − log(predicted)", width, height, false, false);
        double[] r = new double[predicted.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.log(actual[i]) - Math.log(predicted[i]);
        }
        ChartStyle.points(chart, "runs", predicted, r, ChartStyle.color(0));
        double lo = java.util.Arrays.stream(predicted).min().orElse(0);
        double hi = java.util.Arrays.stream(predicted).max().orElse(1);
        ChartStyle.line(chart, "zero", new double[] {lo, hi}, new double[] {0, 0}, Color.BLACK, true, 1.2f);
        return chart;
    }

    /** Backtest: predicted against actual loss for held-out runs, the y = x line and the mean error band. */
    public static XYChart backtest(FitCard card, int width, int height) {
        XYChart chart = ChartStyle.chart("Backtest: " + card.backtest().split(), "actual loss (nats/token)",
                "predicted loss (nats/token)", width, height, false, false);
        List<FitCard.Case> cases = card.backtest().cases();
        double[] actual = cases.stream().mapToDouble(FitCard.Case::loss).toArray();
        double[] pred = cases.stream().mapToDouble(FitCard.Case::predicted).toArray();
        double lo = Math.min(java.util.Arrays.stream(actual).min().orElse(0), java.util.Arrays.stream(pred).min().orElse(0));
        double hi = Math.max(java.util.Arrays.stream(actual).max().orElse(1), java.util.Arrays.stream(pred).max().orElse(1));
        double m = card.backtest().meanAbsRelativeError();
        ChartStyle.line(chart, "y = x", new double[] {lo, hi}, new double[] {lo, hi}, Color.BLACK, false, 1.5f);
        ChartStyle.line(chart, String.format(java.util.Locale.ROOT, "±%.1f%% (mean |error|)", 100 * m),
                new double[] {lo, hi}, new double[] {lo * (1 + m), hi * (1 + m)}, ChartStyle.MUTED, true, 1.2f);
        ChartStyle.hideInLegend(ChartStyle.line(chart, "lower", new double[] {lo, hi},
                new double[] {lo * (1 - m), hi * (1 - m)}, ChartStyle.MUTED, true, 1.2f));
        ChartStyle.points(chart, "held-out runs", actual, pred, ChartStyle.color(5));
        return chart;
    }

    /** One point of a skill's probe: a model's size and its metrics there. */
    public record ProbePoint(double params, Map<String, Double> metrics) {
    }

    /**
     * Emergence: one skill's metrics against model size on one [0, 1] axis, the discontinuous exact
     * match beside continuous ones (token accuracy, and the answer's per-token probability,
     * exp(mean log-probability)), which is how a "mirage" shows (Schaeffer et al. 2023).
     */
    public static XYChart emergence(String skill, List<ProbePoint> points, int width, int height) {
        return emergence(skill, points, Map.of(), width, height);
    }

    /** Metrics where lower is better, left off the emergence chart's score axis. */
    private static final java.util.regex.Pattern LOWER_IS_BETTER =
            java.util.regex.Pattern.compile("(?i)brier|distance|loss|ppl|perplexity|entropy|error");

    /**
     * The same, for any evaluation table: the known metrics first, then every other metric whose values
     * lie in [0, 1] and where higher is better; {@code predictedExact} (params to p^L, exact match predicted from per-token
     * accuracy) is drawn as a dashed line when given.
     */
    public static XYChart emergence(String title, List<ProbePoint> points, Map<Double, Double> predictedExact,
                                    int width, int height) {
        XYChart chart = ChartStyle.chart("Emergence: " + title, "parameters N (non-embedding)", "score (0 to 1)",
                width, height, true, false);
        List<ProbePoint> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(ProbePoint::params));
        double[] x = sorted.stream().mapToDouble(ProbePoint::params).toArray();
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("exact_match", "exact match (whole answer)");
        labels.put("token_accuracy", "per-token accuracy");
        labels.put("answer_logprob", "answer probability per token, exp(mean log p)");
        for (ProbePoint p : sorted) {
            for (Map.Entry<String, Double> m : p.metrics().entrySet()) {
                if (!labels.containsKey(m.getKey()) && !LOWER_IS_BETTER.matcher(m.getKey()).find() && sorted.stream().allMatch(q -> {
                    Double v = q.metrics().get(m.getKey());
                    return v == null || (v >= 0 && v <= 1);
                })) {
                    labels.put(m.getKey(), m.getKey());
                }
            }
        }
        int i = 0;
        for (Map.Entry<String, String> m : labels.entrySet()) {
            double[] y = new double[sorted.size()];
            boolean any = false;
            for (int k = 0; k < y.length; k++) {
                Double v = sorted.get(k).metrics().get(m.getKey());
                y[k] = v == null ? Double.NaN : m.getKey().equals("answer_logprob") ? Math.exp(v) : v;
                any |= v != null;
            }
            if (any) {
                // points, not lines: a sweep has several runs of one size (different budgets), and a line
                // through them would zigzag
                XYSeries s = ChartStyle.points(chart, m.getValue(), x, y, ChartStyle.color(i));
                s.setMarker(i % 3 == 0 ? SeriesMarkers.CIRCLE : i % 3 == 1 ? SeriesMarkers.SQUARE : SeriesMarkers.DIAMOND);
            }
            i++;
        }
        if (!predictedExact.isEmpty()) {
            double[] px = predictedExact.keySet().stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] py = java.util.Arrays.stream(px).map(predictedExact::get).toArray();
            XYSeries s = ChartStyle.line(chart, "exact match predicted as p^L", px, py, ChartStyle.color(i), true, 1.5f);
            s.setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        return chart;
    }

    /** Training dynamics of one run: train and validation loss against step (log axis), events marked. */
    public static XYChart dynamics(String title, double[] steps, double[] train, double[] val, Map<Double, String> events,
                                   int width, int height) {
        XYChart chart = ChartStyle.chart(title, "optimizer step", "loss (nats/token)", width, height, true, false);
        ChartStyle.line(chart, "train loss (mean since the last evaluation)", steps, train, ChartStyle.color(0), false, 2f);
        XYSeries v = ChartStyle.line(chart, "validation loss", steps, val, ChartStyle.color(1), false, 2f);
        v.setMarker(SeriesMarkers.CIRCLE);
        double lo = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(train), java.util.Arrays.stream(val))
                .filter(Double::isFinite).min().orElse(0);
        double hi = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(train), java.util.Arrays.stream(val))
                .filter(Double::isFinite).max().orElse(1);
        int i = 2;
        for (Map.Entry<Double, String> e : events.entrySet()) {
            ChartStyle.line(chart, e.getValue() + " (step " + ChartStyle.si(e.getKey()) + ")",
                    new double[] {e.getKey(), e.getKey()}, new double[] {lo, hi}, ChartStyle.color(i++), true, 1.5f);
        }
        return chart;
    }

    /** A classification over a 2-D grid: one marker colour per class (used by the grokking phase diagram). */
    /**
     * A grokking run's accuracies against step (log axis): training and validation accuracy of the
     * answer, with the memorisation and generalisation steps marked (Power et al. 2022, figure 1).
     */
    public static XYChart grokking(String title, double[] steps, double[] trainAccuracy, double[] validationAccuracy,
                                   Map<Double, String> events, int width, int height) {
        XYChart chart = ChartStyle.chart(title, "optimizer step", "accuracy of the answer", width, height, true, false);
        XYSeries t = ChartStyle.line(chart, "train accuracy", steps, trainAccuracy, ChartStyle.color(0), false, 2f);
        t.setMarker(SeriesMarkers.SQUARE);
        XYSeries v = ChartStyle.line(chart, "validation accuracy", steps, validationAccuracy, ChartStyle.color(1), false, 2f);
        v.setMarker(SeriesMarkers.CIRCLE);
        int i = 2;
        for (Map.Entry<Double, String> e : events.entrySet()) {
            ChartStyle.line(chart, e.getValue() + " (step " + ChartStyle.si(e.getKey()) + ")",
                    new double[] {e.getKey(), e.getKey()}, new double[] {0, 1}, ChartStyle.color(i++), true, 1.5f);
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        return chart;
    }

    public static XYChart heatmap(String title, String xTitle, String yTitle, double[] x, double[] y, String[] classes,
                                  boolean logX, boolean logY, int width, int height) {
        XYChart chart = ChartStyle.chart(title, xTitle, yTitle, width, height, logX, logY);
        Map<String, List<double[]>> byClass = new TreeMap<>();
        for (int k = 0; k < x.length; k++) {
            byClass.computeIfAbsent(classes[k], c -> new ArrayList<>()).add(new double[] {x[k], y[k]});
        }
        int i = 0;
        for (Map.Entry<String, List<double[]>> e : byClass.entrySet()) {
            XYSeries s = ChartStyle.points(chart, e.getKey(), col(e.getValue(), 0), col(e.getValue(), 1), ChartStyle.color(i++));
            s.setMarker(SeriesMarkers.SQUARE);
        }
        chart.getStyler().setMarkerSize(26);
        return chart;
    }

    /** Log axes only where the quantity spans a decade or more; a loss between 1 and 4 reads better linear. */
    static boolean spansDecades(List<Observation> rows) {
        double lo = rows.stream().mapToDouble(Observation::loss).min().orElse(1);
        double hi = rows.stream().mapToDouble(Observation::loss).max().orElse(1);
        return hi >= 10 * lo;
    }

    private static double[] col(List<double[]> rows, int c) {
        return rows.stream().mapToDouble(r -> r[c]).toArray();
    }
}
