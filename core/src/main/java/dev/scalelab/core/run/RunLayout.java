package dev.scalelab.core.run;

import java.nio.file.Path;

/**
 * The files of one run's folder, as {@code scalelab train}, a sweep's runs and grokking runs write
 * them; every reader and writer of a run folder takes their names from here.
 */
public final class RunLayout {
    /** The folder, under the working directory, that holds runs given no {@code --out}. */
    public static final String DEFAULT_PARENT = "runs";
    /** The run's {@link TrainSpec}, written first. */
    public static final String SPEC = "spec.json";
    /** One row per evaluation, rewritten atomically after each. */
    public static final String METRICS = "metrics.csv";
    /** The finished run's {@link RunResult} (or a grokking run's events). */
    public static final String RESULT = "result.json";
    /** The error of a run that failed inside a sweep. */
    public static final String FAILED = "failed.json";
    /** The claim file of the process training the run. */
    public static final String CLAIM = "claim";
    /** The skill probes at the end of a run on a synthetic corpus. */
    public static final String PROBES = "probes.csv";
    /** The model and optimizer state a resumed run starts from. */
    public static final String CHECKPOINT = "checkpoint/state.bin";
    /** A grokking run's accuracy and loss charts. */
    public static final String ACCURACY_CHART = "accuracy.png";
    public static final String LOSS_CHART = "loss.png";

    private RunLayout() {
    }

    /** The folder of a run given no {@code --out}: {@code runs/NAME} under the working directory. */
    public static Path defaultDir(String name) {
        return Path.of(DEFAULT_PARENT, name);
    }

    public static Path spec(Path runDir) {
        return runDir.resolve(SPEC);
    }

    public static Path metrics(Path runDir) {
        return runDir.resolve(METRICS);
    }

    public static Path result(Path runDir) {
        return runDir.resolve(RESULT);
    }

    public static Path failed(Path runDir) {
        return runDir.resolve(FAILED);
    }

    public static Path claim(Path runDir) {
        return runDir.resolve(CLAIM);
    }

    public static Path probes(Path runDir) {
        return runDir.resolve(PROBES);
    }

    public static Path checkpoint(Path runDir) {
        return runDir.resolve(CHECKPOINT);
    }
}
