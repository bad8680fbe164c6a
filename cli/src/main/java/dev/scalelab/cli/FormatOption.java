package dev.scalelab.cli;

import picocli.CommandLine.Option;

/** The shared {@code --format text|json} option, and {@link WithCsv} for a command whose output is also a table. */
final class FormatOption {
    enum Format { text, json }

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
            description = "Output format: text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    boolean json() {
        return format == Format.json;
    }

    /** {@code --format text|json|csv}: the same option, same default, where the output is also a table. */
    static final class WithCsv {
        enum Format { text, json, csv }

        @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
                description = "Output format: text, json or csv (default: ${DEFAULT-VALUE}).")
        Format format;
    }
}
