package dev.scalelab.sweep.run;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.ExitCode;
import dev.scalelab.core.ScalelabException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The one pool that trains a list of run folders ({@link Unit}s) for {@code scalelab sweep} and
 * {@code scalelab grok --phase}: {@code jobs} at once, only those of a {@link Shard}, each claimed
 * ({@link Claims}, with a heartbeat; a claim older than {@code claimTimeout} is taken over) so that
 * many processes can share one folder. Finished units are skipped; a failed one is recorded in its
 * failed.json, the others go on, and it is not tried again by any worker of this pool (nor by a
 * process started with the same {@code started}) until the pool is run again. Its workers are
 * threads of this process or child processes of the same command ({@link Workers}); one job always
 * runs in this process.
 */
public final class RunPool {

    private RunPool() {
    }

    /**
     * @param started when this pool started (a worker process gets its parent's): a unit that failed
     *                since then, in any worker, is not tried again
     */
    public record Options(int jobs, Shard shard, Duration claimTimeout, Workers workers, Instant started) {
    }

    /** How a pool of more than one job runs its workers. */
    public sealed interface Workers permits Threads, Processes {
    }

    /** Workers are threads of this process, sharing its claims. */
    public record Threads() implements Workers {
    }

    /**
     * Workers are child JVMs of {@code mainClass} with the arguments {@code args} gives for a worker
     * (a one-job pool on the same folder, shard, start and claim timeout: the command line is the
     * caller's to spell); their stdout is this process's, their stderr is copied line by line to
     * {@code err}.
     */
    public record Processes(String mainClass, java.util.function.Function<Worker, List<String>> args, PrintWriter err)
            implements Workers {
    }

    /** What a worker process must be told: its shard, when its pool started, and the claim timeout. */
    public record Worker(Shard shard, Instant started, Duration claimTimeout) {
    }

    /** What a pool trains; asked for only where the units run (not by a parent of worker processes). */
    public interface Work<U extends Unit> {
        List<U> units();
    }

    /** Progress callbacks, one at a time. */
    public interface Listener<U extends Unit> {
        /** A unit was trained (or failed); {@code owner} is this process's claim owner. */
        default void onUnitEnd(String owner, U unit, Unit.Outcome outcome, double seconds, double remainingSeconds) {
        }

        /** Every unit was seen (in this process), before any failure is reported. */
        default void onFinished(Summary summary) {
        }
    }

    /** What this process did; {@code failures} holds one entry per failed unit, in order. */
    public record Summary(int completed, int diverged, int skippedDone, int skippedClaimed, List<Failure> failures) {
        public int failed() {
            return failures.size();
        }
    }

    /** A unit that failed: its folder, the error, and whether the error was the input's (exit 3) or scalelab's (exit 1). */
    public record Failure(Path runDir, String message, boolean inputError, Throwable cause) {
    }

    /**
     * Runs the shard's units and returns the exit code: 0, or for worker processes the worst of
     * theirs (1 before any other). Failed units in this process are thrown after the others ran, as
     * one error naming the first (exit 3 when every one failed on its input, else 1).
     */
    public static <U extends Unit> int run(Options options, Work<U> work, Listener<U> listener)
            throws IOException, InterruptedException {
        if (options.jobs() > 1 && options.workers() instanceof Processes p) {
            return WorkerProcesses.run(options, p);
        }
        Summary s = InProcessPool.run(options, work.units(), listener);
        listener.onFinished(s);
        if (!s.failures().isEmpty()) {
            throw failed(s.failures());
        }
        return ExitCode.OK.code();
    }

    /** The one error for a pool's failed units. */
    static ScalelabException failed(List<Failure> failures) {
        Failure first = failures.get(0);
        String text = failures.size() + (failures.size() == 1 ? " run" : " runs") + " failed; " + first.runDir() + ": "
                + first.message() + " (each run's error is in its " + RunLayout.FAILED
                + "; rerun the sweep to retry them, the other runs are kept)";
        return new ScalelabException(failures.stream().allMatch(Failure::inputError)
                ? ExitCode.INVALID_INPUT : ExitCode.INTERNAL_ERROR, text, first.cause());
    }

    /**
     * True when the unit failed after {@code started}: in another worker of this same pool (a --jobs
     * worker, a shard). It is not tried again until the pool is run again.
     */
    static boolean failedSince(Path dir, Instant started) {
        try {
            return Files.getLastModifiedTime(dir.resolve(RunLayout.FAILED)).toInstant().isAfter(started);
        } catch (IOException e) {
            return false; // no failed.json
        }
    }

    /** Claims with the heartbeat used by pools: a quarter of the timeout, between 1 and 30 seconds. */
    public static Claims claims(Duration timeout) {
        return new Claims(Duration.ofSeconds(Math.max(1, Math.min(30, timeout.toSeconds() / 4))), timeout);
    }
}
