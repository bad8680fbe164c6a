package dev.scalelab.plots;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.DataConstrainedLaw;
import dev.scalelab.fitting.law.Variable;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RepeatChartsTest {
    private static final DataConstrainedLaw TRUTH = new DataConstrainedLaw(1.8, 400, 1200, 0.34, 0.30, 8, 3);

    private static List<Observation> runs() {
        List<Observation> rows = new ArrayList<>();
        for (double u : new double[] {1e8, 1e9}) {
            for (double scale : new double[] {0.3, 3}) {
                double n = TRUTH.paramsForTokens(u) * scale;
                for (double epochs : new double[] {1, 4, 16, 64}) {
                    double d = u * epochs;
                    rows.add(new Observation(n, d, 6 * n * d, TRUTH.loss(n, d, u), null, null, null, null, u));
                }
            }
        }
        return rows;
    }

    @Test
    void eachModelAndUniqueDataIsASeriesAgainstEpochsWithTheLawThroughIt() {
        List<Observation> rows = runs();
        Map<String, Double> all = Map.of("E", 1.8, "A", 400.0, "B", 1200.0, "alpha", 0.34, "beta", 0.30, "R_D_star", 8.0,
                "R_N_star", 3.0);
        FitCard card = Fitter.fit(new ObservationTable("t", rows, null), new Fitter.Options(Fitter.Law.DATA_CONSTRAINED,
                Variable.PARAMS, 0, 0, 0.95, all, Approach3.Options.defaults(), 0, FlopCount.SIX_N, "t", "t", null));
        XYChart chart = RepeatCharts.epochs(rows, card, 900, 600);
        assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
        // four (N, U) groups of points, each with its curve (hidden from the legend)
        assertThat(chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend)).hasSize(4);
        assertThat(chart.getSeriesMap()).hasSize(8);
        XYSeries points = chart.getSeriesMap().values().stream().filter(XYSeries::isShowInLegend).findFirst().orElseThrow();
        assertThat(points.getXData()).containsExactly(1.0, 4.0, 16.0, 64.0);
        // the curve starts at one epoch, where the law is the Chinchilla surface of N and U
        XYSeries curve = chart.getSeriesMap().get(points.getName() + " law");
        double n = TRUTH.paramsForTokens(1e8) * 0.3;
        assertThat(curve.getXData()[0]).isEqualTo(1.0);
        assertThat(curve.getYData()[0]).isCloseTo(1.8 + 400 / Math.pow(n, 0.34) + 1200 / Math.pow(1e8, 0.30), within(1e-9));
        List<Observation> without = new ArrayList<>(rows);
        without.add(Observation.of(1e8, 1e9, 6e17, 3.0));
        assertThatThrownBy(() -> RepeatCharts.epochs(without, null, 900, 600)).hasMessageContaining("1 of 17 rows");
    }
}
