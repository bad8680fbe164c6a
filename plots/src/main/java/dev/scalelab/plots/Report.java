package dev.scalelab.plots;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.io.AtomicFiles;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Predictor;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTML report of a sweep: one self-contained page (its images beside it, nothing from the
 * network) with the charts, the fit cards as tables with intervals, the prediction for a larger
 * budget, the warnings, the corpus, and the commands that made it.
 */
public final class Report {
    /**
     * @param fits        fit cards by title; the first chinchilla card drives the loss-vs-compute chart
     * @param targetFlops the budget to predict (NaN for none)
     * @param floor       the exact floor the E-fixed fit holds (NaN if unknown)
     * @param check       a run trained at the target budget to check the prediction, or null
     * @param notes       paragraphs under the prediction (the run-to-run spread replicates measured)
     * @param figures     further charts, each with its file name and caption (the probed skills' task chains)
     */
    public record Input(String title, List<Observation> runs, List<Observation> curves, Map<String, FitCard> fits,
                        double targetFlops, double floor, String corpus, String convention, List<String> warnings,
                        List<String> commands, List<String> files, Map<String, List<Charts.ProbePoint>> probes,
                        Check check, Map<String, String> probeNotes, List<String> notes, List<Figure> figures) {
        public Input(String title, List<Observation> runs, List<Observation> curves, Map<String, FitCard> fits,
                     double targetFlops, double floor, String corpus, String convention, List<String> warnings,
                     List<String> commands, List<String> files, Map<String, List<Charts.ProbePoint>> probes,
                     Check check, Map<String, String> probeNotes, List<String> notes) {
            this(title, runs, curves, fits, targetFlops, floor, corpus, convention, warnings, commands, files, probes,
                    check, probeNotes, notes, List.of());
        }

        public Input(String title, List<Observation> runs, List<Observation> curves, Map<String, FitCard> fits,
                     double targetFlops, double floor, String corpus, String convention, List<String> warnings,
                     List<String> commands, List<String> files, Map<String, List<Charts.ProbePoint>> probes,
                     Check check) {
            this(title, runs, curves, fits, targetFlops, floor, corpus, convention, warnings, commands, files, probes,
                    check, Map.of(), List.of());
        }

        public Input(String title, List<Observation> runs, List<Observation> curves, Map<String, FitCard> fits,
                     double targetFlops, double floor, String corpus, String convention, List<String> warnings,
                     List<String> commands, List<String> files, Map<String, List<Charts.ProbePoint>> probes) {
            this(title, runs, curves, fits, targetFlops, floor, corpus, convention, warnings, commands, files, probes, null);
        }
    }

    /** A further chart: its file name (without extension), the chart and its caption. */
    public record Figure(String name, XYChart chart, String caption) {
    }

    /** A run trained at the target budget: its FLOPs, size, tokens and final validation loss. */
    public record Check(double flops, double params, double tokens, double loss) {
    }

    private Report() {
    }

