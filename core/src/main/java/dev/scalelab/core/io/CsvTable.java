package dev.scalelab.core.io;

import dev.scalelab.core.InvalidInputException;

import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A CSV table (RFC 4180): a header and rows of cells, the one way scalelab writes and reads its
 * tables. Written numbers take Java's shortest round-trip form ({@code Double.toString}), so reading a
 * file back gives the same doubles; cells with commas, quotes or line breaks are quoted. A table read
 * from a file accepts quoted fields, CRLF line ends and a UTF-8 byte-order mark, and its cells are read
 * by header name ({@link Row#number}); a bad cell, a row of the wrong length or a missing column is an
 * {@link InvalidInputException} naming the file, the line and the column.
 */
public final class CsvTable {
    private final String source;
    private final String fix;
    private final int headerLine;
    private final List<String> header;
    private final Map<String, Integer> index = new HashMap<>();
    private final List<Row> rows = new ArrayList<>();

    private CsvTable(String source, String fix, int headerLine, List<String> header) {
        this.source = source;
        this.fix = fix;
        this.headerLine = headerLine;
        this.header = List.copyOf(header);
        for (int i = header.size() - 1; i >= 0; i--) {
            index.put(header.get(i), i);   // the first of two equal names wins
        }
    }

    /** An empty table to be filled with {@link #add} and written. */
    public CsvTable(List<String> header) {
        this(null, null, 0, requireColumns(header));
    }

    public static CsvTable withHeader(String... header) {
        return new CsvTable(List.of(header));
    }

    /**
     * Reads a table whose every row has the header's number of cells, such as the tables scalelab
     * writes. An empty file gives a table without columns (asking it for a column says the file is
     * empty); a file with a header alone gives a table without rows.
     *
     * @param fix how to mend the file, added to every error about it (may be null)
     */
    public static CsvTable read(Path file, String fix) {
        return read(new StringReader(CsvRows.readText(file)), file.toString(), fix);
    }

    public static CsvTable read(Reader reader, String source, String fix) {
        CsvTable table = parse(reader, source, fix);
        for (Row row : table.rows) {
            table.checkLength(row);
        }
        return table;
    }

    /**
     * Reads a table whose rows may be shorter or longer than its header, as hand-made observation and
     * evaluation tables have always been read: the cells a row lacks are empty, its extra cells ignored.
     * A file whose first character opens a JSON object is read as JSON Lines instead ({@link JsonLines}):
     * one object per line, its keys the columns.
     */
    public static CsvTable readRagged(Path file) {
        String text = CsvRows.readText(file);
        if (JsonLines.looksLike(text)) {
            return fromLines(JsonLines.parse(text, file.toString()), file.toString(), null);
        }
        return readRagged(new StringReader(text), file.toString());
    }

    public static CsvTable readRagged(Reader reader, String source) {
        return parse(reader, source, null);
    }

    private static CsvTable parse(Reader reader, String source, String fix) {
        return fromLines(CsvRows.parse(reader, source), source, fix);
    }

    private static CsvTable fromLines(List<CsvRows.Line> lines, String source, String fix) {
        if (lines.isEmpty()) {
            return new CsvTable(source, fix, 0, List.of());
        }
        CsvTable table = new CsvTable(source, fix, lines.get(0).line(), lines.get(0).cells());
        for (CsvRows.Line line : lines.subList(1, lines.size())) {
            table.rows.add(new Row(table, line.line(), line.cells()));
        }
        return table;
    }

    private static List<String> requireColumns(List<String> header) {
        if (header.isEmpty()) {
            throw new IllegalArgumentException("a CSV table needs at least one column");
        }
        return header;
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
        rows.add(new Row(this, 0, row));
        return this;
    }

    /** Adds a row read from another table with the same header, its cells as they were read. */
    public CsvTable add(Row row) {
        return add(row.cells().toArray());
    }

    /** The file (or other source) the table was read from; null for a table made to be written. */
    public String source() {
        return source;
    }

    public List<String> header() {
        return header;
    }

    /** The line the header was read from (1 unless blank lines precede it); 0 for an empty file. */
    public int headerLine() {
        return headerLine;
    }

    public List<Row> rows() {
        return Collections.unmodifiableList(rows);
    }

    public int rowCount() {
        return rows.size();
    }

    public boolean has(String column) {
        return index.containsKey(column);
    }

    /** The position of a column the caller needs; its absence is an input error naming it. */
    public int column(String name) {
        Integer i = index.get(name);
        if (i != null) {
            return i;
        }
        if (header.isEmpty()) {
            throw new InvalidInputException(source, 0, null, "the table is empty (no header)",
                    join("the first line must be a header naming " + name, fix));
        }
        throw new InvalidInputException(source, headerLine, name, "missing column (the header is "
                + String.join(",", header) + ")", fix);
    }

    public String toText() {
        StringBuilder out = new StringBuilder();
        appendRow(out, header);
        for (Row row : rows) {
            appendRow(out, row.cells());
        }
        return out.toString();
    }

    /** Writes the table atomically. */
    public void write(Path target) {
        AtomicFiles.writeString(target, toText());
    }

    private void checkLength(Row row) {
        int n = row.cells().size();
        if (n < header.size()) {
            throw new InvalidInputException(source, row.line(), header.get(n), "the row has " + n + " of the header's "
                    + header.size() + " fields (the file was cut or edited)", fix);
        }
        if (n > header.size()) {
            throw new InvalidInputException(source, row.line(), null, "the row has " + n + " fields, the header "
                    + header.size() + ": field " + (header.size() + 1) + " (\"" + row.cells().get(header.size())
                    + "\") has no column", fix);
        }
    }

    private static String join(String first, String second) {
        return second == null ? first : first + "; " + second;
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

    /** One row: its line in the file (0 for a row added in memory) and its cells, read by column name. */
    public static final class Row {
        private final CsvTable table;
        private final int line;
        private final List<String> cells;

        private Row(CsvTable table, int line, List<String> cells) {
            this.table = table;
            this.line = line;
            this.cells = List.copyOf(cells);
        }

        public int line() {
            return line;
        }

        /** The cells in file order (a ragged table's rows may be shorter or longer than the header). */
        public List<String> cells() {
            return cells;
        }

        /** The cell under {@code column}; empty when a ragged row ends before it. */
        public String text(String column) {
            int i = table.column(column);
            return i < cells.size() ? cells.get(i) : "";
        }

        /** The cell as a double, in any form {@link Double#parseDouble} reads (NaN and Infinity included). */
        public double number(String column) {
            String cell = text(column);
            try {
                return Double.parseDouble(cell);
            } catch (NumberFormatException e) {
                throw bad(column, "\"" + cell + "\" is not a number");
            }
        }

        /** The cell as a whole number. */
        public long whole(String column) {
            String cell = text(column);
            try {
                return Long.parseLong(cell);
            } catch (NumberFormatException e) {
                throw bad(column, "\"" + cell + "\" is not a whole number");
            }
        }

        private InvalidInputException bad(String column, String problem) {
            return new InvalidInputException(table.source, line, column, problem, table.fix);
        }
    }
}
