package dev.scalelab.sweep.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a loop over [0, n) in a fixed number of contiguous chunks, one per thread. Each index is
 * processed the same way whatever the thread count, and chunks write disjoint outputs, so results
 * are bit-identical for any number of threads.
 */
final class Parallel implements AutoCloseable {
    /** Work on indices [from, to) with the scratch space of worker {@code worker}. */
    @FunctionalInterface
    interface RangeTask {
        void run(int worker, int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    Parallel(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "scalelab-kernel");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    int threads() {
        return threads;
    }

    void forRange(int n, RangeTask task) {
        if (pool == null || n < 2) {
            task.run(0, 0, n);
            return;
        }
        int chunks = Math.min(threads, n);
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            int worker = c;
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            futures.add(pool.submit(() -> task.run(worker, from, to)));
        }
        task.run(0, 0, (int) ((long) n / chunks));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("kernel failed", e.getCause());
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
