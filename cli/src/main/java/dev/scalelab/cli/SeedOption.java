package dev.scalelab.cli;

import dev.scalelab.core.run.TrainingDefaults;
import picocli.CommandLine.Option;

/** The shared {@code --seed S} option. */
final class SeedOption {
    @Option(names = "--seed", defaultValue = "" + TrainingDefaults.SEED, paramLabel = "S",
            description = "Seeds every random draw of the command (bootstrap resamples; a run's initialisation and "
                    + "batch order) (default: ${DEFAULT-VALUE}).")
    long seed;
}
