package dev.scalelab.study;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.Predictor;
import dev.scalelab.fitting.law.ChinchillaLaw;
import dev.scalelab.sweep.plan.ConfigLoader;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.plan.PlannedRun;
import dev.scalelab.sweep.plan.Planner;
import dev.scalelab.sweep.plan.Throughput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.core.model.ParamCount;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The report's allocation on a 6N+attention sweep: the study fits with the sweep's own FLOP count, so
 * the predicted N* and D* spend the budget as the sweep counts it, C = (6N + 6·L·T·d)·D. (It used
 * C = 6·N·D for every config, which overspends a 6N+attention budget.)
 */
class AttentionAllocationTest {
    private static final ChinchillaLaw TRUTH = new ChinchillaLaw(1.69, 406.4, 410.7, 0.34, 0.28);

    @TempDir
    Path dir;

    @Test
    void theAllocationSpendsTheBudgetAsTheSweepCountsIt() throws Exception {
        Path config = Path.of(AttentionAllocationTest.class.getResource("/attention-isoflop.yaml").toURI());
        Plan plan = Planner.plan(ConfigLoader.load(config), 1, "test", Throughput.rough());
        assertThat(plan.flopConvention()).isEqualTo(FlopConvention.SIX_N_ATTENTION);
        List<Observation> runs = new ArrayList<>();
        for (PlannedRun r : plan.runs()) { // losses from a known surface at each planned run's N and D
            double n = r.params();
            double d = r.spec().tokens();
            runs.add(new Observation(n, d, r.flops(), TRUTH.loss(n, d), r.budget(), r.runId(), null, null));
        }
        StudyFit fitter = new StudyFit(dir, plan.flops(), dev.scalelab.core.model.ParamCount.NON_EMBEDDING, 0, "test", new java.util.LinkedHashMap<>(), new ArrayList<>(),
                new ArrayList<>());
        FitCard card = fitter.fit(new ObservationTable("runs.csv", runs, null), Fitter.Law.CHINCHILLA, Map.of(), "test");
        assertThat(card.flops().convention()).isEqualTo(FlopConvention.SIX_N_ATTENTION);
        assertThat(card.flops().family().layers()).isEqualTo(2);
        assertThat(card.flops().family().context()).isEqualTo(128);

        double target = 1e14;
        Predictor.Prediction p = new Predictor(card, "card").atBudget(target);
        double n = p.outputs().get("params").value();
        double d = p.outputs().get("tokens").value();
        // the width of a 2-layer member with n parameters: n = 2(12w² + 13w) + 2w, solved here in closed form
        double w = (-28 + Math.sqrt(28 * 28 + 4 * 24 * n)) / (2 * 24);
        double perToken = 6 * n + 6.0 * 2 * 128 * w;
        assertThat(d * perToken).as("FLOPs of the predicted allocation").isCloseTo(target, within(target * 1e-6));
        assertThat(d * 6 * n).as("6N·D would undercount it").isLessThan(0.99 * target);
        // and it is the surface's own optimum along that budget (within the fit's recovery of a noiseless surface)
        ChinchillaLaw.Allocation truth = TRUTH.optimum(target, plan.flops());
        assertThat(n / truth.params()).isCloseTo(1.0, within(0.02));
    }

    @Test
    void countingEveryParameterStillSpendsTheBudgetOnTheNonEmbeddingCount() throws Exception {
        Path config = Path.of(AttentionAllocationTest.class.getResource("/attention-isoflop.yaml").toURI());
        Plan plan = Planner.plan(ConfigLoader.load(config), 1, "test", Throughput.rough());
        PlannedRun first = plan.runs().get(0);
        int width = first.spec().shape().dModel();
        long total = first.spec().shape().totalParams(first.spec().tiedOutput());
        long perWidth = (total - first.params()) / width; // the embeddings of one unit of width
        List<Observation> runs = new ArrayList<>();
        for (PlannedRun r : plan.runs()) { // a known surface of every parameter at each planned run
            double n = r.spec().shape().totalParams(r.spec().tiedOutput());
            double d = r.spec().tokens();
            runs.add(new Observation(n, d, r.flops(), TRUTH.loss(n, d), r.budget(), r.runId(), null, null));
        }
        FlopCount count = plan.flops(ParamCount.TOTAL);
        StudyFit fitter = new StudyFit(dir, count, ParamCount.TOTAL, 0, "test", new java.util.LinkedHashMap<>(),
                new ArrayList<>(), new ArrayList<>());
        FitCard card = fitter.fit(new ObservationTable("runs.csv", runs, null), Fitter.Law.CHINCHILLA, Map.of(), "test");
        assertThat(card.flops().params()).isEqualTo(ParamCount.TOTAL);
        assertThat(card.flops().embeddingPerWidth()).isEqualTo((int) perWidth);

        double target = 1e14;
        Predictor.Prediction p = new Predictor(card, "card").atBudget(target);
        double n = p.outputs().get("params").value();
        double d = p.outputs().get("tokens").value();
        // n = N' + e·w with N' = 2(12w² + 13w) + 2w: solved for w in closed form, then C = (6N' + 6·L·T·w)·D
        double w = (-(28 + perWidth) + Math.sqrt(Math.pow(28 + perWidth, 2) + 4 * 24 * n)) / (2 * 24);
        double nonEmbedding = 24 * w * w + 28 * w;
        double perToken = 6 * nonEmbedding + 6.0 * 2 * 128 * w;
        assertThat(d * perToken).as("FLOPs of the predicted allocation").isCloseTo(target, within(target * 1e-6));
        ChinchillaLaw.Allocation truth = TRUTH.optimum(target, count);
        assertThat(n / truth.params()).isCloseTo(1.0, within(0.02));
    }
}
