package dev.scalelab.sweep.run;

import dev.scalelab.core.ExitCode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RunPool} of child processes: {@code jobs} JVMs of the same command, each a one-job pool on
 * the same folder and shard, started a little apart; their claims divide the units. Each reports its
 * own failed units; the pool's exit code is the worst of theirs, an internal error (1) before an
 * input error (3).
 */
final class WorkerProcesses {
    /** The JVM's notice about the incubator module, which every child prints and no user needs. */
    static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules";

    private WorkerProcesses() {
    }

    static int run(RunPool.Options options, RunPool.Processes p) throws IOException, InterruptedException {
        List<Process> children = new ArrayList<>();
        List<Thread> relays = new ArrayList<>();
        List<String> cmd = command(options, p);
        int worst = 0;
        boolean internal = false;
        boolean waited = false;
        try {
            for (int i = 0; i < options.jobs(); i++) {
                Process child = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                        .redirectInput(ProcessBuilder.Redirect.INHERIT).start();
                relays.add(relay(child.getErrorStream(), p.err()));
                children.add(child);
                Thread.sleep(200); // stagger the claims a little
            }
            for (Process child : children) {
                int code = child.waitFor();
                internal |= code == ExitCode.INTERNAL_ERROR.code();
                worst = Math.max(worst, code);
            }
            waited = true;
        } finally {
            if (!waited) { // a start failed or this process was interrupted: no worker outlives its pool
                children.forEach(Process::destroy);
            }
        }
        for (Thread t : relays) {
            t.join(5_000); // a worker's last line (its error) must be out before this process exits
        }
        return internal ? ExitCode.INTERNAL_ERROR.code() : worst;
    }

    /** This JVM (its options and class path) running {@code mainClass} as a one-job worker. */
    static List<String> command(RunPool.Options options, RunPool.Processes p) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(p.mainClass());
        cmd.addAll(p.args().apply(new RunPool.Worker(options.shard(), options.started(), options.claimTimeout())));
        return cmd;
    }

    /** Copies a child's stderr line by line, dropping the JVM's notice about the incubator module. */
    private static Thread relay(InputStream from, PrintWriter to) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith(INCUBATOR_NOTICE)) {
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
}
