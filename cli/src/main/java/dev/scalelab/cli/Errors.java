package dev.scalelab.cli;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.ScalelabException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;
import java.util.List;

/**
 * Turns every failure into one line on stderr, {@code scalelab: error: ...}, and an exit code from
 * {@link ExitCode}. A stack trace is printed only with --verbose.
 */
final class Errors {
    static final String PREFIX = "scalelab: error: ";

    private Errors() {
    }

    /** Usage errors (exit 2): unknown command or option, missing or malformed argument. */
    static final class UsageHandler implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            StringBuilder line = new StringBuilder(PREFIX).append(describe(ex));
            line.append(" (see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help')");
            err.println(line);
            if (isVerbose(cmd.getParseResult())) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCode.USAGE.code();
        }
    }

    /** "unknown command 'x'; the commands are: ..." reads better than picocli's "Unmatched argument at index 0". */
    private static String describe(ParameterException ex) {
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            CommandLine cmd = ex.getCommandLine();
            if (!first.startsWith("-") && !cmd.getSubcommands().isEmpty()) {
                return "unknown command '" + first + "'; the commands are: "
                        + String.join(", ", cmd.getSubcommands().keySet());
            }
            if (first.startsWith("-")) {
                List<String> suggestions = unmatched.getSuggestions();
                return "unknown option '" + first + "'"
                        + (suggestions.isEmpty() ? "" : "; did you mean " + suggestions.get(0) + "?");
            }
            return "unexpected argument '" + first + "'";
        }
        return oneLine(ex.getMessage());
    }

    /** Failures while a command runs: typed ones map to their exit code, anything else is exit 1. */
    static final class ExecutionHandler implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
            PrintWriter err = cmd.getErr();
            int code;
            if (ex instanceof ScalelabException known) {
                err.println(PREFIX + oneLine(known.getMessage()));
                code = known.exitCode().code();
            } else {
                err.println(PREFIX + "internal error: " + ex.getClass().getSimpleName()
                        + (ex.getMessage() == null ? "" : ": " + oneLine(ex.getMessage()))
                        + (isVerbose(parseResult) ? "" : " (rerun with --verbose for the stack trace)"));
                code = ExitCode.INTERNAL_ERROR.code();
            }
            if (isVerbose(parseResult)) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        }
    }

    /** --verbose is inherited, so it may have been given at any level of the command chain. */
    static boolean isVerbose(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
