package dev.scalelab.sweep.bench;

import dev.scalelab.core.run.Precision;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.core.run.TrainingDefaults;
import dev.scalelab.sweep.model.Architecture;
import dev.scalelab.sweep.model.PhaseTimer;
import dev.scalelab.sweep.platform.NativeBackend;
import dev.scalelab.sweep.platform.NativeThreads;
import dev.scalelab.sweep.train.StepOptions;
import dev.scalelab.sweep.train.TrainingEngine;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times full training steps (forward, backward, clipping, AdamW) of scalelab's trainer on random
 * tokens, the same work as {@code scripts/bench/torch_gpt.py} does in PyTorch, and prints one JSON
 * line. Run with -Dscalelab.phases=true for the per-phase breakdown.
 *
 * <p>Usage: StepBenchmark d_model layers heads context vocab batch steps warmup threads [fp32|bf16]
 * (the precision of the matrix multiplies, float32 by default).
 */
public final class StepBenchmark {
    private StepBenchmark() {
    }

    public static void main(String[] args) {
        int d = Integer.parseInt(args[0]);
        int layers = Integer.parseInt(args[1]);
        int heads = Integer.parseInt(args[2]);
        int context = Integer.parseInt(args[3]);
        int vocab = Integer.parseInt(args[4]);
        int batch = Integer.parseInt(args[5]);
        int steps = Integer.parseInt(args[6]);
        int warmup = Integer.parseInt(args[7]);
        int threads = Integer.parseInt(args[8]);
        Precision precision = args.length > 9
                ? Precision.fromLabel(args[9]) : Precision.FP32;
        System.out.print(Json.mapper().createObjectNode().pojoNode(run(new ModelShape(layers, heads, d, context, vocab),
                batch, steps, warmup, threads, precision)).toString() + "\n");
    }

    static Map<String, Object> run(ModelShape shape, int batch, int steps, int warmup, int threads,
                                   Precision precision) {
        NativeThreads.set(threads);
        TrainSpec.Optimizer opt = TrainingDefaults.adamW(TrainingDefaults.BENCH_LR, LrSchedule.CONSTANT, 0,
                TrainingDefaults.WEIGHT_DECAY, TrainingDefaults.GRAD_CLIP);
        SplittableRandom rng = new SplittableRandom(0);
        int[] tokens = new int[batch * (shape.context() + 1)];
        double[] stepSeconds = new double[steps];
        double loss = Double.NaN;
        TrainingEngine.Model model = new TrainingEngine.Model(shape, true, batch, threads, Architecture.GPT2, precision);
        try (TrainingEngine engine = TrainingEngine.cpu(model, opt, StepOptions.of(opt))) {
            engine.init(0, 1.0);
            for (int s = -warmup; s < steps; s++) {
                if (s == 0) {
                    PhaseTimer.reset();
                }
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = rng.nextInt(shape.vocab());
                }
                long t0 = System.nanoTime();
                loss = engine.step(tokens, opt.learningRate()).loss();
                long t1 = System.nanoTime();
                if (s >= 0) {
                    stepSeconds[s] = (t1 - t0) / 1e9;
                }
            }
            double total = Arrays.stream(stepSeconds).sum();
            double[] sorted = stepSeconds.clone();
            Arrays.sort(sorted);
            double tokensPerSecond = (double) steps * batch * shape.context() / total;
            double flopsPerToken = shape.flopsPerToken(FlopConvention.SIX_N_ATTENTION);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("framework", "scalelab");
            out.put("classifier", NativeBackend.describe().classifier());
            out.put("d_model", shape.dModel());
            out.put("layers", shape.layers());
            out.put("heads", shape.heads());
            out.put("context", shape.context());
            out.put("vocab", shape.vocab());
            out.put("batch", batch);
            out.put("threads", threads);
            out.put("precision", precision.label());
            out.put("steps", steps);
            out.put("seconds", total);
            out.put("tokens_per_second", tokensPerSecond);
            out.put("step_seconds_median", sorted[steps / 2]);
            out.put("non_embedding_params", shape.nonEmbeddingParams());
            out.put("flops_per_token_6n_attention", flopsPerToken);
            out.put("gflops_per_second", flopsPerToken * tokensPerSecond / 1e9);
            out.put("final_loss", loss);
            out.put("max_rss_mb", maxRssMegabytes());
            if (PhaseTimer.ENABLED) {
                Map<String, Double> phases = new LinkedHashMap<>(PhaseTimer.seconds());
                phases.replaceAll((k, v) -> v / steps);
                out.put("phase_seconds_mean", phases);
            }
            return out;
        }
    }

    /** Peak resident memory from /proc/self/status (VmHWM), in MB; NaN elsewhere. */
    static double maxRssMegabytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
