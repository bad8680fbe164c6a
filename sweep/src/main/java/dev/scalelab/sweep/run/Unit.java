package dev.scalelab.sweep.run;

import java.io.IOException;
import java.nio.file.Path;

/**
 * One run of a {@link RunPool}: a folder to train into (a sweep's run, a grokking phase cell). The
 * pool claims {@link #dir()} before {@link #run()} and skips the unit once {@link #finished()}.
 */
public interface Unit {
    /** The run's id: its folder's name, written into its failed.json. */
    String id();

    /** The run folder; its claim file lives there. */
    Path dir();

    /** Estimated training time, for the time-left estimate; 0 when unknown. */
    default double estimatedSeconds() {
        return 0;
    }

    /** True when the run's result is there (it is not trained again). */
    boolean finished();

    /**
     * Trains the run into its folder. A thrown {@link dev.scalelab.core.ScalelabException}, IOException,
     * IllegalStateException or IllegalArgumentException fails this run alone (recorded in its failed.json;
     * exit 3 if it was the input's, else 1); an {@link dev.scalelab.core.OutputFailedException} (a full
     * disk, a read-only folder) stops the pool at once.
     */
    Outcome run() throws IOException;

    /** How a run ended, and the text its listener prints. */
    record Outcome(Kind kind, String text, String message) {
        public enum Kind { COMPLETED, DIVERGED, FAILED }

        public static Outcome completed(String text) {
            return new Outcome(Kind.COMPLETED, text, null);
        }

        public static Outcome diverged(String message) {
            return new Outcome(Kind.DIVERGED, "diverged: " + message, message);
        }

        /** A run that ended as failed without throwing (its result says so; no failed.json is written). */
        public static Outcome failed(String message) {
            return new Outcome(Kind.FAILED, "failed: " + message, message);
        }
    }
}
