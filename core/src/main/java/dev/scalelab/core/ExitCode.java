package dev.scalelab.core;

/**
 * Every exit code scalelab returns, in one place. The numbers are part of the interface: scripts,
 * CI jobs and Slurm arrays branch on them.
 */
public enum ExitCode {
    /** The command did what was asked. */
    OK(0),
    /** A bug or an environment failure inside scalelab; rerun with --verbose for the stack trace. */
    INTERNAL_ERROR(1),
    /** The command line was wrong: unknown command, unknown option, missing or malformed argument. */
    USAGE(2),
    /**
     * A config, table, fit card or run folder was malformed or impossible, or a result could not be
     * written (a full disk, a read-only folder); earlier results were left as they were.
     */
    INVALID_INPUT(3),
    /** The data were valid but no law could be fitted to them (too few points, no convergence). */
    NO_USABLE_FIT(4),
    /** A training run diverged (its loss became NaN or rose far above its start); its log is kept. */
    RUN_DIVERGED(5);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
