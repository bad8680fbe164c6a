package dev.scalelab.core;

/**
 * A result that could not be written (a full disk, a read-only folder): exit 3, naming the file.
 * The file's earlier content, if any, is unchanged (every write is atomic). Work that would only
 * fail the same way next (the rest of a sweep) stops at once.
 */
public final class OutputFailedException extends ScalelabException {
    public OutputFailedException(String message, Throwable cause) {
        super(ExitCode.INVALID_INPUT, message, cause);
    }
}
