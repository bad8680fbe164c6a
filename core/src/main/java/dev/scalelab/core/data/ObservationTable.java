package dev.scalelab.core.data;

import java.util.List;

/**
 * Observations read from one source, with a note of any column that was derived rather than read.
 *
 * @param source       where the rows came from (a file path or a name)
 * @param observations the rows, in file order
 * @param derivation   how missing tokens or FLOPs were derived, e.g. {@code "flops = 6·params·tokens (6N)"};
 *                     null when every column was read from the source
 * @param excluded     rows that were read but left out, with the reason
 */
public record ObservationTable(String source, List<Observation> observations, String derivation,
                               List<Excluded> excluded) {
    /** A row left out of the table, and why (a --where filter, for example). */
    public record Excluded(int line, String reason) {
    }

    public ObservationTable {
        observations = List.copyOf(observations);
        excluded = List.copyOf(excluded);
    }

    public ObservationTable(String source, List<Observation> observations, String derivation) {
        this(source, observations, derivation, List.of());
    }

    public int size() {
        return observations.size();
    }
}
