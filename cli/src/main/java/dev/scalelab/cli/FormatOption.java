package dev.scalelab.cli;

import picocli.CommandLine.Option;

/** The shared {@code --format text|json} option. */
final class FormatOption {
    enum Format { text, json }

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    boolean json() {
        return format == Format.json;
    }
}
