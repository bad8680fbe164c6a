package dev.scalelab.sweep.run;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.OutputFailedException;
import dev.scalelab.core.ScalelabException;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a plan's runs into {@code DIR/runs/<run-id>/}: finished runs are skipped, interrupted ones
 * resume from their checkpoints, a failed run is recorded ({@code failed.json}) and the sweep goes on
 * (other processes sharing the folder leave it alone until the sweep is run again);
 * an output that cannot be written (a full disk, a read-only folder) stops the sweep at once.
 * Several processes may run one folder at once; claims keep every run to one of them.
 */
public final class SweepRunner {
    /** Progress callbacks. */
    public interface Listener {
        void onRunStart(PlannedRun run, int index, int total);

        void onRunEnd(PlannedRun run, String outcome, double seconds, double remainingSeconds);
    }

    /** What this process did; {@code failures} holds one entry per failed run, in order. */
    public record Summary(int completed, int diverged, int skippedDone, int skippedClaimed, List<Failure> failures) {
        public int failed() {
            return failures.size();
        }
    }

    /** A run that failed: its folder, the error, and whether the error was the input's (exit 3) or scalelab's (exit 1). */
    public record Failure(Path runDir, String message, boolean inputError, Throwable cause) {
    }

    /** The runs of shard {@code k} of {@code n} (1-based): every n-th run of the plan, starting at the k-th. */
    public static List<PlannedRun> share(Plan plan, int k, int n) {
        List<PlannedRun> out = new ArrayList<>();
        for (int i = 0; i < plan.runs().size(); i++) {
            if (i % n == k - 1) {
                out.add(plan.runs().get(i));
            }
        }
        return out;
    }

    /**
     * @param started when this sweep started (for --jobs workers, their parent's start): a run that failed
     *                since then, in any process, is not tried again by this one
     */
    public static Summary run(Plan plan, List<PlannedRun> runs, Path out, java.time.Instant started,
                              Trainer.Options options, Claims claims, Listener listener, Trainer.Listener trainerListener) {
        Json.write(out.resolve(SweepLayout.PLAN), plan);
        int completed = 0;
        int diverged = 0;
        List<Failure> failures = new ArrayList<>();
        int done = 0;
        int claimed = 0;
        double remaining = runs.stream().mapToDouble(PlannedRun::estimatedSeconds).sum();
        Map<String, Corpus> corpora = new java.util.HashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            PlannedRun r = runs.get(i);
            Path dir = SweepLayout.runDir(out, r.runId());
            remaining -= r.estimatedSeconds();
            if (Files.isRegularFile(dir.resolve(RunLayout.RESULT))) {
                done++;
                continue;
            }
            if (!claims.tryClaim(dir)) {
                claimed++;
                continue;
            }
            if (failedSince(dir, started)) { // failed in another process of this sweep: once is enough
                claims.release(dir);
                claimed++;
                continue;
            }
            long start = System.nanoTime();
            String outcome;
            try {
                Files.deleteIfExists(dir.resolve(RunLayout.FAILED));
                if (Files.isRegularFile(dir.resolve(RunLayout.RESULT))) { // finished while we claimed
                    done++;
                    continue;
                }
                listener.onRunStart(r, i, runs.size());
                Corpus corpus = corpora.computeIfAbsent(r.spec().corpus(),
                        id -> Corpora.open(id, r.spec().shape().context()));
                RunResult result = Trainer.train(r.spec(), corpus, dir, true, options, trainerListener);
                outcome = switch (result.status()) {
                    case COMPLETED -> {
                        completed++;
                        yield String.format(java.util.Locale.ROOT, "completed, validation loss %.4f", result.finalValLoss());
                    }
                    case DIVERGED -> {
                        diverged++;
                        yield "diverged: " + result.message();
                    }
                    case FAILED -> {
                        failures.add(new Failure(dir, String.valueOf(result.message()), false, null));
                        yield "failed: " + result.message();
                    }
                };
            } catch (OutputFailedException e) {
                throw e; // a full disk or a read-only folder: every later run would fail the same way
            } catch (ScalelabException | IOException | IllegalStateException | IllegalArgumentException e) {
                outcome = "failed: " + e.getMessage();
                failures.add(new Failure(dir, String.valueOf(e.getMessage()),
                        e instanceof ScalelabException se && se.exitCode() == ExitCode.INVALID_INPUT, e));
                Json.write(dir.resolve(RunLayout.FAILED), Map.of("runId", r.runId(), "error", String.valueOf(e.getMessage()),
                        "owner", claims.owner()));
            } finally {
                claims.release(dir);
            }
            listener.onRunEnd(r, outcome, (System.nanoTime() - start) / 1e9, remaining);
        }
        return new Summary(completed, diverged, done, claimed, List.copyOf(failures));
    }

    /**
     * True when the run failed after {@code since}: in another process of this same sweep (a --jobs
     * worker, a shard). It is not tried again until the sweep is run again.
     */
    private static boolean failedSince(Path dir, java.time.Instant since) {
        try {
            return Files.getLastModifiedTime(dir.resolve(RunLayout.FAILED)).toInstant().isAfter(since);
        } catch (IOException e) {
            return false; // no failed.json
        }
    }

    /** The heartbeat and take-over timeout used by sweeps. */
    public static Claims claims(Duration timeout) {
        return new Claims(Duration.ofSeconds(Math.max(1, Math.min(30, timeout.toSeconds() / 4))), timeout);
    }
}
