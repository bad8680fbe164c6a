package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import picocli.CommandLine.Option;

/** The shared {@code --bootstrap N} option: resamples for percentile intervals, 0 for none. */
final class BootstrapOption {
    /** 200 resamples: percentile intervals at 95% steady to about a percent of their width (Efron and Tibshirani 1993, ch. 13). */
    static final String DEFAULT = "200";

    @Option(names = "--bootstrap", defaultValue = DEFAULT, paramLabel = "N",
            description = "Bootstrap resamples for percentile intervals; 0 for none (default: ${DEFAULT-VALUE}).")
    int resamples;

    /** The resamples, checked: 0 or more. */
    int resamples() {
        if (resamples < 0) {
            throw new InvalidInputException("command line", 0, "--bootstrap", resamples + " is negative", "give 0 or more");
        }
        return resamples;
    }
}
