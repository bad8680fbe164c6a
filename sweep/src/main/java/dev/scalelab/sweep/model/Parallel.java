package dev.scalelab.sweep.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a loop over [0, n) in contiguous chunks across a fixed set of threads. Each index is
 * processed the same way whatever the thread count or whichever thread takes its chunk, and chunks
 * write disjoint outputs, so results are bit-identical for any number of threads.
 *
 * <p>Chunks are claimed, not assigned: the calling thread starts on them at once and the other
 * workers take what is left when they wake. Waking a parked thread took 10-60 µs on the 2-core
 * machines here, longer than many of a small model's row kernels take in all, so with fixed
 * assignments the caller waited for the wake-up (measured: the row kernels of a d=64 step ran
 * slower on 2 threads than on 1); with claiming, a late worker costs nothing but the chunks it
 * does not take. Workers spin briefly after a loop before they park, since row kernels often come
 * one after another.
 */
final class Parallel implements AutoCloseable {
    /** Work on indices [from, to) with the scratch space of worker {@code worker}. */
    @FunctionalInterface
    interface RangeTask {
        void run(int worker, int from, int to);
    }

    /** Chunks per thread when a loop is split: enough for a late worker to join, few enough to stay cheap. */
    private static final int CHUNKS_PER_THREAD = 4;
    /** Spins (about a microsecond each hundred) before an idle worker parks. */
    private static final int SPINS = 2000;
    /**
     * Floats of work per chunk below which a loop stays on the calling thread. Chosen on the d=64
     * and d=256 training steps (2-core AMD EPYC, 2026-12-02): with 2^16 the row kernels of the
     * d=64 step ran slower on 2 threads than on 1 and the step lost 10%; with 2^20 only the MLP's
     * hidden rows at d=256 (4096 × 1024) are split, and GELU there ran in half the time.
     */
    static final int MIN_FLOATS_PER_CHUNK = 1 << 20;

    private final int threads;
    private final int minFloatsPerChunk;
    private final Thread[] workers;
    private volatile Job job;
    private volatile boolean closed;

    private static final class Job {
        final RangeTask task;
        final int n;
        final int chunks;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(RangeTask task, int n, int chunks) {
            this.task = task;
            this.n = n;
            this.chunks = chunks;
        }

        /** Claims and runs chunks until none are left. */
        void work(int worker) {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    task.run(worker, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    done.incrementAndGet();
                }
            }
        }
    }

    Parallel(int threads) {
        this(threads, MIN_FLOATS_PER_CHUNK);
    }

    /** With another threshold for {@link #forRows} and {@link #forFloats}: tests use a small one so that small models split. */
    Parallel(int threads, int minFloatsPerChunk) {
        this.threads = threads;
        this.minFloatsPerChunk = minFloatsPerChunk;
        this.workers = new Thread[Math.max(0, threads - 1)];
        for (int i = 0; i < workers.length; i++) {
            int worker = i + 1;
            workers[i] = new Thread(() -> workLoop(worker), "scalelab-kernel-" + worker);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    int threads() {
        return threads;
    }

    /**
     * One scratch array of at least {@code size} floats per worker, for kernels that stream rows
     * through L1. Each is padded by two cache lines: arrays allocated one after another share the
     * line between them, and two workers writing either end of it passed that line back and forth
     * on every row (measured: GELU over 4096 rows took 2.1-2.7 ms on 2 threads against 0.85 ms on 1).
     */
    float[][] perWorker(int size) {
        float[][] out = new float[threads][];
        for (int w = 0; w < threads; w++) {
            out[w] = new float[size + PAD_FLOATS];
        }
        return out;
    }

    private static final int PAD_FLOATS = 32;

    void forRange(int n, RangeTask task) {
        forRange(n, 1, task);
    }

    /** A loop over n units of {@code floatsPerUnit} floats of work each (rows of a matrix, say), split only where it pays. */
    void forRows(int n, int floatsPerUnit, RangeTask task) {
        forRange(n, Math.max(1, minFloatsPerChunk / Math.max(1, floatsPerUnit)), task);
    }

    /** A loop over n floats (a copy, say), split only where it pays. */
    void forFloats(int n, RangeTask task) {
        forRange(n, minFloatsPerChunk, task);
    }

    /**
     * The same, with at least {@code minPerChunk} indices per chunk (one run on the calling thread
     * when n is small): for loops whose per-index work is too small to pay for another thread.
     */
    void forRange(int n, int minPerChunk, RangeTask task) {
        int chunks = Math.min(threads * CHUNKS_PER_THREAD, n / Math.max(1, minPerChunk));
        if (workers.length == 0 || chunks < 2) {
            task.run(0, 0, n);
            return;
        }
        Job j = new Job(task, n, chunks);
        job = j;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        j.work(0);
        while (j.done.get() < chunks) {
            Thread.onSpinWait();
        }
        if (j.failure != null) {
            throw new IllegalStateException("kernel failed", j.failure);
        }
    }

    private void workLoop(int worker) {
        Job seen = null;
        while (!closed) {
            Job j = job;
            if (j != seen && j != null) {
                seen = j;
                j.work(worker);
                continue;
            }
            for (int s = 0; s < SPINS && job == seen && !closed; s++) {
                Thread.onSpinWait();
            }
            if (job == seen && !closed) {
                LockSupport.park(this);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
