package dev.scalelab.cli;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.ScalelabException;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.plan.PlannedRun;
import dev.scalelab.sweep.run.Claims;
import dev.scalelab.sweep.run.SweepRunner;
import dev.scalelab.sweep.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
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

    @Option(names = "--jobs", paramLabel = "J", description = "Runs at once, as processes (default: CPUs / threads per run).")
    Integer jobs;

    @Option(names = "--shard", paramLabel = "K/N", description = "Run only shard K of N (1-based), e.g. 2/4.")
    String shard;

    @Option(names = "--threads", paramLabel = "N", description = "Threads per run (default: the config's training.threads, else 1).")
    Integer threads;

    @Option(names = "--claim-timeout", defaultValue = "300", paramLabel = "SECONDS",
            description = "Take over a claim whose heartbeat is older than this (default: ${DEFAULT-VALUE}).")
    long claimTimeout;

    @Option(names = "--checkpoint-minutes", defaultValue = "5", paramLabel = "MIN", description = "Checkpoint interval (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Option(names = "--no-calibrate", description = "Estimate times roughly instead of timing each shape.")
    boolean noCalibrate;

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
    private final java.time.Instant started = java.time.Instant.now();

    @Option(names = "--no-advice", hidden = true, description = "Internal: a one-run check sweep, where the design "
            + "advisor's warnings about brackets and spans do not apply.")
    boolean noAdvice;

    @Override
    public Integer call() throws Exception {
        int[] kn = parseShard(shard);
        Plan plan = PlanCommand.plan(config, threads, noCalibrate || worker);
        int perRun = plan.runs().isEmpty() ? 1 : plan.runs().get(0).spec().threads();
        int j = jobs != null ? jobs : Math.max(1, Runtime.getRuntime().availableProcessors() / perRun);
        PrintWriter err = spec.commandLine().getErr();
        if (emitSlurm != null) {
            int n = shards != null ? shards : Math.max(1, Math.min(16, plan.runs().size()));
            SlurmScripts.write(emitSlurm, plan, config, out, n, perRun, mem, checkpointMinutes);
            PrintWriter w = spec.commandLine().getOut();
            w.printf(Locale.ROOT, "wrote %s (%d array tasks) and %s; submit with:%n", emitSlurm, n,
                    SlurmScripts.followup(emitSlurm));
            w.printf(Locale.ROOT, "  jid=$(sbatch --parsable %s) && sbatch --dependency=afterany:$jid %s%n", emitSlurm,
                    SlurmScripts.followup(emitSlurm));
            w.printf(Locale.ROOT, "to finish a partial sweep, resubmit only the missing tasks: sbatch --array=2,5 %s%n", emitSlurm);
            w.flush();
            return 0;
        }
        if (!worker) {
            (noAdvice ? List.<String>of() : plan.warnings()).forEach(x -> err.println("warning: " + x));
            err.printf(Locale.ROOT, "sweep %s: %d runs%s, %d at once, estimated %s of training%n", plan.name(),
                    plan.runs().size(), shard == null ? "" : " (shard " + shard + ")", j,
                    PlanCommand.duration(plan.totalSeconds() / j));
            err.flush();
        }
        if (j > 1 && !worker) {
            return spawn(j);
        }
        List<PlannedRun> mine = SweepRunner.share(plan, kn[0], kn[1]);
        Progress bar = new Progress(err) {
            @Override
            public void onEvaluation(dev.scalelab.sweep.train.MetricsLog.Row row) {
                // a sweep logs one line per run; the bar shows on a terminal
            }
        };
        try (Claims claims = SweepRunner.claims(Duration.ofSeconds(claimTimeout))) {
            Thread hook = new Thread(claims::close, "scalelab-release-claims");
            Runtime.getRuntime().addShutdownHook(hook);
            java.time.Instant since = startedAt != null ? java.time.Instant.ofEpochMilli(startedAt) : started;
            SweepRunner.Summary s = SweepRunner.run(plan, mine, out, since,
                    new Trainer.Options(0, checkpointMinutes, 1.5), claims, new SweepRunner.Listener() {
                        @Override
                        public void onRunStart(PlannedRun run, int index, int total) {
                        }

                        @Override
                        public void onRunEnd(PlannedRun run, String outcome, double seconds, double remaining) {
                            bar.finish();
                            err.printf(Locale.ROOT, "[%s] run %s %s %.3g tokens: %s in %s; about %s left%n", claims.owner(),
                                    run.runId(), run.spec().shape().label(), (double) run.spec().tokens(), outcome,
                                    PlanCommand.duration(seconds), PlanCommand.duration(remaining));
                            err.flush();
                        }
                    }, worker ? new Trainer.Listener() {
                    } : bar);
            Runtime.getRuntime().removeShutdownHook(hook);
            if (!worker) {
                err.printf(Locale.ROOT, "done: %d completed, %d diverged, %d failed, %d already done, %d claimed by "
                        + "others%n", s.completed(), s.diverged(), s.failed(), s.skippedDone(), s.skippedClaimed());
            }
            if (!s.failures().isEmpty()) {
                SweepRunner.Failure first = s.failures().get(0);
                String text = s.failures().size() + (s.failures().size() == 1 ? " run" : " runs") + " failed; "
                        + first.runDir() + ": "
                        + first.message() + " (each run's error is in its " + RunLayout.FAILED
                        + "; rerun the sweep to retry them, the other runs are kept)";
                throw new ScalelabException(s.failures().stream().allMatch(SweepRunner.Failure::inputError)
                        ? ExitCode.INVALID_INPUT : ExitCode.INTERNAL_ERROR, text, first.cause());
            }
            return 0;
        }
    }

    /** J child processes of this same command, each a worker on the same folder and shard; claims divide the runs. */
    private int spawn(int j) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> children = new ArrayList<>();
        List<Thread> relays = new ArrayList<>();
        for (int i = 0; i < j; i++) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Main.class.getName());
            cmd.addAll(List.of("sweep", config.toString(), "--out", out.toString(), "--jobs", "1", "--worker",
                    "--started-at", Long.toString(started.toEpochMilli()),
                    "--claim-timeout", Long.toString(claimTimeout), "--checkpoint-minutes", Double.toString(checkpointMinutes)));
            if (shard != null) {
                cmd.addAll(List.of("--shard", shard));
            }
            if (threads != null) {
                cmd.addAll(List.of("--threads", threads.toString()));
            }
            Process child = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT).start();
            relays.add(relay(child.getErrorStream(), spec.commandLine().getErr()));
            children.add(child);
            Thread.sleep(200); // stagger the claims a little
        }
        int worst = 0;
        boolean internal = false;
        for (Process p : children) {
            int code = p.waitFor();
            internal |= code == dev.scalelab.core.ExitCode.INTERNAL_ERROR.code();
            worst = Math.max(worst, code);
        }
        for (Thread t : relays) {
            t.join(5_000); // a worker's last line (its error) must be out before this process exits
        }
        return internal ? dev.scalelab.core.ExitCode.INTERNAL_ERROR.code() : worst;
    }

    /** Copies a child's stderr line by line, dropping the JVM's notice about the incubator module. */
    private static Thread relay(java.io.InputStream from, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(from, java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("WARNING: Using incubator modules")) {
                        synchronized (to) {
                            to.println(line);
                            to.flush();
                        }
                    }
                }
            } catch (IOException e) {
                // the child ended
            }
        }, "scalelab-relay");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static int[] parseShard(String shard) {
        if (shard == null) {
            return new int[] {1, 1};
        }
        String[] p = shard.split("/");
        try {
            int k = Integer.parseInt(p[0]);
            int n = Integer.parseInt(p[1]);
            if (p.length == 2 && n >= 1 && k >= 1 && k <= n) {
                return new int[] {k, n};
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // fall through
        }
        throw new InvalidInputException("command line", 0, "--shard", "cannot read shard '" + shard + "'",
                "write K/N with 1 <= K <= N, e.g. 2/4");
    }
}
