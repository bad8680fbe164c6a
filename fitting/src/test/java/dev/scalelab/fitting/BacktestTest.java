package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.law.Variable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BacktestTest {
    private static Fitter.Options options(Fitter.Law law, Variable x, Map<String, Double> fixed) {
        return new Fitter.Options(law, x, 50, 7, 0.95, fixed, CoverageTest.grid(), 0, FlopCount.SIX_N, "test",
                "backtest", null);
    }

    private static Fitter.Options chinchilla() {
        return options(Fitter.Law.CHINCHILLA, Variable.PARAMS, Map.of());
    }

    /** The dense design (5 budgets from 1e18, a factor 3 apart, 9 sizes each), 1% log-normal noise. */
    private static ObservationTable dense(long seed) {
        return CoverageTest.study(CoverageTest.DENSE, new Random(seed));
    }

    @Test
    void theLargestBudgetIsPredictedFromTheOthersCloseToTheTrueSurface() {
        ObservationTable table = dense(11);
        Backtest.Result r = Backtest.run(table, chinchilla(), new Holdout.LargestBudgets(1));
        double largest = CoverageTest.DENSE.largest();
        assertThat(r.rows()).hasSize(9).allSatisfy(row -> assertThat(row.flops()).isEqualTo(largest));
        for (Backtest.Row row : r.rows()) {
            // the held-out truth is the table's own row; the prediction is near the true mean (noise 1%, 3x out)
            assertThat(table.observations()).anySatisfy(o -> assertThat(o.loss()).isEqualTo(row.actual()));
            assertThat(row.predicted()).isCloseTo(CoverageTest.TRUTH.loss(row.params(), row.tokens()),
                    within(0.01 * row.predicted()));
            assertThat(row.prediction().get(0)).isLessThan(row.predicted());
            assertThat(row.prediction().get(1)).isGreaterThan(row.predicted());
        }
        long inside = r.rows().stream().filter(row -> row.actual() >= row.prediction().get(0)
                && row.actual() <= row.prediction().get(1)).count();
        assertThat(r.summary().coverage()).isEqualTo(inside / 9.0);
        // measured: ARE 0.98%, 9 of 9 inside (prediction intervals 5.5% wide); the noise alone gives 0.8%
        assertThat(r.summary().meanAbsRelativeError()).isLessThan(0.02);
        assertThat(r.summary().coverage()).isGreaterThanOrEqualTo(7 / 9.0);
        double logSquares = r.rows().stream().mapToDouble(row -> Math.pow(Math.log(row.predicted() / row.actual()), 2))
                .sum();
        assertThat(r.summary().logRmse()).isCloseTo(Math.sqrt(logSquares / 9), within(1e-12));
        assertThat(r.summary().predictionWidth()).isGreaterThan(r.summary().confidenceWidth());
    }

    @Test
    void leaveOneBudgetOutFitsEachBudgetFromTheOthersAndPoolsEveryRow() {
        ObservationTable table = dense(12);
        Backtest.Result r = Backtest.run(table, chinchilla(), new Holdout.LeaveOneBudgetOut());
        assertThat(r.rows()).hasSize(45);
        assertThat(r.rows().stream().map(Backtest.Row::fold).distinct()).hasSize(5);
        for (Backtest.Row row : r.rows()) {
            assertThat(row.fold()).isEqualTo("budget=" + Holdout.number(row.flops()));
        }
        assertThat(r.summary().n()).isEqualTo(45);
    }

    @Test
    void paramsAtLeastHoldsOutExactlyTheLargerModels() {
        ObservationTable table = dense(13);
        double cut = 2e8;
        Backtest.Result r = Backtest.run(table, chinchilla(), new Holdout.ParamsAtLeast(cut));
        long expected = table.observations().stream().filter(o -> o.params() >= cut).count();
        assertThat(expected).isBetween(5L, 30L);
        assertThat(r.rows()).hasSize((int) expected).allSatisfy(row -> assertThat(row.params()).isGreaterThanOrEqualTo(cut));
    }

    @Test
    void approachTwoIsScoredOnEachHeldOutBudgetsOwnVertex() {
        ObservationTable table = dense(14);
        Backtest.Result r = Backtest.run(table, options(Fitter.Law.ISOFLOP, Variable.PARAMS, Map.of()),
                new Holdout.LargestBudgets(2));
        assertThat(r.rows()).extracting(Backtest.Row::quantity).containsExactly("params", "tokens", "params", "tokens");
        for (Backtest.Row row : r.rows()) {
            assertThat(row.prediction()).isNull();
            assertThat(row.insidePrediction()).isNull();
            // the vertex of a parabola through 9 noisy sizes lands near the true optimum
            double trueN = CoverageTest.TRUTH.optimalParams(row.flops(), 6);
            assertThat(row.params()).isCloseTo(trueN, within(0.25 * trueN));
            assertThat(row.actual()).isEqualTo(row.quantity().equals("params") ? row.params() : row.tokens());
        }
        assertThat(r.summary().coverage()).isNull();
        assertThat(r.summary().confidenceCoverage()).isNotNull();
    }

    @Test
    void lawsAreRankedByHeldOutErrorAndAllocationLawsAreNotRankedWithThem() {
        ObservationTable table = dense(15);
        Backtest.Result surface = Backtest.run(table, chinchilla(), new Holdout.LargestBudgets(1));
        // a power law in compute gives one loss per budget, whatever the size: far worse on the held-out budget
        Backtest.Result compute = Backtest.run(table, options(Fitter.Law.POWER, Variable.FLOPS, Map.of()),
                new Holdout.LargestBudgets(1));
        Backtest.Result isoflop = Backtest.run(table, options(Fitter.Law.ISOFLOP, Variable.PARAMS, Map.of()),
                new Holdout.LargestBudgets(1));
        assertThat(compute.summary().meanAbsRelativeError()).isGreaterThan(2 * surface.summary().meanAbsRelativeError());
        assertThat(Backtest.ranking(List.of(compute, isoflop, surface))).containsExactly("chinchilla", "power");
    }

    @Test
    void aHoldoutThatKeepsTooLittleOrHoldsOutNothingIsRefusedByName() {
        List<Observation> rows = new ArrayList<>();
        for (double c : new double[] {1e18, 3e18}) {
            for (double n : new double[] {1e8, 2e8}) {
                double d = c / (6 * n);
                rows.add(new Observation(n, d, c, CoverageTest.TRUTH.loss(n, d), c, null, null, null));
            }
        }
        ObservationTable small = new ObservationTable("small.csv", rows, null);
        assertThatThrownBy(() -> Backtest.run(small, chinchilla(), new Holdout.LargestBudgets(1)))
                .isInstanceOf(NoUsableFitException.class)
                .hasMessage("the holdout largest-budget keeps 2 rows, fewer than the 5 parameters chinchilla fits; "
                        + "hold out fewer rows");
        assertThatThrownBy(() -> Backtest.run(small, options(Fitter.Law.ISOFLOP, Variable.PARAMS, Map.of()),
                new Holdout.LargestBudgets(1))).isInstanceOf(NoUsableFitException.class)
                .hasMessageContaining("keeps 1 budget, fewer than the 2");
        assertThatThrownBy(() -> Backtest.run(dense(16), chinchilla(), new Holdout.BudgetAtLeast(1e30)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("no rows are held out by budget>=1e+30");
        assertThatThrownBy(() -> Backtest.run(small, chinchilla(), new Holdout.LargestBudgets(2)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cannot hold out the 2 largest of 2 budgets");
        assertThatThrownBy(() -> Backtest.run(small, options(Fitter.Law.ENVELOPE, Variable.PARAMS, Map.of()),
                new Holdout.LargestBudgets(1))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("an envelope fit predicts allocations");
    }

    @Test
    void holdoutsParseFromTheirCommandLineForms() {
        assertThat(Holdout.parse("largest-budget")).isEqualTo(new Holdout.LargestBudgets(1));
        assertThat(Holdout.parse("largest-budget=3")).isEqualTo(new Holdout.LargestBudgets(3));
        assertThat(Holdout.parse("budget>=1e19")).isEqualTo(new Holdout.BudgetAtLeast(1e19));
        assertThat(Holdout.parse("params>=5e8")).isEqualTo(new Holdout.ParamsAtLeast(5e8));
        assertThat(Holdout.parse("leave-one-budget-out")).isEqualTo(new Holdout.LeaveOneBudgetOut());
        assertThat(new Holdout.LargestBudgets(2).describe()).isEqualTo("largest-budget=2");
        assertThat(new Holdout.BudgetAtLeast(1.28e19).describe()).isEqualTo("budget>=1.28e+19");
        assertThat(new Holdout.ParamsAtLeast(3e8).describe()).isEqualTo("params>=3e+08");
        assertThatThrownBy(() -> Holdout.parse("smallest")).hasMessageContaining("unknown holdout 'smallest'")
                .hasMessageContaining("leave-one-budget-out");
        assertThatThrownBy(() -> Holdout.parse("budget>=lots")).hasMessageContaining("no number");
        assertThatThrownBy(() -> Holdout.parse("params>=-1")).hasMessageContaining("positive");
        // any other filter is a table's own split, held out where the filter keeps rows
        Holdout split = Holdout.parse("split=test");
        assertThat(split).isInstanceOf(Holdout.Where.class);
        assertThat(split.describe()).isEqualTo("split=test");
        assertThatThrownBy(() -> split.folds(java.util.List.of())).hasMessageContaining("resolved against");
        assertThat(new Holdout.Rows("split=test", java.util.List.of(3, 4)).folds(java.util.List.of()))
                .containsExactly(new Holdout.Fold("split=test", java.util.List.of(3, 4)));
        assertThatThrownBy(() -> Holdout.parse("split<test")).hasMessageContaining("cannot read the holdout filter");
        // a filter's negation keeps exactly the other rows
        var f = dev.scalelab.core.data.RowFilter.parse("split=test");
        assertThat(f.negated().acceptsCell("train")).isTrue();
        assertThat(f.negated().acceptsCell("test")).isFalse();
        assertThat(dev.scalelab.core.data.RowFilter.parse("loss<3").negated().accepts(3)).isTrue();
    }
}
