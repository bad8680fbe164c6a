package dev.scalelab.cli;

import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.run.RunPool;
import dev.scalelab.sweep.run.Shard;
import dev.scalelab.sweep.run.Sweep;
import dev.scalelab.sweep.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Runs a sweep, or a shard of it, into a folder. */
@Command(name = "sweep", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Run a sweep's runs into a folder; resumable, shardable, parallel.",
        descriptionHeading = "%n",
        description = {
                "Trains every run of the plan into OUT/runs/<run-id>/ (the id is a hash of the resolved spec). "
                        + "Finished runs are skipped, interrupted ones resume from their checkpoints, a failed or "
                        + "diverged run is recorded and the sweep goes on. Many processes may share OUT: each run is "
                        + "claimed by one (an exclusive claim file with a heartbeat), and a claim left by a dead process "
                        + "is taken over after --claim-timeout.",
                "",
                "Exit 3 after the other runs when a run failed on its input (a damaged run folder; its error is in "
                        + "its failed.json; exit 1 if a run failed inside scalelab), and at once when a result cannot "
                        + "be written (a full disk, a read-only folder); finished runs are always kept. With --jobs, "
                        + "each worker process reports its own failed runs.",
                "",
                "--jobs J runs J runs at once as separate processes (default: one per CPU, each run on "
                        + "training.threads threads, 1 by default: on 2 cores two 1-thread runs gave 1.34x the throughput "
                        + "of two 2-thread runs). --shard K/N runs only every N-th run from the K-th."})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "A sweep config, e.g. configs/quickstart.yaml.")
    Path config;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The sweep folder.")
    Path out;

    @Mixin
    RunPoolOptions.Jobs jobs;

    @Mixin
    RunPoolOptions.ShardOption shard;

    @Mixin
    ThreadsOption threads;

    @Mixin
    PrecisionOption precision;

    @Mixin
    RunPoolOptions.ClaimTimeout claimTimeout;

    @Option(names = "--checkpoint-minutes", defaultValue = "5", paramLabel = "MIN", description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Mixin
    RunPoolOptions.NoCalibrate noCalibrate;

    @Option(names = "--emit-slurm", paramLabel = "FILE",
            description = "Write an sbatch job-array script (one shard per task) to FILE and a follow-up job to "
                    + "FILE.followup that collects and fits; train nothing here.")
    Path emitSlurm;

    @Option(names = "--shards", paramLabel = "N", description = "Shards (array tasks) for --emit-slurm (default: runs, at most 16).")
    Integer shards;

    @Option(names = "--mem", defaultValue = "4G", paramLabel = "SIZE", description = "Memory per array task for --emit-slurm (default: ${DEFAULT-VALUE}).")
    String mem;

    @Option(names = "--worker", hidden = true, description = "Internal: a child process of --jobs.")
    boolean worker;

    @Option(names = "--started-at", hidden = true, description = "Internal: when the parent of --jobs started "
            + "(epoch milliseconds); a run that failed since then in any worker is not tried again.")
    Long startedAt;

    /** When this sweep started: its own start, or for a --jobs worker its parent's. */
    private final Instant started = Instant.now();

    @Option(names = "--no-advice", hidden = true, description = "Internal: a one-run check sweep, where the design "
            + "advisor's warnings about brackets and spans do not apply.")
    boolean noAdvice;

    @Override
    public Integer call() throws Exception {
        Shard sh = shard.shard == null ? null : Shard.parse(shard.shard);
        PrintWriter err = spec.commandLine().getErr();
        if (emitSlurm != null) {
            Plan plan = Sweep.plan(config, threads.given(), precision.given(), !noCalibrate.noCalibrate);
            int perRun = plan.runs().isEmpty() ? 1 : plan.runs().get(0).spec().threads();
            int n = shards != null ? shards : Math.max(1, Math.min(16, plan.runs().size()));
            String products = plan.runs().isEmpty() ? "fp32" : plan.runs().get(0).spec().precision().label();
            SlurmScripts.write(emitSlurm, plan, config, out, n, perRun, products, mem, checkpointMinutes);
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "wrote %s (%d array tasks) and %s; submit with:%n", emitSlurm, n,
                    SlurmScripts.followup(emitSlurm));
            w.printf(Locale.ROOT, "  jid=$(sbatch --parsable %s) && sbatch --dependency=afterany:$jid %s%n", emitSlurm,
                    SlurmScripts.followup(emitSlurm));
            w.printf(Locale.ROOT, "to finish a partial sweep, resubmit only the missing tasks: sbatch --array=2,5 %s%n", emitSlurm);
            w.flush();
            return 0;
        }
        Progress bar = bar(err);
        return Sweep.run(options(config, out, jobs.jobs, sh, threads.given(), precision.given(), claimTimeout.seconds,
                checkpointMinutes,
                !noCalibrate.noCalibrate, !noAdvice,
                worker, startedAt != null ? Instant.ofEpochMilli(startedAt) : started), err,
                worker ? new Trainer.Listener() {
                } : bar, bar::finish);
    }

    /** The progress bar of a sweep's runs: a sweep logs one line per run; the bar shows on a terminal. */
    static Progress bar(PrintWriter err) {
        return new Progress(err) {
            @Override
            public void onEvaluation(dev.scalelab.sweep.train.MetricsLog.Row row) {
            }
        };
    }

    /** A sweep's options, with the command line that starts one of its worker processes. */
    static Sweep.Options options(Path config, Path out, Integer jobs, Shard shard, Integer threads, String precision,
                                 long claimTimeout, double checkpointMinutes, boolean calibrate, boolean advice, boolean worker,
                                 Instant started) {
        java.util.function.Function<RunPool.Worker, List<String>> workerArgs = w -> {
            List<String> args = new ArrayList<>(List.of("sweep", config.toString(), "--out", out.toString(),
                    "--checkpoint-minutes", Double.toString(checkpointMinutes)));
            if (threads != null) {
                args.addAll(List.of("--threads", threads.toString()));
            }
            if (precision != null) {
                args.addAll(List.of("--precision", precision));
            }
            args.addAll(List.of("--jobs", "1", "--worker", "--started-at", Long.toString(w.started().toEpochMilli()),
                    "--claim-timeout", Long.toString(w.claimTimeout().toSeconds())));
            if (!w.shard().equals(Shard.ALL)) {
                args.addAll(List.of("--shard", w.shard().toString()));
            }
            return args;
        };
        return new Sweep.Options(config, out, jobs, shard, threads, precision, Duration.ofSeconds(claimTimeout),
                checkpointMinutes,
                calibrate, advice, worker, started, Main.class.getName(), workerArgs);
    }
}
