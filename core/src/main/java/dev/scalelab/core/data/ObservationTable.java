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
 * @param columns      which header each quantity was read from ({@code params -> total_params}), in the
 *                     order params, tokens, flops, loss; empty for a table not read from a file
 */
public record ObservationTable(String source, List<Observation> observations, String derivation,
                               List<Excluded> excluded, java.util.Map<String, String> columns) {
    /** A row left out of the table, and why (a --where filter, for example). */
    public record Excluded(int line, String reason) {
    }

    public ObservationTable {
        observations = List.copyOf(observations);
        excluded = List.copyOf(excluded);
        columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
    }

    public ObservationTable(String source, List<Observation> observations, String derivation, List<Excluded> excluded) {
        this(source, observations, derivation, excluded, java.util.Map.of());
    }

    public ObservationTable(String source, List<Observation> observations, String derivation) {
        this(source, observations, derivation, List.of());
    }

    public int size() {
        return observations.size();
    }
}
