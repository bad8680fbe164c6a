package dev.scalelab.core.data;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.CsvTable;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The groups of a table by one or more columns ({@code --group-by}): each distinct combination of their
 * values, in order of first appearance, as the row filters that select it ({@code source="epoch"}).
 */
public final class TableGroups {
    /**
     * One group.
     *
     * @param values  the group's value per column, in the order asked
     * @param filters the filters that keep its rows and no others
     */
    public record Group(Map<String, String> values, List<RowFilter> filters) {
        /** {@code source=epoch, experiment=raw} */
        public String label() {
            List<String> parts = new ArrayList<>();
            values.forEach((c, v) -> parts.add(c + "=" + v));
            return String.join(", ", parts);
        }

        /** A file name for the group's card: its values joined by "__", other characters than [A-Za-z0-9._-] as '_'. */
        public String fileName() {
            return String.join("__", values.values()).replaceAll("[^A-Za-z0-9._-]", "_");
        }
    }

    private TableGroups() {
    }

    /**
     * The groups of {@code csv} by {@code columns} among the rows passing {@code where}; a column the header
     * lacks is an error naming it.
     */
    public static List<Group> of(Path csv, List<String> columns, List<RowFilter> where) {
        CsvTable table = CsvTable.readRagged(csv);
        List<Integer> whereIndex = where.stream().map(f -> column(table, f.column())).toList();
        List<Integer> index = new ArrayList<>();
        for (String c : columns) {
            int at = column(table, c);
            if (at < 0) {
                throw new InvalidInputException(csv, table.headerLine(), c, "--group-by names no column of the table",
                        "columns are: " + String.join(",", table.header()));
            }
            index.add(at);
        }
        Map<List<String>, Group> groups = new LinkedHashMap<>();
        rows:
        for (CsvTable.Row row : table.rows()) {
            for (int k = 0; k < where.size(); k++) {
                int at = whereIndex.get(k);
                if (at >= 0 && !where.get(k).acceptsCell(at < row.cells().size() ? row.cells().get(at) : "")) {
                    continue rows; // the fit will name a filter's missing column itself
                }
            }
            List<String> key = new ArrayList<>();
            for (int at : index) {
                key.add(at < row.cells().size() ? row.cells().get(at).trim() : "");
            }
            if (key.contains("")) {
                continue; // a row with no value in a grouping column belongs to no group
            }
            groups.computeIfAbsent(key, k -> {
                Map<String, String> values = new LinkedHashMap<>();
                List<RowFilter> filters = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    String column = columns.get(i).trim().toLowerCase(Locale.ROOT);
                    values.put(column, k.get(i));
                    filters.add(RowFilter.parse(column + "=\"" + k.get(i).replace("\"", "") + "\""));
                }
                return new Group(values, filters);
            });
        }
        return List.copyOf(groups.values());
    }

    /** The index of the header named {@code name} (case-insensitive, the last of several), or -1. */
    private static int column(CsvTable table, String name) {
        int at = -1;
        for (int i = 0; i < table.header().size(); i++) {
            if (table.header().get(i).trim().equalsIgnoreCase(name.trim())) {
                at = i;
            }
        }
        return at;
    }
}
