package dev.scalelab.study;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.data.RowFilter;
import dev.scalelab.core.model.FlopCount;
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

    /** The observations of {@code input} passing {@code filters}, with k of C = k·N·D for derived columns. */
    public static FitInput open(Path input, double flopsPerParamToken, List<RowFilter> filters) {
        boolean folder = Files.isDirectory(input);
        Path csv = folder ? SweepLayout.runsCsv(input) : input;
        if (folder && !Files.isRegularFile(csv)) {
            throw new InvalidInputException(input, 0, null, "is a folder without " + SweepLayout.RUNS_CSV,
                    "give an observation CSV, or a sweep folder after 'scalelab collect'");
        }
        ObservationTable table = ObservationCsv.standard().withFlopsPerParamToken(flopsPerParamToken)
                .withFilters(filters).read(csv);
        return new FitInput(table, flopCount(input, flopsPerParamToken));
    }

    private static FlopCount flopCount(Path input, double k) {
        if (Files.isDirectory(input) && Files.isRegularFile(input.resolve(SweepLayout.PLAN))) {
            try {
                return SweepFolder.open(input).plan().flops();
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(input.resolve(SweepLayout.PLAN), 0, "family", e.getMessage(),
                        "run 'scalelab sweep' again to rewrite it");
            }
        }
        return FlopCount.proportional(k);
    }
}
