package dev.scalelab.plots;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.Variable;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LawChartsTest {
    @Test
    void eachGroupIsDrawnWithItsOwnLawAndBandThroughItsPoints() {
        List<LawCharts.Group> groups = new ArrayList<>();
        for (double eps : new double[] {0.7, 0.8}) {
            List<Observation> rows = new ArrayList<>();
            double[] x = new double[12];
            double[] y = new double[12];
            for (int i = 0; i < 12; i++) {
                x[i] = 2.2 + 0.15 * i;
                y[i] = eps - 3 * Math.exp(-1.2 * x[i]) * (1 + 0.002 * Math.sin(5.0 * i));
                rows.add(new Observation(Double.NaN, Double.NaN, Double.NaN, x[i], null, null, null, null, null,
                        Map.of("error", y[i])));
            }
            FitCard card = Fitter.fit(new ObservationTable("t", rows, null), new Fitter.Options(
                    Fitter.Law.ERROR_FROM_LOSS, Variable.PARAMS, 30, 1, 0.95, Map.of(),
                    Approach3.Options.defaults().withThreads(1), 0, FlopCount.SIX_N, "t", "t", null));
            groups.add(new LawCharts.Group("eps " + eps, x, y, card));
        }
        groups.add(new LawCharts.Group("points only", new double[] {3.0}, new double[] {0.6}, null));
        XYChart chart = LawCharts.response("error-from-loss", "loss", "error", groups, false, false, 800, 600);
        Map<String, XYSeries> series = chart.getSeriesMap();
        assertThat(series).containsKeys("eps 0.7", "eps 0.8", "points only", "eps 0.7 law", "eps 0.8 law",
                "eps 0.7 confidence lo", "eps 0.8 confidence hi").doesNotContainKey("points only law");
        // each law passes through its own group's points, a quarter of the range beyond them each side
        XYSeries law = series.get("eps 0.8 law");
        double[] lx = law.getXData();
        double[] ly = law.getYData();
        assertThat(lx[0]).isCloseTo(2.2 - 0.25 * 1.65, within(1e-9));
        int mid = lx.length / 2;
        assertThat(ly[mid]).isCloseTo(0.8 - 3 * Math.exp(-1.2 * lx[mid]), within(0.01));
        assertThat(series.get("eps 0.7 law").getYData()[mid]).isCloseTo(0.7 - 3 * Math.exp(-1.2 * lx[mid]), within(0.01));
    }
}
