package dev.scalelab.core.data;

import dev.scalelab.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A row filter on any column of a table (by header name, case-insensitive): a number compared as a
 * number ({@code loss<5}, {@code params>=1e6}, {@code config_id=3}), or with {@code =} and {@code !=}
 * one or more values, comma-separated, compared as numbers when every value is one ({@code config_id=2,3})
 * and as exact strings otherwise ({@code experiment=llama_3__raw_loss}, {@code source=epoch,marin}; a
 * value holding a comma is written in double quotes, {@code name="a,b"}). Rows that fail it are excluded
 * with a reason.
 *
 * @param values the values of an = or != filter, as written; one value for the order comparisons
 * @param numeric whether the values are compared as numbers
 */
public record RowFilter(String column, String op, List<String> values, boolean numeric, String text) {
    private static final Pattern FORM = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_.+-]*?)\\s*(<=|>=|==|!=|<|>|=)\\s*(.+?)\\s*");

    /** Whether {@code text} has a filter's form, COLUMN OP VALUE (its value may still be unreadable). */
    public static boolean looksLikeFilter(String text) {
        return FORM.matcher(text).matches();
    }

    public static RowFilter parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new InvalidInputException("--where", 0, null, "cannot read filter '" + text + "'",
                    "write COLUMN OP VALUE with OP one of < > <= >= = !=, e.g. 'loss<5' or 'source=epoch,marin'");
        }
        String column = m.group(1).toLowerCase(Locale.ROOT);
        String op = m.group(2).equals("==") ? "=" : m.group(2);
        boolean equality = op.equals("=") || op.equals("!=");
        List<String> values = equality ? split(m.group(3), text) : List.of(m.group(3));
        boolean numeric = values.stream().allMatch(RowFilter::isNumber);
        if (!equality && !numeric) {
            throw new InvalidInputException("--where", 0, m.group(1), "'" + m.group(3) + "' is not a number",
                    "compare with a number, e.g. 'params>=1e6' (= and != also take text, e.g. 'source=epoch')");
        }
        return new RowFilter(column, op, values, numeric, text.trim());
    }

    /** Comma-separated values; a double-quoted value may hold commas. */
    private static List<String> split(String list, String text) {
        List<String> out = new ArrayList<>();
        StringBuilder v = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                wasQuoted = true;
            } else if (c == ',' && !quoted) {
                out.add(value(v, wasQuoted, text));
                v.setLength(0);
                wasQuoted = false;
            } else {
                v.append(c);
            }
        }
        if (quoted) {
            throw new InvalidInputException("--where", 0, null, "filter '" + text + "' opens a quote it does not close",
                    "close the value's double quote, e.g. name=\"a,b\"");
        }
        out.add(value(v, wasQuoted, text));
        return out;
    }

    private static String value(StringBuilder v, boolean quoted, String text) {
        String s = quoted ? v.toString() : v.toString().trim();
        if (s.isEmpty()) {
            throw new InvalidInputException("--where", 0, null, "filter '" + text + "' has an empty value",
                    "give a value after the operator and between commas");
        }
        return s;
    }

    /** Whether Java reads {@code s} as a double. */
    static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The filter that keeps exactly the rows this one leaves out: = and != swap, as do < and >=, > and <=. */
    public RowFilter negated() {
        String flipped = switch (op) {
            case "=" -> "!=";
            case "!=" -> "=";
            case "<" -> ">=";
            case ">=" -> "<";
            case ">" -> "<=";
            case "<=" -> ">";
            default -> throw new IllegalStateException(op);
        };
        return new RowFilter(column, flipped, values, numeric, "not (" + text + ")");
    }

    /** Whether a number passes a numeric filter. */
    public boolean accepts(double x) {
        if (!numeric) {
            throw new IllegalStateException("a text filter compares text: " + text);
        }
        if (op.equals("=") || op.equals("!=")) {
            boolean any = values.stream().anyMatch(v -> x == Double.parseDouble(v));
            return op.equals("=") == any;
        }
        double value = Double.parseDouble(values.get(0));
        return switch (op) {
            case "<" -> x < value;
            case ">" -> x > value;
            case "<=" -> x <= value;
            case ">=" -> x >= value;
            default -> throw new IllegalStateException(op);
        };
    }

    /** Whether a table cell passes: as a number for a numeric filter (a cell that is no number fails), else as text. */
    public boolean acceptsCell(String cell) {
        if (!numeric) {
            return acceptsText(cell);
        }
        try {
            return accepts(Double.parseDouble(cell));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether a cell passes a text filter: equal, as written, to one of the values (=) or to none (!=). */
    public boolean acceptsText(String cell) {
        boolean any = values.contains(cell.trim());
        return op.equals("=") == any;
    }
}
