package dev.scalelab.sweep.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall time per phase of a training step, for the benchmark's breakdown. Off unless the system
 * property {@code scalelab.phases} is true; when off, the JIT removes the calls.
 */
public final class PhaseTimer {
    public enum Phase { GEMM, COPY, ATTENTION_FORWARD, ATTENTION_BACKWARD, LAYERNORM, GELU, RESIDUAL, EMBEDDING, LOSS, OPTIMIZER }

    public static final boolean ENABLED = Boolean.getBoolean("scalelab.phases");
    private static final long[] NANOS = new long[Phase.values().length];

    private PhaseTimer() {
    }

    public static long start() {
        return ENABLED ? System.nanoTime() : 0;
    }

    /** Adds the time since {@code since} to {@code phase}; returns now, the start of the next lap. */
    public static long lap(Phase phase, long since) {
        if (!ENABLED) {
            return 0;
        }
        long now = System.nanoTime();
        NANOS[phase.ordinal()] += now - since;
        return now;
    }

    public static void reset() {
        java.util.Arrays.fill(NANOS, 0);
    }

    /** Seconds per phase since the last reset. */
    public static Map<String, Double> seconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            out.put(p.name().toLowerCase(java.util.Locale.ROOT), NANOS[p.ordinal()] / 1e9);
        }
        return out;
    }
}
