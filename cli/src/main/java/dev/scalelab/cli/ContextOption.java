package dev.scalelab.cli;

import picocli.CommandLine.Option;

/** The shared {@code --context T} option: tokens per sequence, a model's context and the window a floor is for. */
final class ContextOption {
    @Option(names = "--context", defaultValue = "128", paramLabel = "T",
            description = "Tokens per sequence: a model's context, and the window whose entropy floor is measured "
                    + "(default: ${DEFAULT-VALUE}).")
    int context;
}
