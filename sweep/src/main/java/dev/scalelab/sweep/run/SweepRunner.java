package dev.scalelab.sweep.run;

import dev.scalelab.core.io.Json;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.sweep.corpus.Corpora;
import dev.scalelab.sweep.corpus.Corpus;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.plan.PlannedRun;
import dev.scalelab.sweep.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a plan's runs into {@code DIR/runs/<run-id>/} with the {@link RunPool}: finished runs are
 * skipped, interrupted ones resume from their checkpoints, a failed run is recorded ({@code failed.json})
 * and the sweep goes on (other processes sharing the folder leave it alone until the sweep is run again);
 * an output that cannot be written (a full disk, a read-only folder) stops the sweep at once.
 * Several processes may run one folder at once; claims keep every run to one of them.
 */
public final class SweepRunner {

    private SweepRunner() {
    }

    /**
     * Trains the plan's runs (those of {@code pool.shard()}) into {@code out}, writing plan.json first
     * wherever runs are trained; returns the pool's exit code (see {@link RunPool#run}).
     */
    public static int run(Plan plan, Path out, RunPool.Options pool, Trainer.Options options,
                          Trainer.Listener trainerListener, RunPool.Listener<SweepRun> listener)
            throws IOException, InterruptedException {
        return RunPool.run(pool, () -> {
            Json.write(SweepLayout.plan(out), plan);
            Map<String, Corpus> corpora = new ConcurrentHashMap<>();
            return plan.runs().stream()
                    .map(r -> new SweepRun(r, SweepLayout.runDir(out, r.runId()), corpora, options, trainerListener)).toList();
        }, listener);
    }

    /** One planned run of a sweep, as a unit of the pool; its runs share their opened corpora. */
    public record SweepRun(PlannedRun planned, Path dir, Map<String, Corpus> corpora, Trainer.Options options,
                           Trainer.Listener trainerListener) implements Unit {
        @Override
        public String id() {
            return planned.runId();
        }

        @Override
        public double estimatedSeconds() {
            return planned.estimatedSeconds();
        }

        @Override
        public boolean finished() {
            return Files.isRegularFile(dir.resolve(RunLayout.RESULT));
        }

        @Override
        public Outcome run() {
            Corpus corpus = corpora.computeIfAbsent(planned.spec().corpus(),
                    id -> Corpora.open(id, planned.spec().shape().context()));
            RunResult result = Trainer.train(planned.spec(), corpus, dir, true, options, trainerListener);
            return switch (result.status()) {
                case COMPLETED -> Outcome.completed(String.format(Locale.ROOT, "completed, validation loss %.4f",
                        result.finalValLoss()));
                case DIVERGED -> Outcome.diverged(result.message());
                case FAILED -> Outcome.failed(result.message());
            };
        }
    }
}
