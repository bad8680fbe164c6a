package dev.scalelab.study;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationCsv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The observation tables a sweep folder holds. */
final class Tables {
    private Tables() {
    }

    /** The rows of {@code csv}; none when it does not exist yet or has a header only. */
    static List<Observation> observations(Path csv) {
        if (!Files.isRegularFile(csv)) {
            return List.of();
        }
        try {
            return ObservationCsv.standard().read(csv).observations();
        } catch (InvalidInputException e) {
            if (e.getMessage().contains("has a header but no rows")) {
                return List.of();
            }
            throw e;
        }
    }
}
