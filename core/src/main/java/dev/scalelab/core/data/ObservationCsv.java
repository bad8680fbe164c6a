package dev.scalelab.core.data;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.CsvTable.Row;
import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.model.ParamCount;

import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads observation tables: a header row, then one observation per row. Header names are matched
 * case-insensitively with aliases ({@code params|N|n_params|N_params}, {@code tokens|D|D_tokens},
 * {@code flops|C|C_flops|compute}, {@code loss|L}, and the optional {@code budget}, {@code run},
 * {@code step}, {@code group}, {@code status}, and for laws of repeated data {@code unique_tokens|U_D|unique}
 * or {@code epochs}, read as unique tokens = tokens / epochs); other columns are ignored. A row whose {@code status}
 * is present and not COMPLETED (a DIVERGED or FAILED run, as {@code scalelab collect} keeps them) is
 * left out of the table and listed as excluded with the reason, whatever its loss. Quoted fields, CRLF line ends and a UTF-8
 * byte-order mark are accepted.
 *
 * <p>If tokens or FLOPs are missing, they are derived from the others as C = k·N·D with
 * k = {@link #flopsPerParamToken} (default 6, the 6N convention of Kaplan et al. 2020); the
 * table's {@link ObservationTable#derivation()} says so. Any bad value is an
 * {@link InvalidInputException} that names the line and the column.
 */
public final class ObservationCsv {
    /** The columns scalelab knows, each with the header names that select it. */
    enum Column {
        PARAMS(true, "params", "n", "n_params"),
        TOKENS(false, "tokens", "d", "d_tokens"),
        FLOPS(false, "flops", "c", "c_flops", "compute"),
        LOSS(true, "loss", "l"),
        BUDGET(false, "budget", "flops_budget"),
        RUN(false, "run"),
        STEP(false, "step"),
        GROUP(false, "group"),
        STATUS(false, "status"),
        UNIQUE_TOKENS(false, "unique_tokens", "u_d", "unique"),
        EPOCHS(false, "epochs");

        final boolean required;
        final List<String> names;

        Column(boolean required, String... names) {
            this.required = required;
            this.names = List.of(names);
        }

        String canonical() {
            return names.get(0);
        }
    }

    /** scalelab's optional numeric columns, which a law may also read by name ({@link Observation#value}). */
    private static final List<Column> OWN_NUMBERS = List.of(Column.BUDGET, Column.STEP, Column.UNIQUE_TOKENS,
            Column.EPOCHS);

    /** A plain decimal number: digits, an optional point and an optional exponent. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern NOT_FINITE = Pattern.compile("(?i)[+-]?(nan|inf|infinity)");

    private final double flopsPerParamToken;
    private final List<RowFilter> filters;
    /** A header chosen for a quantity instead of its aliases ({@code --params-col}, the total count). */
    private final Map<Column, String> chosen;
    /**
     * The columns a law reads (params, tokens, flops, loss by those names, others by their header in lower
     * case), or null for the columns every law of N and D needs: params, loss, and tokens or flops.
     */
    private final List<String> needs;
    /** A law's other quantity read from a header of another name ({@code error <- err_avg17}). */
    private final Map<String, String> renamed;

    private ObservationCsv(double flopsPerParamToken, List<RowFilter> filters, Map<Column, String> chosen,
                           List<String> needs) {
        this(flopsPerParamToken, filters, chosen, needs, Map.of());
    }

    private ObservationCsv(double flopsPerParamToken, List<RowFilter> filters, Map<Column, String> chosen,
                           List<String> needs, Map<String, String> renamed) {
        this.renamed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(renamed));
        this.filters = List.copyOf(filters);
        this.chosen = Map.copyOf(chosen);
        this.needs = needs == null ? null : needs.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).toList();
        if (!(flopsPerParamToken > 0) || Double.isInfinite(flopsPerParamToken)) {
            throw new IllegalArgumentException("flopsPerParamToken must be positive, got " + flopsPerParamToken);
        }
        this.flopsPerParamToken = flopsPerParamToken;
    }

    /** A reader that derives missing columns with C = 6·N·D. */
    public static ObservationCsv standard() {
        return new ObservationCsv(6.0, List.of(), Map.of(), null);
    }

    /** A copy that derives missing columns with C = k·N·D. */
    public ObservationCsv withFlopsPerParamToken(double k) {
        return new ObservationCsv(k, filters, chosen, needs, renamed);
    }

    /** A copy that keeps only rows passing every filter; the others are listed as excluded. */
    public ObservationCsv withFilters(List<RowFilter> rowFilters) {
        return new ObservationCsv(flopsPerParamToken, rowFilters, chosen, needs, renamed);
    }

    /**
     * A copy whose N is {@code count}: non-embedding reads params (or its aliases); total reads only the
     * {@code total_params} column of a sweep's runs.csv, leaving {@code params} aside.
     */
    public ObservationCsv withParams(ParamCount count) {
        return count == ParamCount.TOTAL ? withColumn("params", ParamCount.TOTAL.column()) : this;
    }

    /**
     * A copy that reads {@code quantity} (params, tokens, flops or loss) from the column {@code header} only,
     * instead of its usual names; an IllegalArgumentException names the quantities for another.
     */
    public ObservationCsv withColumn(String quantity, String header) {
        Column column = switch (quantity) {
            case "params" -> Column.PARAMS;
            case "tokens" -> Column.TOKENS;
            case "flops" -> Column.FLOPS;
            case "loss" -> Column.LOSS;
            default -> null;
        };
        String q = quantity.trim().toLowerCase(Locale.ROOT);
        String h = header.trim().toLowerCase(Locale.ROOT);
        if (column == null) {
            if (q.isEmpty() || Arrays.stream(Column.values()).anyMatch(c -> c.names.contains(q))) {
                throw new IllegalArgumentException("'" + quantity + "' is one of scalelab's own columns or empty; choose "
                        + "params, tokens, flops or loss with their own options");
            }
            Map<String, String> next = new LinkedHashMap<>(renamed);
            next.put(q, h);
            return new ObservationCsv(flopsPerParamToken, filters, chosen, needs, next);
        }
        Map<Column, String> next = new LinkedHashMap<>(chosen);
        next.put(column, h);
        return new ObservationCsv(flopsPerParamToken, filters, next, needs, renamed);
    }

    /**
     * A copy that requires only the columns a law reads: params, tokens, flops and loss by those names
     * (tokens or flops may still be derived from the other and params), any other column by its header.
     * A table may then lack params or loss; a column a row does not have is NaN. Null restores the
     * standard columns (params, loss, and tokens or flops).
     */
    public ObservationCsv withNeeds(List<String> columns) {
        return new ObservationCsv(flopsPerParamToken, filters, chosen, columns, renamed);
    }

    /** Whether the table must have {@code column}: every law of N and D needs params and loss. */
    private boolean required(Column column) {
        // tokens and flops may be derived from each other and params, so neither is required as a column
        return needs == null ? column.required
                : column != Column.TOKENS && column != Column.FLOPS && needs.contains(column.canonical());
    }

    /** Whether the law reads none of params, tokens and flops (a law of error or accuracy against loss, say). */
    private boolean lawOfOtherColumns() {
        return needs != null && needs.stream().noneMatch(List.of("params", "tokens", "flops")::contains);
    }

    /** Whether the law reads tokens or flops (every law of N and D does). */
    private boolean needsTokensOrFlops() {
        return needs == null || needs.contains("tokens") || needs.contains("flops");
    }

    /** Whether {@code header} was chosen for a quantity other than {@code column} (and so is not also this one). */
    private boolean chosenElsewhere(Column column, String header) {
        return chosen.entrySet().stream().anyMatch(e -> e.getKey() != column && e.getValue().equals(header));
    }

    /** The header names that select {@code column}: the one chosen for it, else its aliases. */
    private List<String> names(Column column) {
        String header = chosen.get(column);
        return header != null ? List.of(header) : column.names;
    }

    public double flopsPerParamToken() {
        return flopsPerParamToken;
    }

    public ObservationTable read(Path file) {
        return read(CsvTable.readRagged(file));
    }

    public ObservationTable read(Reader reader, String source) {
        return read(CsvTable.readRagged(reader, source));
    }

    private ObservationTable read(CsvTable table) {
        String source = table.source();
        if (table.header().isEmpty()) {
            throw new InvalidInputException(source, 0, null, "the table is empty",
                    "the first line must be a header such as params,tokens,loss");
        }
        Map<Column, Integer> columns = mapHeader(table, source);
        if (table.rowCount() == 0) {
            throw new InvalidInputException(source, table.headerLine(), null, "the table has a header but no rows",
                    "add one row per run");
        }
        boolean hasTokens = columns.containsKey(Column.TOKENS);
        boolean hasFlops = columns.containsKey(Column.FLOPS);
        if (!hasTokens && !hasFlops && needsTokensOrFlops()) {
            throw new InvalidInputException(source, table.headerLine(), "tokens",
                    "neither a tokens column (tokens|D|D_tokens) nor a flops column (flops|C|C_flops|compute)",
                    "add at least one of them");
        }
        String k = formatFactor(flopsPerParamToken);
        boolean derive = columns.containsKey(Column.PARAMS) && (hasTokens || hasFlops);
        boolean missingWanted = (needs == null || needs.contains("tokens")) && !hasTokens
                || (needs == null || needs.contains("flops")) && !hasFlops;
        if (!derive && missingWanted && (hasTokens || hasFlops)) {
            throw new InvalidInputException(source, table.headerLine(), "params", "deriving "
                    + (hasTokens ? "flops" : "tokens") + " needs a params column", "add params, or give both tokens "
                    + "and flops");
        }
        Map<String, Integer> extra = extraColumns(table, columns, source);
        String derivation = hasTokens && hasFlops || !derive ? null
                : hasTokens ? "flops = " + k + "·params·tokens (" + k + "N)"
                : "tokens = flops / (" + k + "·params) (" + k + "N)";
        Map<RowFilter, Integer> filterColumns = filterColumns(table, source);
        List<Observation> observations = new ArrayList<>(table.rowCount());
        List<ObservationTable.Excluded> excluded = new ArrayList<>();
        for (Row row : table.rows()) {
            String status = text(row, columns, Column.STATUS);
            if (status != null && !status.equalsIgnoreCase("completed")) {
                excluded.add(new ObservationTable.Excluded(row.line(), "run " + status + " (status column): left out of the fit"));
                continue;
            }
            String rejectedBy = rejectedBy(row, filterColumns, source);
            if (rejectedBy != null) {
                excluded.add(new ObservationTable.Excluded(row.line(), "filtered out by --where '" + rejectedBy + "'"));
                continue;
            }
            observations.add(toObservation(row, columns, extra, source));
        }
        if (observations.isEmpty() && filters.isEmpty()) {
            throw new InvalidInputException(source, 0, "status", "no row has status COMPLETED",
                    "every run in the table diverged or failed; fix the runs (lower learning rate, longer warm-up)");
        }
        if (observations.isEmpty()) {
            throw new InvalidInputException(source, 0, null, "no rows pass the filters " + filters.stream()
                    .map(RowFilter::text).toList(), "loosen the --where filters");
        }
        Map<String, String> read = new LinkedHashMap<>();
        for (Column c : List.of(Column.PARAMS, Column.TOKENS, Column.FLOPS, Column.LOSS)) {
            Integer index = columns.get(c);
            boolean derived = derivation != null && (c == Column.TOKENS || c == Column.FLOPS);
            if (index != null || derived) {
                read.put(c.canonical(), index != null ? table.header().get(index).trim() : "derived");
            }
        }
        if (needs != null) {
            for (String n : needs) {
                if (extra.containsKey(n) && !read.containsKey(n)) {
                    read.put(n, table.header().get(extra.get(n)).trim());
                }
            }
        }
        return new ObservationTable(source, observations, derivation, excluded, read);
    }

    private Map<RowFilter, Integer> filterColumns(CsvTable table, String source) {
        Map<RowFilter, Integer> out = new LinkedHashMap<>();
        for (RowFilter f : filters) {
            int index = -1;
            for (int i = 0; i < table.header().size(); i++) {
                if (table.header().get(i).trim().toLowerCase(Locale.ROOT).equals(f.column())) {
                    index = i;
                }
            }
            if (index < 0) {
                throw new InvalidInputException(source, table.headerLine(), f.column(), "the --where filter '" + f.text()
                        + "' names no column of the table", "columns are: " + String.join(",", table.header()));
            }
            out.put(f, index);
        }
        return out;
    }

    /** The text of the first filter the row fails, or null if it passes them all. */
    private static String rejectedBy(Row row, Map<RowFilter, Integer> filterColumns, String source) {
        for (Map.Entry<RowFilter, Integer> e : filterColumns.entrySet()) {
            String cell = e.getValue() < row.cells().size() ? row.cells().get(e.getValue()) : "";
            if (e.getKey().numeric() && !RowFilter.isNumber(cell)) {
                throw new InvalidInputException(source, row.line(), e.getKey().column(), "\"" + cell
                        + "\" is not a number, so --where '" + e.getKey().text() + "' cannot test it",
                        "filter on a numeric column, or compare text with = or != and a value that is not a number");
            }
            if (!e.getKey().acceptsCell(cell)) {
                return e.getKey().text();
            }
        }
        return null;
    }

    private static String formatFactor(double k) {
        return k == Math.rint(k) ? Long.toString((long) k) : Double.toString(k);
    }

    private Map<Column, Integer> mapHeader(CsvTable table, String source) {
        Map<Column, Integer> columns = new LinkedHashMap<>();
        for (int i = 0; i < table.header().size(); i++) {
            String name = table.header().get(i).trim().toLowerCase(Locale.ROOT);
            for (Column column : Column.values()) {
                // a header chosen for a law's own quantity (--column loss_b=loss) is that quantity's alone
                if (names(column).contains(name) && !chosenElsewhere(column, name) && !renamed.containsValue(name)) {
                    Integer earlier = columns.putIfAbsent(column, i);
                    if (earlier != null) {
                        throw new InvalidInputException(source, table.headerLine(), table.header().get(i),
                                "this column and \"" + table.header().get(earlier) + "\" both name " + column.canonical(),
                                "keep one of them");
                    }
                }
            }
        }
        for (Column column : Column.values()) {
            if (required(column) && !columns.containsKey(column)) {
                throw new InvalidInputException(source, table.headerLine(), names(column).get(0),
                        "missing required column (header names accepted: " + String.join("|", names(column)) + ")",
                        "add it to the header row; the header read was: " + String.join(",", table.header()));
            }
        }
        return columns;
    }

    /**
     * The columns that are none of scalelab's own, by header in lower case; each column the law needs must be
     * among them (or be one of scalelab's), else an error naming it.
     */
    private Map<String, Integer> extraColumns(CsvTable table, Map<Column, Integer> columns, String source) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Map<String, String> byHeader = new LinkedHashMap<>();
        renamed.forEach((quantity, header) -> byHeader.put(header, quantity));
        for (int i = 0; i < table.header().size(); i++) {
            if (!columns.containsValue(i)) {
                String name = table.header().get(i).trim().toLowerCase(Locale.ROOT);
                if (renamed.containsKey(name) && !byHeader.containsKey(name)) {
                    continue; // another column was chosen for this name
                }
                out.putIfAbsent(byHeader.getOrDefault(name, name), i);
            }
        }
        for (Map.Entry<String, String> r : renamed.entrySet()) {
            if (!out.containsKey(r.getKey())) {
                throw new InvalidInputException(source, table.headerLine(), r.getValue(), "the column chosen for "
                        + r.getKey() + " is not in the header", "the header read was: " + String.join(",", table.header()));
            }
        }
        if (needs != null) {
            for (String n : needs) {
                // scalelab's own columns serve by their canonical names (--x step), read into the observation
                boolean own = List.of("params", "tokens", "flops", "loss").contains(n) || columns.keySet().stream()
                        .anyMatch(c -> c.canonical().equals(n) && OWN_NUMBERS.contains(c));
                if (!own && !out.containsKey(n)) {
                    throw new InvalidInputException(source, table.headerLine(), n, "missing column that the law "
                            + "reads (it reads " + String.join(", ", needs) + ")", "add it to the header row, or "
                            + "choose the law's columns; the header read was: " + String.join(",", table.header()));
                }
            }
        }
        return out;
    }

    private Observation toObservation(Row row, Map<Column, Integer> columns, Map<String, Integer> extra,
                                      String source) {
        Double params = number(row, columns, Column.PARAMS, source);
        Double loss = number(row, columns, Column.LOSS, source);
        Double tokens = number(row, columns, Column.TOKENS, source);
        Double flops = number(row, columns, Column.FLOPS, source);
        Double budget = number(row, columns, Column.BUDGET, source);
        Double step = number(row, columns, Column.STEP, source);
        Map<String, Double> values = values(row, extra, source);
        if (step != null && step != Math.rint(step)) {
            throw new InvalidInputException(source, row.line(), Column.STEP.canonical(),
                    step + " is not a whole number", "steps count optimizer updates");
        }
        if (tokens == null && flops == null && needsTokensOrFlops()) {
            Column missing = columns.containsKey(Column.TOKENS) ? Column.TOKENS : Column.FLOPS;
            throw new InvalidInputException(source, row.line(), missing.canonical(),
                    "empty value", "give a number");
        }
        boolean derivable = params != null && (tokens != null || flops != null);
        if (!derivable) {
            // a row without what C = k·N·D needs (a law of other columns, or of tokens alone): kept as it is
            for (Column c : List.of(Column.TOKENS, Column.FLOPS)) {
                if (needs != null && needs.contains(c.canonical()) && (c == Column.TOKENS ? tokens : flops) == null) {
                    throw new InvalidInputException(source, row.line(), c.canonical(), "empty value, and params, "
                            + "from which it would be derived, is empty too", "give a number");
                }
            }
            return new Observation(orNaN(params), orNaN(tokens), orNaN(flops), orNaN(loss), budget,
                    text(row, columns, Column.RUN), step == null ? null : step.longValue(),
                    text(row, columns, Column.GROUP), null, values);
        }
        if (tokens == null) {
            tokens = flops / (flopsPerParamToken * params);
        } else if (flops == null) {
            flops = flopsPerParamToken * params * tokens;
        }
        if (Double.isInfinite(flops) || Double.isInfinite(tokens)) {
            throw new InvalidInputException(source, row.line(), "flops",
                    "the derived value overflows (params " + params + ", tokens " + tokens + ")",
                    "check the units of params and tokens");
        }
        Double unique = number(row, columns, Column.UNIQUE_TOKENS, source);
        if (unique == null && columns.containsKey(Column.EPOCHS)) {
            Double epochs = number(row, columns, Column.EPOCHS, source);
            if (epochs != null && epochs < 1) {
                throw new InvalidInputException(source, row.line(), Column.EPOCHS.canonical(), epochs
                        + " is below one epoch", "epochs count passes over the unique data: tokens / unique tokens");
            }
            unique = epochs == null ? null : tokens / epochs;
        }
        if (unique != null && unique > tokens * (1 + 1e-9)) {
            throw new InvalidInputException(source, row.line(), Column.UNIQUE_TOKENS.canonical(), unique
                    + " is above tokens " + tokens, "unique tokens count each distinct token once, tokens count "
                    + "every repeat: give at most the tokens");
        }
        return new Observation(params, tokens, flops, orNaN(loss), budget, text(row, columns, Column.RUN),
                step == null ? null : step.longValue(), text(row, columns, Column.GROUP), unique, values);
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    /**
     * The row's numeric cells of the other columns; a column the law needs must hold a finite number in
     * every row, the others are kept where they do (text columns are left to --where and --group-by).
     */
    private Map<String, Double> values(Row row, Map<String, Integer> extra, String source) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> e : extra.entrySet()) {
            String cell = e.getValue() < row.cells().size() ? row.cells().get(e.getValue()).trim() : "";
            boolean needed = needs != null && needs.contains(e.getKey());
            if (DECIMAL.matcher(cell).matches() && Double.isFinite(Double.parseDouble(cell))) {
                out.put(e.getKey(), Double.parseDouble(cell));
            } else if (needed) {
                throw new InvalidInputException(source, row.line(), e.getKey(), cell.isEmpty() ? "empty value"
                        : "\"" + cell + "\" is not a finite number", "give a plain number such as 0.35 in every row");
            }
        }
        return out;
    }


    private static String text(Row row, Map<Column, Integer> columns, Column column) {
        Integer index = columns.get(column);
        if (index == null || index >= row.cells().size() || row.cells().get(index).isEmpty()) {
            return null;
        }
        return row.cells().get(index);
    }

    /** The cell's value: null if the column is absent, or empty and optional; otherwise a positive finite number. */
    private Double number(Row row, Map<Column, Integer> columns, Column column, String source) {
        Integer index = columns.get(column);
        if (index == null) {
            return null;
        }
        String cell = index < row.cells().size() ? row.cells().get(index) : "";
        if (cell.isEmpty()) {
            if (required(column)) {
                throw new InvalidInputException(source, row.line(), column.canonical(), "empty value",
                        "give a positive number");
            }
            return null;
        }
        if (NOT_FINITE.matcher(cell).matches()) {
            throw new InvalidInputException(source, row.line(), column.canonical(),
                    cell + " is not a finite number", "remove the row or give a finite value");
        }
        if (!DECIMAL.matcher(cell).matches()) {
            throw new InvalidInputException(source, row.line(), column.canonical(),
                    "\"" + cell + "\" is not a number", "write a plain number such as 1.5e9");
        }
        double value = Double.parseDouble(cell);
        if (Double.isInfinite(value)) {
            throw new InvalidInputException(source, row.line(), column.canonical(),
                    cell + " is too large for a double", "check the units");
        }
        // a law of accuracy or error against loss may take the ideal point, loss 0 (Bhagia et al. 2024)
        boolean zeroAllowed = column == Column.STEP || column == Column.LOSS && lawOfOtherColumns();
        if (value < 0 || (value == 0 && !zeroAllowed)) {
            throw new InvalidInputException(source, row.line(), column.canonical(),
                    cell + " is not positive", column.canonical() + " must be greater than zero");
        }
        return value;
    }
}
