package dev.scalelab.plots;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.ChinchillaLaw;
import dev.scalelab.fitting.law.Variable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ChartsTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    @TempDir
    Path dir;

    static final ChinchillaLaw TRUTH = new ChinchillaLaw(1.69, 406.4, 410.7, 0.34, 0.28);

    /** 3 budgets × 6 sizes of final losses, and 4-point training curves for each run. */
    static List<Observation> runs() {
        List<Observation> out = new ArrayList<>();
        double g = Math.pow(0.34 * 406.4 / (0.28 * 410.7), 1 / 0.62);
        int r = 0;
        for (double c : new double[] {1e18, 1e19, 1e20}) {
            double centre = g * Math.pow(c / 6, 0.28 / 0.62);
            for (int j = 0; j < 6; j++) {
                double n = centre * Math.pow(10, j / 5.0 - 0.5);
                double d = c / (6 * n);
                out.add(new Observation(n, d, c, TRUTH.loss(n, d), c, "r" + r++, null, null));
            }
        }
        return out;
    }

    static List<Observation> curves(List<Observation> runs) {
        List<Observation> out = new ArrayList<>();
        for (Observation o : runs) {
            for (int k = 1; k <= 4; k++) {
                double d = o.tokens() * k / 4;
                out.add(new Observation(o.params(), d, 6 * o.params() * d, TRUTH.loss(o.params(), d), o.budget(), o.run(),
                        (long) k, null));
            }
        }
        return out;
    }

    static FitCard fit(List<Observation> runs, Fitter.Law law, int bootstrap) {
        return Fitter.fit(new ObservationTable("test", runs, null), new Fitter.Options(law, Variable.PARAMS, bootstrap, 0,
                0.95, Map.of(), Approach3.Options.defaults().withGrid(new double[] {0.5}, new double[] {0.5},
                new double[] {0.5}, new double[] {5}, new double[] {5}), 3, dev.scalelab.core.model.FlopCount.SIX_N, "test", "test", null));
    }

    @Test
    void lossVsComputeHasCurvesFrontierFitBandAndPrediction() {
        List<Observation> runs = runs();
        FitCard card = fit(runs, Fitter.Law.CHINCHILLA, 30);
        XYChart c = Charts.lossVsCompute(curves(runs), card, 1e21, 1.69, "6N", 1200, 800);
        assertThat(c.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(c.getSeriesMap().keySet()).contains("training runs", "compute-efficient frontier",
                "fitted law, at the optimal N and D", "extrapolation", "95% bootstrap band", "entropy floor 1.6900");
        assertThat(c.getSeriesMap().keySet()).anyMatch(k -> k.startsWith("prediction at 1Z"));
        assertThat(c.getXAxisTitle()).contains("FLOPs", "6N");
        assertThat(c.getTitle()).isEqualTo("Loss vs compute");
    }

    /**
     * The drawn parabola is approach 2's: on 3 budgets of 13 sizes over two decades (where the loss is
     * not a parabola in log N, so a parabola through every size has another vertex), the vertex of
     * each drawn curve, solved here from three of its drawn points, is the card's vertex.
     */
    @Test
    void theIsoflopChartDrawsTheParabolaTheFitUsed() {
        List<Observation> runs = new ArrayList<>();
        double g = Math.pow(0.34 * 406.4 / (0.28 * 410.7), 1 / 0.62);
        for (double c : new double[] {1e18, 1e19, 1e20}) {
            double centre = g * Math.pow(c / 6, 0.28 / 0.62);
            for (int j = 0; j < 13; j++) {
                double n = centre * Math.pow(10, j / 6.0 - 0.9); // off-centre: more sizes above the optimum
                double d = c / (6 * n);
                runs.add(new Observation(n, d, c, TRUTH.loss(n, d), c, "r" + runs.size(), null, null));
            }
        }
        FitCard iso = fit(runs, Fitter.Law.ISOFLOP, 0);
        assertThat(iso.isoflop().window()).isEqualTo(3);
        XYChart chart = Charts.isoflop(runs, iso, 1200, 800);
        for (var v : iso.isoflop().vertices()) {
            var curve = chart.getSeriesMap().get("C = " + ChartStyle.si(v.budget()) + " parabola");
            assertThat(curve).as("parabola of " + v.budget()).isNotNull();
            double[] x = curve.getXData();
            double[] y = curve.getYData();
            int a = 0;
            int b = x.length / 2;
            int c = x.length - 1;
            double u1 = Math.log(x[a]);
            double u2 = Math.log(x[b]);
            double u3 = Math.log(x[c]);
            // the parabola through three points, its vertex at -c1 / (2 c2)
            double d12 = (y[b] - y[a]) / (u2 - u1);
            double d23 = (y[c] - y[b]) / (u3 - u2);
            double c2 = (d23 - d12) / (u3 - u1);
            double c1 = d12 - c2 * (u1 + u2);
            double vertex = Math.exp(-c1 / (2 * c2));
            assertThat(vertex / v.params()).as("drawn vertex / card vertex at " + v.budget())
                    .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-6));
            // the curve spans the window's 7 sizes, not all 13
            assertThat(x[c] / x[a]).isCloseTo(Math.pow(10, 6 / 6.0), org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    void isoflopAllocationAndKaplanStyleChartsHaveTheirSeries() {
        List<Observation> runs = runs();
        FitCard iso = fit(runs, Fitter.Law.ISOFLOP, 0);
        XYChart isoflop = Charts.isoflop(runs, iso, 1200, 800);
        assertThat(isoflop.getSeriesMap().keySet()).contains("C = 1E", "C = 10E", "C = 100E", "minima (approach 2)");
        assertThat(isoflop.getStyler().isXAxisLogarithmic()).isTrue();
        XYChart allocation = Charts.allocation(iso, 1e18, 1e21, "6N", 1200, 800);
        assertThat(allocation.getSeriesMap().keySet()).contains("N* per budget", "D* per budget");
        assertThat(allocation.getStyler().isYAxisLogarithmic()).isTrue();
        XYChart params = Charts.lossVs(runs, true, 1200, 800);
        assertThat(params.getSeriesMap()).hasSize(3);
        assertThat(params.getXAxisTitle()).contains("parameters");
        assertThat(ChartStyle.si(2.5e12)).isEqualTo("2.5T");
        assertThat(ChartStyle.si(1e6)).isEqualTo("1M");
    }

    @Test
    void emergenceDynamicsAndHeatmapCharts() {
        XYChart e = Charts.emergence("facts", List.of(new Charts.ProbePoint(1e4, Map.of("exact_match", 0.0,
                "token_accuracy", 0.3, "answer_logprob", -1.5)), new Charts.ProbePoint(1e5, Map.of("exact_match", 0.5,
                "token_accuracy", 0.8, "answer_logprob", -0.2))), 1200, 800);
        assertThat(e.getSeriesMap().keySet()).containsExactly("exact match (whole answer)", "per-token accuracy",
                "answer probability per token, exp(mean log p)");
        assertThat(e.getSeriesMap().get("answer probability per token, exp(mean log p)").getYData())
                .containsExactly(Math.exp(-1.5), Math.exp(-0.2));
        XYChart d = Charts.dynamics("run", new double[] {10, 100, 1000}, new double[] {3, 2, 1}, new double[] {3.1, 2.2, 1.5},
                Map.of(100.0, "memorised"), 1200, 800);
        assertThat(d.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(d.getSeriesMap().keySet()).contains("validation loss", "memorised (step 100)");
        XYChart h = Charts.heatmap("phases", "train fraction", "weight decay", new double[] {0.3, 0.5, 0.3, 0.5},
                new double[] {0.1, 0.1, 1, 1}, new String[] {"memorisation", "grokking", "grokking", "comprehension"},
                false, true, 1200, 800);
        assertThat(h.getSeriesMap().keySet()).containsExactly("comprehension", "grokking", "memorisation");
    }

    @Test
    void pngsDecodeToTheRequestedSizeAndSvgsParse() throws Exception {
        XYChart c = Charts.lossVs(runs(), false, 900, 600);
        Path png = dir.resolve("c.png");
        Path svg = dir.resolve("c.svg");
        ChartFiles.write(c, png);
        ChartFiles.write(c, svg);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(600);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // the SVG names a DTD on the web; parse it without fetching anything
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        var doc = factory.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
    }

    @Test
    void theReportReferencesOnlyFilesThatExist() throws Exception {
        List<Observation> runs = runs();
        Map<String, FitCard> fits = new LinkedHashMap<>();
        fits.put("chinchilla", fit(runs, Fitter.Law.CHINCHILLA, 20));
        fits.put("isoflop", fit(runs, Fitter.Law.ISOFLOP, 0));
        Files.writeString(dir.resolve("runs.csv"), "params,tokens,loss\n1,1,1\n");
        Path out = dir.resolve("report");
        List<Path> charts = Report.write(new Report.Input("Test study", runs, curves(runs), fits, 1e21, 1.69, "synthetic",
                "6N", List.of("a warning"), List.of("scalelab sweep x --out y"), List.of("../runs.csv"),
                Map.of("facts", List.of(new Charts.ProbePoint(1e4, Map.of("exact_match", 0.1, "answer_logprob", -2.0)),
                        new Charts.ProbePoint(1e5, Map.of("exact_match", 0.6, "answer_logprob", -0.4))))), out);
        assertThat(charts).hasSizeGreaterThanOrEqualTo(12).anyMatch(c -> c.endsWith("emergence-facts.png"));
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("<h1>Test study</h1>", "a warning", "scalelab sweep x --out y", "Prediction");
        Matcher m = Pattern.compile("(?:src|href)=\"([^\"]+)\"").matcher(html);
        int refs = 0;
        while (m.find()) {
            refs++;
            assertThat(out.resolve(m.group(1)).normalize()).as(m.group(1)).exists();
        }
        assertThat(refs).isGreaterThanOrEqualTo(13);
    }
}
