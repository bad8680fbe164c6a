package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import picocli.CommandLine.Option;

/** The shared {@code --level P} option: the coverage of an interval. */
final class LevelOption {
    @Option(names = "--level", defaultValue = "0.95", paramLabel = "P",
            description = "Interval coverage, in (0, 1) (default: ${DEFAULT-VALUE}).")
    double level;

    /** The level, checked: in (0, 1). */
    double level() {
        if (!(level > 0 && level < 1)) {
            throw new InvalidInputException("command line", 0, "--level", "must be in (0, 1), got " + level, null);
        }
        return level;
    }
}
