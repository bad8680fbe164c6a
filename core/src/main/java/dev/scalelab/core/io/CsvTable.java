package dev.scalelab.core.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A table to be written as RFC 4180 CSV: a header and rows of cells. Numbers are written in
 * Java's shortest round-trip form ({@code Double.toString}), so reading a file back gives the
 * same doubles; cells with commas, quotes or line breaks are quoted.
 */
public final class CsvTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    public CsvTable(List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a CSV table needs at least one column");
        }
        this.header = List.copyOf(header);
    }

    public static CsvTable withHeader(String... header) {
        return new CsvTable(List.of(header));
    }

    /** Adds a row; numbers, strings and nulls (written as empty cells) are accepted. */
    public CsvTable add(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, header has " + header.size());
        }
        List<String> row = new ArrayList<>(cells.length);
        for (Object cell : cells) {
            row.add(format(cell));
        }
        rows.add(row);
        return this;
    }

    public int rowCount() {
        return rows.size();
    }

    public String toText() {
        StringBuilder out = new StringBuilder();
        appendRow(out, header);
        for (List<String> row : rows) {
            appendRow(out, row);
        }
        return out.toString();
    }

    /** Writes the table atomically. */
    public void write(Path target) {
        AtomicFiles.writeString(target, toText());
    }

    private static String format(Object cell) {
        if (cell == null) {
            return "";
        }
        if (cell instanceof Double d) {
            return Double.toString(d);
        }
        if (cell instanceof Float f) {
            return Float.toString(f);
        }
        return cell.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(quote(cells.get(i)));
        }
        out.append('\n');
    }

    static String quote(String cell) {
        boolean needs = cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0
                || cell.indexOf('\r') >= 0;
        return needs ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }
}
