package dev.scalelab.study;

import dev.scalelab.core.data.EvalRow;
import dev.scalelab.fitting.FitCard;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The report's task chain per probed skill (Bhagia et al. 2024): answer loss from (N, D), exact match from that loss. */
class TaskChainsTest {
    /** Answer loss 0.3 + 40/N^0.4 + 300/D^0.35 and exact match 1 − 0.8/(1 + exp(−3(L − 1.2))), a 3x3 grid. */
    private static List<EvalRow> rows(boolean flat) {
        List<EvalRow> out = new ArrayList<>();
        int i = 0;
        for (double n : new double[] {2e3, 6e3, 2e4, 6e4}) {
            for (double d : new double[] {1e6, 3e6, 1e7}) {
                double loss = answerLoss(n, d) * (1 + 0.01 * Math.sin(3.0 * i));
                double exact = flat ? 0.01 * (i % 2) : exact(loss) * (1 + 0.01 * Math.cos(5.0 * i));
                String run = "r" + i++;
                out.add(new EvalRow("s", run, n, "facts", "answer_logprob", -loss, 256, 3, d, 6 * n * d, 0));
                out.add(new EvalRow("s", run, n, "facts", "exact_match", exact, 256, 3, d, 6 * n * d, 0));
                out.add(new EvalRow("s", run, n, "copy", "answer_logprob", -3.5, 256, 3, d, 6 * n * d, 0));
                out.add(new EvalRow("s", run, n, "copy", "exact_match", 0.0, 256, 3, d, 6 * n * d, 0));
            }
        }
        return out;
    }

    static double answerLoss(double n, double d) {
        return 0.3 + 40 * Math.pow(n, -0.4) + 300 * Math.pow(d, -0.35);
    }

    static double exact(double loss) {
        return 1 - 0.8 / (1 + Math.exp(-3 * (loss - 1.2)));
    }

    @Test
    void eachSkillGetsItsChainAndASkillWithoutSignalIsNamed() {
        List<TaskChains.Chain> chains = TaskChains.fit(rows(false), null, null, 50, "test");
        assertThat(chains).extracting(TaskChains.Chain::skill).containsExactly("facts", "copy");
        TaskChains.Chain facts = chains.get(0);
        assertThat(facts.skipped()).isNull();
        assertThat(facts.runs()).hasSize(12);
        // step 2 recovers the sigmoid (in its convention: a = -0.8, b = 1 at the ideal point's side)
        assertThat(facts.taskCard().parameters().get("L0").value()).isCloseTo(1.2, within(0.15));
        assertThat(facts.taskCard().parameters().get("a").value()).isCloseTo(-0.8, within(0.1));
        assertThat(chains.get(1).skipped()).contains("every run's exact match is 0.0");
        assertThat(TaskChains.caption(facts)).contains("step 1").contains("ideal point").doesNotContain("spans only");
    }

    @Test
    void theChainPredictsTheCheckModelsExactMatchAndTheCaptionComparesIt() {
        double n = 1e5; // just beyond the largest run, as a check run at a larger budget
        double d = 1.5e7;
        dev.scalelab.core.run.RunResult check = new dev.scalelab.core.run.RunResult("check", null,
                dev.scalelab.core.run.RunStatus.COMPLETED, null, 1, (long) d, java.util.Map.of(),
                new dev.scalelab.core.run.RunResult.ParamCounts((long) n, (long) (1.5 * n)), 1, 1, 1, 1, 1, 1, 1, 1, 1,
                null);
        TaskChains.Chain facts = TaskChains.fit(rows(false), check, null, 100, "test").get(0);
        FitCard.Estimate e = facts.atCheck().outputs().get("accuracy");
        double truth = exact(answerLoss(n, d));
        assertThat(e.value()).isCloseTo(truth, within(0.03));
        assertThat(e.prediction().get(0)).isLessThan(truth);
        assertThat(e.prediction().get(1)).isGreaterThan(truth);
        TaskChains.Chain measured = new TaskChains.Chain(facts.skill(), facts.runs(), facts.lossCard(), facts.taskCard(),
                facts.atCheck(), truth, answerLoss(n, d), null);
        assertThat(TaskChains.caption(measured)).contains("At the check run's size the chain predicts exact match")
                .contains("inside the prediction interval").contains("Step 1 predicted its answer loss");
    }

    @Test
    void runsWhoseExactMatchBarelyMovesAreFittedButTheCaptionSaysSo() {
        TaskChains.Chain facts = TaskChains.fit(rows(true), null, null, 0, "test").get(0);
        assertThat(facts.skipped()).isNull();
        assertThat(TaskChains.caption(facts)).contains("spans only 0.000 to 0.010").contains("says little");
    }
}
