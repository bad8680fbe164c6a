package dev.scalelab.study;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.data.RowFilter;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.core.model.ParamCount;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.sweep.run.SweepFolder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a fit reads: a table of observations (an observation CSV, or a sweep folder's runs.csv) and
 * its FLOP count (a sweep folder's own plan's convention and family; for a table, C = k·N·D).
 */
public record FitInput(ObservationTable table, FlopCount flops) {

    /**
     * The observations of {@code input} passing {@code filters}, with k of C = k·N·D for derived columns;
     * the FLOP count is the sweep's (for a sweep folder or its runs.csv or curves.csv) unless k was
     * {@code given}, else C = k·N·D. {@code params} is what N counts: for total parameters the table's
     * {@code total_params} column, and a sweep's count still charges its budget on the non-embedding
     * parameters it planned with ({@link FlopCount#over}).
     */
    /** The table INPUT names: the file itself, or a sweep folder's runs.csv. */
    public static Path table(Path input) {
        boolean folder = Files.isDirectory(input);
        Path csv = folder ? SweepLayout.runsCsv(input) : input;
        if (folder && !Files.isRegularFile(csv)) {
            throw new InvalidInputException(input, 0, null, "is a folder without " + SweepLayout.RUNS_CSV,
                    "give an observation CSV, or a sweep folder after 'scalelab collect'");
        }
        return csv;
    }

    public static FitInput open(Path input, double flopsPerParamToken, boolean given, List<RowFilter> filters,
                                ParamCount params) {
        return open(input, flopsPerParamToken, given, filters, params, java.util.Map.of());
    }

    /** As {@link #open(Path, double, boolean, List, ParamCount)}, each quantity of {@code columns} read from its header. */
    public static FitInput open(Path input, double flopsPerParamToken, boolean given, List<RowFilter> filters,
                                ParamCount params, java.util.Map<String, String> columns) {
        return open(input, flopsPerParamToken, given, filters, params, columns, null);
    }

    /** As above, reading only the columns a law {@code needs} ({@link ObservationCsv#withNeeds}; null: N, D and loss). */
    public static FitInput open(Path input, double flopsPerParamToken, boolean given, List<RowFilter> filters,
                                ParamCount params, java.util.Map<String, String> columns, List<String> needs) {
        Path csv = table(input);
        ObservationCsv reader = ObservationCsv.standard().withFlopsPerParamToken(flopsPerParamToken)
                .withFilters(filters).withParams(params).withNeeds(needs);
        for (java.util.Map.Entry<String, String> c : columns.entrySet()) {
            reader = reader.withColumn(c.getKey(), c.getValue());
        }
        ObservationTable table = reader.read(csv);
        FlopCount sweep = given ? null : SweepFolder.flopCountOf(input, params);
        return new FitInput(table, sweep != null ? sweep : FlopCount.proportional(flopsPerParamToken));
    }
}
