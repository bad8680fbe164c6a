package dev.scalelab.sweep.run;

import dev.scalelab.core.ScalelabException;
import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.plan.PlannedRun;
import dev.scalelab.sweep.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Sweeps of a few runs of a few steps each on the Markov corpus, for the run folder's tests. */
final class TinyPlan {
    static final Trainer.Listener QUIET_TRAINING = new Trainer.Listener() {
    };

    private TinyPlan() {
    }

    static PlannedRun run(String corpus, int dModel, long steps, Double budget) {
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(3e-3, LrSchedule.COSINE, 1, 0.1, 0.2, 0.1, false, 0.9, 0.95,
                1e-8, 1.0);
        TrainSpec spec = new TrainSpec(new ModelShape(1, 2, dModel, 8, 256), true, corpus, 0, 2, steps, opt, 2, 1, 0, 1, "test");
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
        return new Plan("tiny", "tiny.yaml", "markov", FlopConvention.SIX_N, null, runs, List.of(), "test");
    }

    /**
     * Sweeps {@code plan} into {@code out} in this process (one job, all shards) as a sweep started at
     * {@code started}; the ids and outcomes of the runs it trained or failed are added to the lists.
     * Failures are in the summary (the pool also throws them, after it).
     */
    static RunPool.Summary sweep(Plan plan, Path out, Instant started, List<String> ids, List<String> outcomes)
            throws IOException {
        RunPool.Summary[] summary = new RunPool.Summary[1];
        try {
            SweepRunner.run(plan, out, new RunPool.Options(1, Shard.ALL, Duration.ofMinutes(5), new RunPool.Threads(),
                    started), Trainer.Options.defaults(), QUIET_TRAINING, new RunPool.Listener<>() {
                        @Override
                        public void onUnitEnd(String owner, SweepRunner.SweepRun unit, Unit.Outcome outcome, double seconds,
                                              double remaining) {
                            ids.add(unit.planned().runId());
                            outcomes.add(outcome.text());
                        }

                        @Override
                        public void onFinished(RunPool.Summary s) {
                            summary[0] = s;
                        }
                    });
        } catch (ScalelabException e) {
            // the failures, already in the summary
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return summary[0];
    }

    static RunPool.Summary sweep(Plan plan, Path out, Instant started) throws IOException {
        return sweep(plan, out, started, new ArrayList<>(), new ArrayList<>());
    }
}
