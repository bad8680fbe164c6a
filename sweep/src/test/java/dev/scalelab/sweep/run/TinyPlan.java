package dev.scalelab.sweep.run;

import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.plan.PlannedRun;
import dev.scalelab.sweep.train.Trainer;

import java.util.ArrayList;
import java.util.List;

/** Sweeps of a few runs of a few steps each on the Markov corpus, for the run folder's tests. */
final class TinyPlan {
    static final SweepRunner.Listener QUIET = new SweepRunner.Listener() {
        @Override
        public void onRunStart(PlannedRun run, int index, int total) {
        }

        @Override
        public void onRunEnd(PlannedRun run, String outcome, double seconds, double remainingSeconds) {
        }
    };
    static final Trainer.Listener QUIET_TRAINING = new Trainer.Listener() {
    };

    private TinyPlan() {
    }

    static PlannedRun run(String corpus, int dModel, long steps, Double budget) {
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(3e-3, LrSchedule.COSINE, 1, 0.1, 0.2, 0.1, false, 0.9, 0.95,
                1e-8, 1.0);
        TrainSpec spec = new TrainSpec(new ModelShape(1, 2, dModel, 8, 256), true, corpus, 0, 2, steps, opt, 2, 1, 1, "test");
        return new PlannedRun(spec.runId(), budget, spec, spec.shape().nonEmbeddingParams(),
                6.0 * spec.shape().nonEmbeddingParams() * spec.tokens(), 1.5);
    }

    /** {@code sizes} runs of widths 8, 16, ... on the Markov corpus, then any {@code extra} runs. */
    static Plan plan(int sizes, PlannedRun... extra) {
        List<PlannedRun> runs = new ArrayList<>();
        for (int i = 1; i <= sizes; i++) {
            runs.add(run("markov", 8 * i, 4, i % 2 == 0 ? 2e6 : 1e6));
        }
        runs.addAll(List.of(extra));
        return new Plan("tiny", "tiny.yaml", "markov", "6N", runs, List.of(), "test");
    }
}
