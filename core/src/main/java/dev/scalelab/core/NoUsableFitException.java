package dev.scalelab.core;

/** Valid data that no law could be fitted to (exit 4): too few points, or no start converged. */
public final class NoUsableFitException extends ScalelabException {
    public NoUsableFitException(String message) {
        super(ExitCode.NO_USABLE_FIT, message);
    }
}
