package dev.scalelab.sweep.run;

import dev.scalelab.core.run.Precision;
import dev.scalelab.sweep.plan.ConfigLoader;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.plan.PlannedRun;
import dev.scalelab.sweep.plan.Planner;
import dev.scalelab.sweep.plan.Throughput;
import dev.scalelab.sweep.platform.NativeBackend;
import dev.scalelab.sweep.train.Trainer;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A sweep into a folder: its plan, then every run of the plan (or of one shard) through the run pool,
 * with one log line per run on {@code err}. {@code scalelab sweep} and the quickstart are this.
 */
public final class Sweep {
    /**
     * @param config            the sweep config
     * @param out               the sweep folder
     * @param jobs              runs at once (null: one per CPU over the threads of a run)
     * @param shard             which runs this process may take (null: all, and no shard named in the log)
     * @param threads           threads per run (null: the config's training.threads, else 1)
     * @param precision         fp32, bf16 or auto (null: the config's training.precision, else fp32)
     * @param claimTimeout      when a claim whose heartbeat is older is taken over
     * @param checkpointMinutes checkpoint interval
     * @param calibrate         time each shape for the estimate (else a rough estimate)
     * @param advice            print the design advisor's warnings
     * @param worker            this process is a worker of a parent's pool (no header, no summary)
     * @param started           when the sweep started (a worker: its parent's start)
     * @param mainClass         for jobs > 1: the main class of a worker process
     * @param workerCommand     for jobs > 1: a worker process's arguments (the caller's command line)
     */
    public record Options(Path config, Path out, Integer jobs, Shard shard, Integer threads, String precision,
                          Duration claimTimeout,
                          double checkpointMinutes, boolean calibrate, boolean advice, boolean worker, Instant started,
                          String mainClass, java.util.function.Function<RunPool.Worker, List<String>> workerCommand) {
    }

    private Sweep() {
    }

    /** The plan of a config, with times estimated from timed steps of each shape ({@code calibrate}) or roughly. */
    public static Plan plan(Path config, Integer threads, String precision, boolean calibrate) {
        ConfigLoader.Loaded loaded = ConfigLoader.load(config);
        int n = threads != null ? threads : loaded.config().training() != null && loaded.config().training().threads() != null
                ? loaded.config().training().threads() : 1;
        return Planner.plan(loaded, n, precision, NativeBackend.describe().classifier(),
                calibrate ? Throughput.calibrated() : Throughput.rough());
    }

    /** Runs the sweep; returns its exit code (failures of runs in this process are thrown, RunPool.run). */
    public static int run(Options o, PrintWriter err, Trainer.Listener bar, Runnable barDone) throws Exception {
        Plan plan = plan(o.config(), o.threads(), o.precision(), o.calibrate() && !o.worker());
        int perRun = plan.runs().isEmpty() ? 1 : plan.runs().get(0).spec().threads();
        int j = o.jobs() != null ? o.jobs() : Math.max(1, Runtime.getRuntime().availableProcessors() / perRun);
        if (!o.worker()) {
            (o.advice() ? plan.warnings() : List.<String>of()).forEach(x -> err.println("warning: " + x));
            err.printf(Locale.ROOT, "sweep %s: %d runs%s, %d at once, estimated %s of training%s%n", plan.name(),
                    plan.runs().size(), o.shard() == null ? "" : " (shard " + o.shard() + ")", j,
                    duration(plan.totalSeconds() / j), plan.runs().isEmpty()
                            || plan.runs().get(0).spec().precision() == Precision.FP32 ? ""
                            : ", " + plan.runs().get(0).spec().precision().label() + " matrix multiplies");
            err.flush();
        }
        RunPool.Options pool = new RunPool.Options(o.worker() ? 1 : j, o.shard() == null ? Shard.ALL : o.shard(),
                o.claimTimeout(), o.worker()
                ? new RunPool.Threads() : new RunPool.Processes(o.mainClass(), o.workerCommand(), err), o.started());
        return SweepRunner.run(plan, o.out(), pool, new Trainer.Options(0, o.checkpointMinutes(), 1.5), bar,
                new RunPool.Listener<>() {
                    @Override
                    public void onUnitEnd(String owner, SweepRunner.SweepRun unit, Unit.Outcome outcome, double seconds,
                                          double remaining) {
                        PlannedRun run = unit.planned();
                        barDone.run();
                        err.printf(Locale.ROOT, "[%s] run %s %s %.3g tokens: %s in %s; about %s left%n", owner,
                                run.runId(), run.spec().shape().label(), (double) run.spec().tokens(), outcome.text(),
                                duration(seconds), duration(remaining));
                        err.flush();
                    }

                    @Override
                    public void onFinished(RunPool.Summary s) {
                        if (!o.worker()) {
                            err.printf(Locale.ROOT, "done: %d completed, %d diverged, %d failed, %d already done, %d "
                                    + "claimed by others%n", s.completed(), s.diverged(), s.failed(), s.skippedDone(),
                                    s.skippedClaimed());
                        }
                    }
                });
    }

    /** 1h05m or 3m07s. */
    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