    /** Writes index.html and its PNG and SVG charts into {@code dir}; returns the chart files written. */
    public static List<Path> write(Input in, Path dir) {
        List<Path> charts = new ArrayList<>();
        FitCard chinchilla = first(in.fits(), "chinchilla");
        FitCard isoflop = first(in.fits(), "isoflop");
        double lo = in.runs().stream().mapToDouble(Observation::flops).min().orElse(1);
        double hi = in.runs().stream().mapToDouble(Observation::flops).max().orElse(10);
        double top = Double.isNaN(in.targetFlops()) ? hi : Math.max(hi, in.targetFlops());
        List<String[]> figures = new ArrayList<>();
        add(charts, figures, dir, "loss-vs-compute", Charts.lossVsCompute(in.curves().isEmpty() ? in.runs() : in.curves(),
                chinchilla, in.targetFlops(), in.floor(), in.convention(), in.check() == null ? null : new double[] {in.check().flops(), in.check().loss()},
                ChartStyle.WIDTH, ChartStyle.HEIGHT),
                "Every run's validation loss against compute, the compute-efficient frontier, and the "
                        + "fitted law at the compute-optimal allocation, extrapolated to the target budget"
                        + (in.check() == null ? "." : String.format(java.util.Locale.ROOT, ", with the check run "
                        + "trained there (actual loss %.4f).", in.check().loss())));
        if (in.runs().stream().anyMatch(o -> o.budget() != null)) {
            add(charts, figures, dir, "isoflop", Charts.isoflop(in.runs(), isoflop, ChartStyle.WIDTH, ChartStyle.HEIGHT),
                    "Loss against parameters at each FLOP budget, with each budget's parabola and its minimum.");
        }
        FitCard allocation = isoflop != null ? isoflop : chinchilla;
        if (allocation != null) {
            add(charts, figures, dir, "allocation", Charts.allocation(allocation, lo, top, in.convention(),
                    ChartStyle.WIDTH, ChartStyle.HEIGHT), "Compute-optimal parameters N* and tokens D* against compute ("
                    + allocation.law() + " fit).");
        }
        dev.scalelab.core.model.ParamCount count = allocation == null ? dev.scalelab.core.model.ParamCount.NON_EMBEDDING
                : allocation.flops().params();
        add(charts, figures, dir, "loss-vs-params", Charts.lossVs(in.runs(), true, count, ChartStyle.WIDTH, ChartStyle.HEIGHT),
                "Loss against parameters (Kaplan et al. 2020, Figure 1 style).");
        add(charts, figures, dir, "loss-vs-tokens", Charts.lossVs(in.runs(), false, count, ChartStyle.WIDTH, ChartStyle.HEIGHT),
                "Loss against training tokens.");
        if (chinchilla != null) {
            Predictor p = new Predictor(chinchilla, "fit card");
            double[] pred = in.runs().stream().mapToDouble(o -> p.atModel(o.params(), o.tokens()).outputs().get("loss").value())
                    .toArray();
            double[] actual = in.runs().stream().mapToDouble(Observation::loss).toArray();
            add(charts, figures, dir, "residuals", Charts.residuals(pred, actual, "chinchilla", ChartStyle.WIDTH,
                    ChartStyle.HEIGHT), "Log residuals of the chinchilla fit: structure here means the law misses something.");
        }
        for (Map.Entry<String, List<Charts.ProbePoint>> skill : in.probes().entrySet()) {
            if (skill.getValue().size() >= 2) {
                add(charts, figures, dir, "emergence-" + skill.getKey(), Charts.emergence(skill.getKey(), skill.getValue(),
                        ChartStyle.WIDTH, ChartStyle.HEIGHT), "Probe of the " + skill.getKey() + " skill at the end of "
                        + "each run: exact match beside continuous metrics of the same answers."
                        + (in.probeNotes().containsKey(skill.getKey()) ? " " + in.probeNotes().get(skill.getKey()) : ""));
            }
        }
        for (Figure f : in.figures()) {
            add(charts, figures, dir, f.name(), f.chart(), f.caption());
        }
        for (Map.Entry<String, FitCard> f : in.fits().entrySet()) {
            if (f.getValue().backtest() != null) {
                add(charts, figures, dir, "backtest", Charts.backtest(f.getValue(), ChartStyle.WIDTH, ChartStyle.HEIGHT),
                        "Predicted against actual loss for the held-out runs.");
                break;
            }
        }
        AtomicFiles.writeString(dir.resolve(SweepLayout.REPORT_PAGE), html(in, figures, chinchilla));
        return charts;
    }

    private static FitCard first(Map<String, FitCard> fits, String law) {
        return fits.values().stream().filter(c -> c.law().equals(law)).findFirst().orElse(null);
    }

