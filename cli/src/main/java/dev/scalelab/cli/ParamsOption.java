package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.model.ParamCount;
import picocli.CommandLine.Option;

/**
 * The shared {@code --param-count COUNT} option: what N counts in a fit, non-embedding parameters (a table's
 * {@code params} column) or every parameter ({@code total_params}, as a sweep's runs.csv holds it). Each
 * command gives its own default: the study commands count every parameter ({@code Study.PARAMS}), the
 * table commands read {@code params}.
 */
final class ParamsOption {
    @Option(names = "--param-count", paramLabel = "COUNT",
            description = "What N counts: non-embedding (the params column) or total (the total_params column of a "
                    + "sweep's runs.csv, embeddings included; Pearce and Song 2024). A sweep's budgets stay charged on "
                    + "its non-embedding parameters. Default: total for report and quickstart, non-embedding otherwise.")
    String text;

    /** The count asked for, or {@code fallback} when none was given; a bad name is exit 3 naming the option. */
    ParamCount or(ParamCount fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return ParamCount.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("command line", 0, "--param-count", "'" + text + "' is not a parameter count",
                    "give non-embedding or total");
        }
    }
}
