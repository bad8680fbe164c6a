package dev.scalelab.core;

import java.nio.file.Path;

/**
 * Bad input (exit 3): a config, table, fit card or run folder that cannot be used. The message
 * names the file, the line and the field, says what is wrong and, where it can, how to fix it:
 * {@code runs.csv line 4, column "loss": -0.3 is not positive; losses are positive numbers of nats}.
 */
public final class InvalidInputException extends ScalelabException {
    private final String source;
    private final int line;
    private final String field;
    private final String problem;
    private final String fix;

    /**
     * @param source the file (or another named source, such as "standard input"); may be null
     * @param line   1-based line number, or 0 when the problem is not on one line
     * @param field  the column, key or option at fault; may be null
     * @param problem what is wrong, with the offending value
     * @param fix    how to fix it; may be null
     */
    public InvalidInputException(String source, int line, String field, String problem, String fix) {
        super(ExitCode.INVALID_INPUT, format(source, line, field, problem, fix));
        this.source = source;
        this.line = line;
        this.field = field;
        this.problem = problem;
        this.fix = fix;
    }

    /** The same problem, placed in a file at a line (for errors raised before the file was known). */
    public InvalidInputException at(Path file, int atLine) {
        return new InvalidInputException(file, atLine, field, problem, fix);
    }

    /**
     * The same problem seen from a file that refers to its source (a config naming a corpus file): the
     * message names {@code file} and its line first, then the source, so both are in the one line.
     */
    public InvalidInputException within(Path file, int atLine) {
        return source == null ? at(file, atLine)
                : new InvalidInputException(file, atLine, field, source + ": " + problem, fix);
    }

    public InvalidInputException(Path file, int line, String field, String problem, String fix) {
        this(file == null ? null : file.toString(), line, field, problem, fix);
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }

    static String format(String source, int line, String field, String problem, String fix) {
        StringBuilder where = new StringBuilder();
        if (source != null) {
            where.append(source);
        }
        if (line > 0) {
            where.append(where.length() > 0 ? " " : "").append("line ").append(line);
        }
        if (field != null) {
            where.append(where.length() > 0 ? ", " : "").append("field \"").append(field).append('"');
        }
        StringBuilder message = new StringBuilder();
        if (where.length() > 0) {
            message.append(where).append(": ");
        }
        message.append(problem);
        if (fix != null && !fix.isBlank()) {
            message.append("; ").append(fix);
        }
        return message.toString();
    }
}
