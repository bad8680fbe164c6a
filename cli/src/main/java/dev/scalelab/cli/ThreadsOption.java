package dev.scalelab.cli;

import picocli.CommandLine.Option;

/**
 * The shared {@code --threads} option: threads per job. One rule for its default keeps each
 * command's behaviour: a sweep config's training.threads, 1 when it gives none (sweep, plan); all
 * CPUs for a command without a sweep config (train, fit).
 */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N",
            description = "Threads per job: each training run (train, sweep, plan's estimates) or a fit (its starts "
                    + "and bootstrap) (default: a sweep config's training.threads, 1 when it gives none; without a "
                    + "sweep config, all CPUs).")
    Integer threads;

    /** The number given, or null for the default rule (a sweep config's, resolved by the library). */
    Integer given() {
        return threads;
    }

    /** The number given, or all CPUs: the default of a command without a sweep config. */
    int orAllCpus() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }
}
