package dev.scalelab.sweep.plan;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.core.run.Precision;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.platform.NativeThreads;
import dev.scalelab.sweep.train.StepOptions;
import dev.scalelab.sweep.train.TrainingEngine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Estimates a run's wall time from this machine's measured training speed. Each distinct (shape,
 * batch, threads, native build) is timed once, for a few steps, and cached; without calibration the
 * estimate assumes 60 GFLOP/s of 6N+attention work on 2 threads, and says so.
 */
public final class Throughput {
    /** Changes when the trainer's speed does, so that speeds cached by an older trainer are remeasured. */
    static final String TRAINER_REVISION = "r3";

    private final Path cacheFile;
    private final boolean calibrate;
    private final Map<String, Double> tokensPerSecond;

    private Throughput(Path cacheFile, boolean calibrate) {
        this.cacheFile = cacheFile;
        this.calibrate = calibrate;
        this.tokensPerSecond = load(cacheFile);
    }

    /** Measured speeds, cached in {@code ~/.cache/scalelab/throughput.json} (or $SCALELAB_CACHE). */
    public static Throughput calibrated() {
        String dir = System.getenv("SCALELAB_CACHE");
        Path base = dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".cache", "scalelab");
        return new Throughput(base.resolve("throughput.json"), true);
    }

    /** A rough estimate that measures nothing. */
    public static Throughput rough() {
        return new Throughput(null, false);
    }

    public String describe() {
        return calibrate ? "measured on this machine (a few timed steps per shape, cached in " + cacheFile + ")"
                : "rough: 60 GFLOP/s of 6N+attention work per 2 threads, nothing measured";
    }

    /** Training plus evaluation seconds for a run (an evaluated token costs about a third of a trained one). */
    public double estimateSeconds(TrainSpec spec) {
        double rate = rate(spec);
        double evalTokens = (spec.steps() / (double) spec.evalInterval() + 1) * spec.evalWindows()
                * (double) spec.shape().context();
        return spec.tokens() / rate + evalTokens / (3 * rate);
    }

    private double rate(TrainSpec spec) {
        if (!calibrate) {
            double flops = spec.shape().flopsPerToken(FlopConvention.SIX_N_ATTENTION);
            return 60e9 * spec.threads() / 2.0 / flops;
        }
        String key = spec.shape().label() + "|b" + spec.batch() + "|t" + spec.threads() + "|" + spec.classifier()
                + (spec.precision() == Precision.FP32 ? "" : "|" + spec.precision().label()) + "|" + TRAINER_REVISION;
        Double cached = tokensPerSecond.get(key);
        if (cached == null) {
            cached = measure(spec);
            tokensPerSecond.put(key, cached);
            save();
        }
        return cached;
    }

    /**
     * Times full training steps on random tokens: at least 2 warm-up steps and a quarter of a second
     * (2 s for the first shape in a JVM: the JIT compiles the trainer and its Vector API kernels in
     * that time, and uncompiled they run many times slower),
     * then at least 3 timed steps and a quarter of a second.
     */
    private static double measure(TrainSpec spec) {
        NativeThreads.set(spec.threads());
        TrainingEngine.Model model = TrainingEngine.Model.of(spec);
        try (TrainingEngine engine = TrainingEngine.cpu(model, spec.optimizer(), CALIBRATION)) {
            engine.init(0, 1.0);
            return measure(spec, engine);
        }
    }

    /** The timing loop of {@link #measure(TrainSpec)} over an initialised engine of {@code spec}'s model. */
    static double measure(TrainSpec spec, TrainingEngine engine) {
        int[] tokens = new int[spec.batch() * (spec.shape().context() + 1)];
        SplittableRandom rng = new SplittableRandom(0);
        long warmupEnd = System.nanoTime() + (jitWarm ? WINDOW_NANOS : FIRST_WARMUP_NANOS);
        for (int s = 0; s < 2 || System.nanoTime() < warmupEnd; s++) {
            step(spec, engine, tokens, rng);
        }
        long start = System.nanoTime();
        int steps = 0;
        while (steps < 3 || System.nanoTime() - start < WINDOW_NANOS) {
            step(spec, engine, tokens, rng);
            steps++;
        }
        jitWarm = true;
        return (double) steps * spec.tokensPerStep() / ((System.nanoTime() - start) / 1e9);
    }

    private static final long WINDOW_NANOS = 250_000_000L;
    /** The first shape timed in a JVM also waits for the JIT to compile the trainer as a whole. */
    private static final long FIRST_WARMUP_NANOS = 2_000_000_000L;
    private static volatile boolean jitWarm;

    /** Calibration steps clip at 1 whatever the spec's gradClip, and take a fixed learning rate: only their speed counts. */
    static final StepOptions CALIBRATION = new StepOptions(1.0, false, List.of());
    static final double CALIBRATION_LEARNING_RATE = 1e-3;

    private static void step(TrainSpec spec, TrainingEngine engine, int[] tokens, SplittableRandom rng) {
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = rng.nextInt(spec.shape().vocab());
        }
        engine.step(tokens, CALIBRATION_LEARNING_RATE);
    }

    private static Map<String, Double> load(Path file) {
        if (file == null || !Files.isRegularFile(file)) {
            return new TreeMap<>();
        }
        try {
            return new TreeMap<>(Json.mapper().readValue(file.toFile(), new TypeReference<Map<String, Double>>() {
            }));
        } catch (IOException e) {
            return new TreeMap<>(); // a damaged cache is remeasured
        }
    }

    private void save() {
        if (cacheFile != null) {
            try {
                Json.write(cacheFile, tokensPerSecond);
            } catch (RuntimeException e) {
                // a read-only home: the estimate still works, it is just measured again next time
            }
        }
    }
}