    private static void add(List<Path> charts, List<String[]> figures, Path dir, String name, XYChart chart, String caption) {
        Path png = dir.resolve(name + ".png");
        Path svg = dir.resolve(name + ".svg");
        ChartFiles.write(chart, png);
        ChartFiles.write(chart, svg);
        charts.add(png);
        charts.add(svg);
        figures.add(new String[] {name, caption});
    }

    private static String html(Input in, List<String[]> figures, FitCard chinchilla) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(in.title()))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:1240px;margin:2em auto;color:#222}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;"
                        + "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
                        + "img{width:100%;border:1px solid #eee}figcaption{color:#555;margin-bottom:2em}"
                        + "code,pre{background:#f6f6f6}.warn{color:#a04000}</style></head><body>\n");
        h.append("<h1>").append(esc(in.title())).append("</h1>\n");
        h.append(String.format(Locale.ROOT, "<p>%d runs on corpus <code>%s</code>; FLOPs under %s.%s</p>\n",
                in.runs().size(), esc(in.corpus()), esc(in.convention()), Double.isNaN(in.floor()) ? ""
                        : String.format(Locale.ROOT, " The exact floor of the validation windows (the loss no model "
                        + "can beat on them), which the E-fixed fit holds, is <b>%.5f</b> nats/token.", in.floor())));
        if (chinchilla != null && !Double.isNaN(in.targetFlops())) {
            Predictor.Prediction p = new Predictor(chinchilla, "fit card").atBudget(in.targetFlops());
            h.append("<h2>Prediction</h2>\n<table><tr><th>at C = ").append(ChartStyle.si(in.targetFlops()))
                    .append(" FLOPs</th><th>value</th><th>confidence interval (the law's mean)</th>"
                            + "<th>prediction interval (one new run)</th></tr>\n");
            p.outputs().forEach((k, e) -> h.append(predictionRow(k, e)));
            h.append("</table>\n");
        }
        in.notes().forEach(n -> h.append("<p>").append(esc(n)).append("</p>\n"));
        if (in.check() != null) {
            h.append(checkSection(in));
        }
        h.append("<h2>Charts</h2>\n");
        for (String[] f : figures) {
            h.append("<figure><img src=\"").append(f[0]).append(".png\" alt=\"").append(esc(f[1]))
                    .append("\"><figcaption>").append(esc(f[1])).append(" (<a href=\"").append(f[0])
                    .append(".svg\">SVG</a>)</figcaption></figure>\n");
        }
        h.append("<h2>Fits</h2>\n");
        in.fits().forEach((title, card) -> {
            h.append("<h3>").append(esc(title)).append("</h3>\n<p><code>").append(esc(card.formula()))
                    .append("</code><br>status ").append(esc(String.valueOf(card.status()))).append(", ").append(card.points())
                    .append(" points, ").append(esc(card.objective().name())).append(String.format(Locale.ROOT, " = %.6g",
                            card.objective().value())).append("; starts: ").append(card.starts().converged()).append(" of ")
                    .append(card.starts().count()).append(" converged</p>\n<table><tr><th>parameter</th><th>value</th>"
                            + "<th>95% interval</th></tr>\n");
            card.parameters().forEach((k, e) -> h.append(row(k, e)));
            h.append("</table>\n");
            if (card.isoflop() != null) {
                card.isoflop().skipped().forEach(s -> h.append("<p class=\"warn\">budget ").append(ChartStyle.si(s.budget()))
                        .append(" skipped: ").append(esc(s.reason())).append("</p>\n"));
            }
        });
        if (!in.warnings().isEmpty()) {
            h.append("<h2>Warnings</h2>\n<ul>\n");
            in.warnings().forEach(w -> h.append("<li class=\"warn\">").append(esc(w)).append("</li>\n"));
            h.append("</ul>\n");
        }
        h.append("<h2>How this was made</h2>\n<pre>");
        in.commands().forEach(c -> h.append(esc(c)).append('\n'));
        h.append("</pre>\n<p>Data: ");
        for (String f : in.files()) {
            h.append("<a href=\"").append(esc(f)).append("\">").append(esc(f)).append("</a> ");
        }
        h.append("</p>\n");
        // marks how many images loaded, for headless-browser checks (nothing is fetched from the network)
        h.append("<script>window.addEventListener('load',function(){var im=document.images,ok=0;"
                + "for(var i=0;i<im.length;i++){if(im[i].complete&&im[i].naturalWidth>0)ok++;}"
                + "document.body.setAttribute('data-images-loaded',ok+'/'+im.length);});</script>\n");
        h.append("</body></html>\n");
        return h.toString();
    }

    /**
     * Each loss law's prediction for the check run's own N and D beside its actual loss: the error, its
     * absolute value (ARE) and which interval holds it. A single run is judged by the prediction interval.
     */
    private static String checkSection(Input in) {
        Check c = in.check();
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "<h2>Check run</h2>\n<p>N = %s parameters on "
                + "D = %s tokens (%s FLOPs): actual loss <b>%.4f</b>.</p>\n<table><tr><th>fit</th><th>predicted</th>"
                + "<th>confidence interval</th><th>prediction interval</th><th>error</th><th>ARE</th><th>the check run "
                + "is</th></tr>\n", ChartStyle.si(c.params()), ChartStyle.si(c.tokens()), ChartStyle.si(c.flops()), c.loss()));
        in.fits().forEach((title, card) -> {
            if (!card.law().equals("chinchilla")) {
                return;
            }
            FitCard.Estimate e = new Predictor(card, "fit card").atModel(c.params(), c.tokens()).outputs().get("loss");
            double error = e.value() / c.loss() - 1;
            String verdict = CheckVerdict.of(e.prediction() == null ? null : inside(c.loss(), e.prediction()),
                    e.lo() == null ? null : inside(c.loss(), List.of(e.lo(), e.hi())), w -> "<b>" + w + "</b>");
            h.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%.4f</td><td>%s</td><td>%s</td><td>%+.2f%%</td>"
                            + "<td>%.2f%%</td><td>%s</td></tr>\n", esc(title), e.value(),
                    e.lo() == null ? "" : String.format(Locale.ROOT, "[%.4f, %.4f]", e.lo(), e.hi()),
                    e.prediction() == null ? "" : String.format(Locale.ROOT, "[%.4f, %.4f]", e.prediction().get(0),
                            e.prediction().get(1)), 100 * error, 100 * Math.abs(error), verdict));
        });
        return h.append("</table>\n<p>The prediction interval is where one new run's loss should fall; the confidence "
                + "interval covers only the law's mean, so a single run may fairly fall outside it.</p>\n").toString();
    }

    private static boolean inside(double x, List<Double> band) {
        return x >= band.get(0) && x <= band.get(1);
    }

    private static String predictionRow(String name, FitCard.Estimate e) {
        String level = e.level() == null ? "" : String.format(Locale.ROOT, "%.0f%% ", 100 * e.level());
        return String.format(Locale.ROOT, "<tr><td>%s</td><td>%.6g</td><td>%s</td><td>%s</td></tr>\n", esc(name), e.value(),
                e.lo() == null ? "" : String.format(Locale.ROOT, "%s[%.6g, %.6g]", level, e.lo(), e.hi()),
                e.prediction() == null ? "" : String.format(Locale.ROOT, "%s[%.6g, %.6g]", level, e.prediction().get(0),
                        e.prediction().get(1)));
    }

    private static String row(String name, FitCard.Estimate e) {
        return String.format(Locale.ROOT, "<tr><td>%s</td><td>%.6g</td><td>%s</td></tr>\n", esc(name), e.value(),
                e.lo() == null ? "" : String.format(Locale.ROOT, "[%.6g, %.6g]", e.lo(), e.hi()));
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
