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
import static org.assertj.core.api.Assertions.within;

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
                "fitted law, at the optimal N and D", "extrapolation", "95% confidence band (the law's mean)",
                "95% prediction band (one new run)", "entropy floor 1.6900");
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
        // a parabola for each budget the card used, and for no other
        assertThat(chart.getSeriesMap().keySet().stream().filter(k -> k.endsWith(" parabola")).count())
                .isEqualTo(iso.isoflop().vertices().size());
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
        XYChart params = Charts.lossVs(runs, true, dev.scalelab.core.model.ParamCount.NON_EMBEDDING, 1200, 800);
        assertThat(params.getSeriesMap()).hasSize(3);
        assertThat(params.getXAxisTitle()).isEqualTo("parameters N (non-embedding)");
        assertThat(Charts.lossVs(runs, true, dev.scalelab.core.model.ParamCount.TOTAL, 1200, 800).getXAxisTitle())
                .isEqualTo("parameters N (total)");
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

    /** The labels LogTickLabels painted on the chart's last render. */
    static List<LogTickLabels.Label> extraLabels(XYChart chart) throws Exception {
        var field = org.knowm.xchart.internal.chartpart.Chart.class.getDeclaredField("annotations");
        field.setAccessible(true);
        for (Object part : (List<?>) field.get(chart)) {
            if (part instanceof LogTickLabels l) {
                return l.painted();
            }
        }
        throw new AssertionError("no LogTickLabels on " + chart.getTitle());
    }

    static boolean dark(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y);
        return ((rgb >> 16 & 255) + (rgb >> 8 & 255) + (rgb & 255)) / 3 < 110;
    }

    /**
     * The labels in one row (or column) of a rendered image: runs of dark pixels across {@code [from,
     * to)} of the band, split where more than 8 pixels are blank; each as {start, end, first, last}
     * (its extent along the row and across it).
     */
    static List<int[]> labelsInBand(BufferedImage image, boolean horizontal, int bandFrom, int bandTo) {
        List<int[]> out = new ArrayList<>();
        int length = horizontal ? image.getWidth() : image.getHeight();
        int[] current = null;
        int blank = 0;
        for (int i = 0; i < length; i++) {
            int first = -1;
            int last = -1;
            for (int j = Math.max(0, bandFrom); j < Math.min(bandTo, horizontal ? image.getHeight() : image.getWidth()); j++) {
                if (horizontal ? dark(image, i, j) : dark(image, j, i)) {
                    first = first < 0 ? j : first;
                    last = j;
                }
            }
            if (first >= 0) {
                if (current == null || blank > 8) {
                    current = new int[] {i, i, first, last};
                    out.add(current);
                }
                current[1] = i;
                current[2] = Math.min(current[2], first);
                current[3] = Math.max(current[3], last);
                blank = 0;
            } else {
                blank++;
            }
        }
        return out;
    }

    /**
     * An x axis from 8k to 120k steps (1.2 decades): XChart labels 1E4 and 1E5, LogTickLabels adds
     * 2E4 and 5E4, and in the PNG the four labels sit in one row (same top and bottom) at log-spaced
     * positions, 2E4 log10(2) and 5E4 log10(5) of the way from 1E4 to 1E5 – and nothing else is there.
     */
    @Test
    void aLogAxisSpanningLessThanTwoDecadesIsLabelledAtOneTwoAndFiveTimesEachDecade() throws Exception {
        XYChart d = Charts.dynamics("run", new double[] {8e3, 2e4, 6e4, 1.2e5}, new double[] {3, 2, 1.5, 1},
                new double[] {3.1, 2.2, 1.7, 1.5}, Map.of(), 1200, 800);
        Path png = dir.resolve("d.png");
        ChartFiles.write(d, png);
        List<LogTickLabels.Label> extra = extraLabels(d);
        assertThat(extra).extracting(LogTickLabels.Label::text).containsExactly("2E4", "5E4");
        BufferedImage image = ImageIO.read(png.toFile());
        var row = extra.get(0).bounds();
        List<int[]> labels = labelsInBand(image, true, (int) row.getMinY() - 8, (int) row.getMaxY() + 8);
        assertThat(labels).as("labels under the x axis").hasSize(4);
        double[] centre = labels.stream().mapToDouble(l -> (l[0] + l[1]) / 2.0).toArray();
        double decade = centre[3] - centre[0];
        assertThat((centre[1] - centre[0]) / decade).as("2E4").isCloseTo(Math.log10(2), within(0.01));
        assertThat((centre[2] - centre[0]) / decade).as("5E4").isCloseTo(Math.log10(5), within(0.01));
        for (int[] l : labels) {
            assertThat(l[2]).as("top of the label at x=" + l[0]).isCloseTo(labels.get(0)[2], within(1));
            assertThat(l[3]).as("bottom of the label at x=" + l[0]).isCloseTo(labels.get(0)[3], within(1));
        }
        // the SVG is painted by the same parts
        ChartFiles.write(d, dir.resolve("d.svg"));
        assertThat(extraLabels(d)).extracting(LogTickLabels.Label::text).containsExactly("2E4", "5E4");
    }

    /** Four decades (100 to 1M): a label at each of the five decades, equally spaced, and no 2 or 5 ones. */
    @Test
    void aLogAxisSpanningFourDecadesIsLabelledAtEachDecade() throws Exception {
        XYChart d = Charts.dynamics("run", new double[] {1e2, 1e3, 1e4, 1e5, 1e6}, new double[] {3, 2.5, 2, 1.5, 1},
                new double[] {3.1, 2.6, 2.2, 1.7, 1.5}, Map.of(), 1200, 800);
        Path png = dir.resolve("d4.png");
        ChartFiles.write(d, png);
        assertThat(extraLabels(d)).isEmpty();
        assertThat(LogTickLabels.twosAndFives(1e2, 1e6)).isEmpty();
        BufferedImage image = ImageIO.read(png.toFile());
        // the label row of the two-decade chart above: the same layout puts it at the same height
        XYChart near = Charts.dynamics("run", new double[] {8e3, 1.2e5}, new double[] {3, 1}, new double[] {3, 1},
                Map.of(), 1200, 800);
        ChartFiles.write(near, dir.resolve("near.png"));
        var row = extraLabels(near).get(0).bounds();
        List<int[]> labels = labelsInBand(image, true, (int) row.getMinY() - 8, (int) row.getMaxY() + 8);
        assertThat(labels).as("labels under the x axis").hasSize(5);
        double step = (labels.get(4)[0] + labels.get(4)[1] - labels.get(0)[0] - labels.get(0)[1]) / 8.0;
        for (int k = 1; k < 4; k++) {
            assertThat((labels.get(k)[0] + labels.get(k)[1]) / 2.0 - (labels.get(0)[0] + labels.get(0)[1]) / 2.0)
                    .as("decade " + k).isCloseTo(k * step, within(3.0));
        }
    }

    /** A log y axis from 0.1 to 1 gets 2E-1 and 5E-1 beside XChart's 1E-1 and 1E0, in one column. */
    @Test
    void aLogYAxisIsLabelledTheSameWay() throws Exception {
        XYChart h = Charts.heatmap("phases", "train fraction", "weight decay", new double[] {0.3, 0.5, 0.3, 0.5},
                new double[] {0.1, 0.1, 1, 1}, new String[] {"memorisation", "grokking", "grokking", "comprehension"},
                false, true, 1200, 800);
        Path png = dir.resolve("h.png");
        ChartFiles.write(h, png);
        List<LogTickLabels.Label> extra = extraLabels(h);
        assertThat(extra).extracting(LogTickLabels.Label::text).containsExactly("2E-1", "5E-1");
        BufferedImage image = ImageIO.read(png.toFile());
        var column = extra.get(0).bounds();
        List<int[]> labels = labelsInBand(image, false, (int) column.getMinX() - 4, (int) column.getMaxX() + 2);
        assertThat(labels).as("labels left of the y axis").hasSize(4);
        double[] centre = labels.stream().mapToDouble(l -> (l[0] + l[1]) / 2.0).toArray();
        double decade = centre[0] - centre[3]; // screen y grows downwards: 1E0 first
        assertThat((centre[0] - centre[2]) / decade).as("5E-1").isCloseTo(Math.log10(5), within(0.01));
        assertThat((centre[0] - centre[1]) / decade).as("2E-1").isCloseTo(Math.log10(2), within(0.01));
    }

    @Test
    void twosAndFivesLieInTheRangeOnlyBelowTwoDecades() {
        assertThat(LogTickLabels.twosAndFives(3e3, 5e4)).containsExactly(5e3, 2e4, 5e4);
        assertThat(LogTickLabels.twosAndFives(2.5e7, 2.04e9)).containsExactly(5e7, 2e8, 5e8, 2e9); // 1.91 decades
        assertThat(LogTickLabels.twosAndFives(1e2, 1.0001e4)).isEmpty(); // two decades: the decades suffice
    }

    @Test
    void pngsDecodeToTheRequestedSizeAndSvgsParse() throws Exception {
        XYChart c = Charts.lossVs(runs(), false, dev.scalelab.core.model.ParamCount.NON_EMBEDDING, 900, 600);
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
