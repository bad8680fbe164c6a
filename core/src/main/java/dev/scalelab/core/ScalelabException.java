package dev.scalelab.core;

/**
 * A failure that scalelab reports to the user as one line and an exit code, without a stack trace
 * (the trace is printed only with {@code --verbose}).
 */
public class ScalelabException extends RuntimeException {
    private final ExitCode exitCode;

    public ScalelabException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ScalelabException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
