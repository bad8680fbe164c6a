package dev.scalelab.cli;

import picocli.CommandLine.Option;

/** Options shared by the commands that run jobs through the run pool, or look at its claims. */
final class RunPoolOptions {
    private RunPoolOptions() {
    }

    /** {@code --jobs J}: jobs at once. */
    static final class Jobs {
        @Option(names = "--jobs", paramLabel = "J",
                description = "Jobs (runs, or phase cells) at once (default: CPUs / threads per job).")
        Integer jobs;
    }

    /** {@code --shard K/N}: every N-th job from the K-th. */
    static final class ShardOption {
        @Option(names = "--shard", paramLabel = "K/N",
                description = "Run only jobs K, K+N, K+2N, ... (1-based), e.g. 2/4; processes may share the folder.")
        String shard;
    }

    /** {@code --claim-timeout SECONDS}: when a claim's heartbeat counts as stalled. */
    static final class ClaimTimeout {
        @Option(names = "--claim-timeout", defaultValue = "300", paramLabel = "SECONDS",
                description = "A claim whose heartbeat is older than this is stalled, and a sweep takes it over "
                        + "(default: ${DEFAULT-VALUE}).")
        long seconds;
    }

    /** {@code --no-calibrate}: rough time estimates. */
    static final class NoCalibrate {
        @Option(names = "--no-calibrate", description = "Estimate times from a rough 60 GFLOP/s instead of timing each shape.")
        boolean noCalibrate;
    }
}
