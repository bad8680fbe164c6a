package dev.scalelab.core.data;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.CsvTable.Row;
import dev.scalelab.core.io.CsvTable;

import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads tidy evaluation tables, one result per row: {@code family|model_family}, {@code params},
 * {@code task}, {@code metric|metric_name}, {@code value} (header names case-insensitive), and the
 * optional {@code model}, {@code tokens}, {@code flops}, {@code n} (items averaged over) and
 * {@code answer_tokens}. Other columns are ignored. A bad cell is an {@link InvalidInputException}
 * naming the line and the column.
 */
public final class EvalCsv {
    enum Column {
        FAMILY(true, "family", "model_family"),
        PARAMS(true, "params", "n_params", "num_params", "parameters"),
        TASK(true, "task"),
        METRIC(true, "metric", "metric_name"),
        VALUE(true, "value", "score"),
        MODEL(false, "model"),
        TOKENS(false, "tokens"),
        FLOPS(false, "flops"),
        N(false, "n"),
        ANSWER_TOKENS(false, "answer_tokens");

        final boolean required;
        final List<String> names;

        Column(boolean required, String... names) {
            this.required = required;
            this.names = List.of(names);
        }
    }

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private EvalCsv() {
    }

    public static List<EvalRow> read(Path file) {
        return read(CsvTable.readRagged(file));
    }

    public static List<EvalRow> read(Reader reader, String source) {
        return read(CsvTable.readRagged(reader, source));
    }

    private static List<EvalRow> read(CsvTable table) {
        String source = table.source();
        if (table.header().isEmpty()) {
            throw new InvalidInputException(source, 0, null, "the table is empty",
                    "the first line must be a header such as family,params,task,metric,value");
        }
        Map<Column, Integer> columns = header(table, source);
        if (table.rowCount() == 0) {
            throw new InvalidInputException(source, table.headerLine(), null, "the table has a header but no rows",
                    "add one row per (model, task, metric)");
        }
        List<EvalRow> out = new ArrayList<>();
        for (Row row : table.rows()) {
            double params = number(row, columns, Column.PARAMS, source, true);
            double value = number(row, columns, Column.VALUE, source, false);
            double n = columns.containsKey(Column.N) ? count(row, columns, Column.N, source) : 0;
            double answer = columns.containsKey(Column.ANSWER_TOKENS) ? count(row, columns, Column.ANSWER_TOKENS, source) : 0;
            double tokens = optionalPositive(row, columns, Column.TOKENS, source);
            double flops = optionalPositive(row, columns, Column.FLOPS, source);
            out.add(new EvalRow(text(row, columns, Column.FAMILY, source), cell(row, columns.get(Column.MODEL)), params,
                    text(row, columns, Column.TASK, source), text(row, columns, Column.METRIC, source), value,
                    (int) n, (int) answer, tokens, flops, row.line()));
        }
        return out;
    }

    private static Map<Column, Integer> header(CsvTable table, String source) {
        Map<Column, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < table.header().size(); i++) {
            String name = table.header().get(i).trim().toLowerCase(Locale.ROOT);
            for (Column column : Column.values()) {
                if (column.names.contains(name) && columns.putIfAbsent(column, i) != null) {
                    throw new InvalidInputException(source, table.headerLine(), table.header().get(i),
                            "two columns name " + column.names.get(0), "keep one of them");
                }
            }
        }
        for (Column column : Column.values()) {
            if (column.required && !columns.containsKey(column)) {
                throw new InvalidInputException(source, table.headerLine(), column.names.get(0),
                        "missing required column (header names accepted: " + String.join("|", column.names) + ")",
                        "the header must name family, params, task, metric and value; the header read was: "
                                + String.join(",", table.header()));
            }
        }
        return columns;
    }

    private static String cell(Row row, Integer index) {
        return index == null || index >= row.cells().size() ? "" : row.cells().get(index).trim();
    }

    private static String text(Row row, Map<Column, Integer> columns, Column column, String source) {
        String cell = cell(row, columns.get(column));
        if (cell.isEmpty()) {
            throw new InvalidInputException(source, row.line(), column.names.get(0), "empty value",
                    "give the " + column.names.get(0) + " of every row");
        }
        return cell;
    }

    private static double number(Row row, Map<Column, Integer> columns, Column column, String source, boolean positive) {
        String cell = cell(row, columns.get(column));
        String name = column.names.get(0);
        if (cell.isEmpty()) {
            throw new InvalidInputException(source, row.line(), name, "empty value", "give a number");
        }
        if (!DECIMAL.matcher(cell).matches()) {
            throw new InvalidInputException(source, row.line(), name, "\"" + cell + "\" is not a finite number",
                    "write a plain number such as 0.25 or 1.5e9");
        }
        double v = Double.parseDouble(cell);
        if (Double.isInfinite(v)) {
            throw new InvalidInputException(source, row.line(), name, cell + " is too large for a double", "check the units");
        }
        if (positive && !(v > 0)) {
            throw new InvalidInputException(source, row.line(), name, cell + " is not positive",
                    name + " must be greater than zero");
        }
        return v;
    }

    private static double optionalPositive(Row row, Map<Column, Integer> columns, Column column, String source) {
        return !columns.containsKey(column) || cell(row, columns.get(column)).isEmpty() ? 0
                : number(row, columns, column, source, true);
    }

    private static double count(Row row, Map<Column, Integer> columns, Column column, String source) {
        if (cell(row, columns.get(column)).isEmpty()) {
            return 0;
        }
        double v = number(row, columns, column, source, true);
        if (v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new InvalidInputException(source, row.line(), column.names.get(0), v + " is not a whole number",
                    column.names.get(0) + " counts items; leave it empty if unknown");
        }
        return v;
    }
}
