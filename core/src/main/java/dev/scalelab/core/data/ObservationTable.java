package dev.scalelab.core.data;

import java.util.List;

/**
 * Observations read from one source, with a note of any column that was derived rather than read.
 *
 * @param source       where the rows came from (a file path or a name)
 * @param observations the rows, in file order
 * @param derivation   how missing tokens or FLOPs were derived, e.g. {@code "flops = 6·params·tokens (6N)"};
 *                     null when every column was read from the source
 */
public record ObservationTable(String source, List<Observation> observations, String derivation) {
    public ObservationTable {
        observations = List.copyOf(observations);
    }

    public int size() {
        return observations.size();
    }
}
