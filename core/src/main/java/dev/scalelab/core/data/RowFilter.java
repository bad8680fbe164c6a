package dev.scalelab.core.data;

import dev.scalelab.core.InvalidInputException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A row filter such as {@code loss<5}, {@code params>=1e6} or {@code config_id=3}, on any numeric
 * column of a table (by header name, case-insensitive). Rows that fail it are excluded with a reason.
 */
public record RowFilter(String column, String op, double value, String text) {
    private static final Pattern FORM = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_.+-]*?)\\s*(<=|>=|==|!=|<|>|=)\\s*(\\S+)\\s*");

    public static RowFilter parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new InvalidInputException("--where", 0, null, "cannot read filter '" + text + "'",
                    "write COLUMN OP NUMBER with OP one of < > <= >= = !=, e.g. 'loss<5'");
        }
        double v;
        try {
            v = Double.parseDouble(m.group(3));
        } catch (NumberFormatException e) {
            throw new InvalidInputException("--where", 0, m.group(1), "'" + m.group(3) + "' is not a number",
                    "compare with a number, e.g. 'params>=1e6'");
        }
        String op = m.group(2).equals("==") ? "=" : m.group(2);
        return new RowFilter(m.group(1).toLowerCase(Locale.ROOT), op, v, text.trim());
    }

    public boolean accepts(double x) {
        return switch (op) {
            case "<" -> x < value;
            case ">" -> x > value;
            case "<=" -> x <= value;
            case ">=" -> x >= value;
            case "=" -> x == value;
            case "!=" -> x != value;
            default -> throw new IllegalStateException(op);
        };
    }
}
