package dev.scalelab.study;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.model.ParamCount;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The observation tables a sweep folder holds. */
final class Tables {
    private Tables() {
    }

    /** The rows of {@code csv} with N counting {@code params}; none when it does not exist yet or has a header only. */
    static List<Observation> observations(Path csv, ParamCount params) {
        if (!Files.isRegularFile(csv)) {
            return List.of();
        }
        try {
            return ObservationCsv.standard().withParams(params).read(csv).observations();
        } catch (InvalidInputException e) {
            if (e.getMessage().contains("has a header but no rows")) {
                return List.of();
            }
            throw e;
        }
    }
}
