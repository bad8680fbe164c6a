package dev.scalelab.sweep.run;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.ExitCode;
import dev.scalelab.core.OutputFailedException;
import dev.scalelab.core.ScalelabException;
import dev.scalelab.core.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link RunPool} in this process: {@code jobs} threads (the calling thread for one job) take the
 * shard's units in order, each claimed before it is trained and released after. An output that cannot
 * be written, or a bug, stops the pool: the other threads finish the unit they hold and take no more.
 */
final class InProcessPool<U extends Unit> {
    private record Taken<U>(U unit, double remainingSeconds) {
    }

    private final RunPool.Options options;
    private final List<U> units;
    private final RunPool.Listener<U> listener;
    private final Claims claims;
    private final List<RunPool.Failure> failures = new ArrayList<>();
    private int next;
    private double remaining;
    private int completed;
    private int diverged;
    private int done;
    private int claimed;
    private Throwable fatal; // the first bug or unwritable output: the pool stops

    private InProcessPool(RunPool.Options options, List<U> units, RunPool.Listener<U> listener, Claims claims) {
        this.options = options;
        this.units = units;
        this.listener = listener;
        this.claims = claims;
        this.remaining = units.stream().mapToDouble(Unit::estimatedSeconds).sum();
    }

    static <U extends Unit> RunPool.Summary run(RunPool.Options options, List<U> all, RunPool.Listener<U> listener)
            throws InterruptedException {
        List<U> units = options.shard().of(all);
        try (Claims claims = RunPool.claims(options.claimTimeout())) {
            Thread hook = new Thread(claims::close, "scalelab-release-claims");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return new InProcessPool<>(options, units, listener, claims).work(Math.min(options.jobs(), units.size()));
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException exiting) {
                    // the hook releases the claims
                }
            }
        }
    }

    private RunPool.Summary work(int threads) throws InterruptedException {
        if (threads <= 1) {
            loop();
        } else {
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread t = new Thread(this::loop, "scalelab-pool-" + (i + 1));
                workers.add(t);
                t.start();
            }
            for (Thread t : workers) {
                t.join();
            }
        }
        if (fatal instanceof Error e) {
            throw e;
        }
        if (fatal != null) {
            throw (RuntimeException) fatal;
        }
        return new RunPool.Summary(completed, diverged, done, claimed, List.copyOf(failures));
    }

    private void loop() {
        for (Taken<U> t = take(); t != null; t = take()) {
            try {
                step(t.unit(), t.remainingSeconds());
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    fatal = fatal == null ? e : fatal;
                }
                return;
            }
        }
    }

    private synchronized Taken<U> take() {
        if (fatal != null || next >= units.size()) {
            return null;
        }
        U u = units.get(next++);
        remaining -= u.estimatedSeconds();
        return new Taken<>(u, remaining);
    }

    private void step(U u, double remainingSeconds) {
        Path dir = u.dir();
        if (u.finished()) {
            count(() -> done++);
            return;
        }
        if (!claims.tryClaim(dir)) {
            count(() -> claimed++);
            return;
        }
        if (RunPool.failedSince(dir, options.started())) { // failed in another worker of this pool: once is enough
            claims.release(dir);
            count(() -> claimed++);
            return;
        }
        long start = System.nanoTime();
        Unit.Outcome outcome;
        try {
            Files.deleteIfExists(dir.resolve(RunLayout.FAILED));
            if (u.finished()) { // finished while we claimed
                count(() -> done++);
                return;
            }
            outcome = u.run();
            Unit.Outcome o = outcome;
            count(() -> {
                switch (o.kind()) {
                    case COMPLETED -> completed++;
                    case DIVERGED -> diverged++;
                    case FAILED -> failures.add(new RunPool.Failure(dir, String.valueOf(o.message()), false, null));
                }
            });
        } catch (OutputFailedException e) {
            throw e; // a full disk or a read-only folder: every later unit would fail the same way
        } catch (ScalelabException | IOException | IllegalStateException | IllegalArgumentException e) {
            outcome = Unit.Outcome.failed(e.getMessage());
            count(() -> failures.add(new RunPool.Failure(dir, String.valueOf(e.getMessage()),
                    e instanceof ScalelabException se && se.exitCode() == ExitCode.INVALID_INPUT, e)));
            Json.write(dir.resolve(RunLayout.FAILED), Map.of("runId", u.id(), "error", String.valueOf(e.getMessage()),
                    "owner", claims.owner()));
        } finally {
            claims.release(dir);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        synchronized (this) {
            listener.onUnitEnd(claims.owner(), u, outcome, seconds, remainingSeconds);
        }
    }

    private synchronized void count(Runnable update) {
        update.run();
    }
}
