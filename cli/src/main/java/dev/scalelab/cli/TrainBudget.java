package dev.scalelab.cli;

import dev.scalelab.core.run.TrainingDefaults;
import picocli.CommandLine.Option;

/** {@code train}'s budget: optimizer steps or training tokens, one of them. */
final class TrainBudget {
    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (default: " + TrainingDefaults.TRAIN_STEPS + ").")
    Long steps;

    @Option(names = "--tokens", paramLabel = "N", description = "Training tokens, e.g. 5e6; rounded up to whole steps.")
    Double tokens;
}
