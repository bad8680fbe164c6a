package dev.scalelab.core.run;

/** How a training run ended. */
public enum RunStatus {
    /** Trained for the whole budget. */
    COMPLETED,
    /** The loss became NaN or infinite, or rose far above its start; what was logged is kept. */
    DIVERGED,
    /** Stopped by an error; the message says why. */
    FAILED
}
