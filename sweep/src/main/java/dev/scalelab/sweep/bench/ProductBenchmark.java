package dev.scalelab.sweep.bench;

import dev.scalelab.core.io.Json;
import dev.scalelab.sweep.platform.NativeBackend;
import dev.scalelab.sweep.platform.NativeThreads;
import dev.scalelab.sweep.tensor.Gemm;
import dev.scalelab.sweep.tensor.OneDnnMatmul;
import dev.scalelab.sweep.tensor.ProductInput;
import dev.scalelab.core.run.Precision;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The training step's matrix multiplies, each through ND4J ({@link Gemm}, what the trainer uses),
 * oneDNN's float32 matmul and oneDNN's bfloat16 matmul ({@link OneDnnMatmul}), interleaved round
 * by round on the same ND4J buffers. For every projection of a GPT block and the output head it
 * times the three products of a training step (forward x·W, weight gradient xᵀ·dy, input gradient
 * dy·Wᵀ) and sums them over the step, so the table says what the step's GEMMs would cost on each
 * engine. It also reports how far each engine's product is from ND4J's (largest absolute
 * difference over the largest |c|) and whether repeated products are bit for bit the same.
 *
 * <p>Usage: ProductBenchmark d_model layers rows vocab threads rounds; prints a table and a JSON line.
 */
public final class ProductBenchmark {
    private ProductBenchmark() {
    }

    private enum Engine { ND4J, ONEDNN_FP32, ONEDNN_BF16 }

    /** One product of the step: (m × k)·(k × n) in the trainer's layout, counted {@code perStep} times. */
    private record Product(String name, int rows, int in, int out, String kind, int perStep) {
    }

    private static final class Bound {
        final Product product;
        final Gemm nd4j;
        final OneDnnMatmul fp32;
        final OneDnnMatmul bf16;
        final ProductInput aBf16;
        final ProductInput bBf16;
        final INDArray c;
        final double[][] ms = new double[Engine.values().length][];
        final double[] maxRelError = new double[Engine.values().length];
        final boolean[] repeatable = {true, true, true};
        final float[][] firstOutputs = new float[Engine.values().length][];
        final double[] convertMs;

        Bound(Product p, int rounds, SplittableRandom rng) {
            this.product = p;
            INDArray x = random(p.rows, p.in, rng);
            INDArray w = random(p.in, p.out, rng);
            INDArray dy = random(p.rows, p.out, rng);
            INDArray a;
            INDArray b;
            boolean ta = false;
            boolean tb = false;
            switch (p.kind) {
                case "forward" -> { a = x; b = w; c = Nd4j.create(DataType.FLOAT, p.rows, p.out); }
                case "weight-grad" -> { a = x; ta = true; b = dy; c = Nd4j.create(DataType.FLOAT, p.in, p.out); }
                default -> { a = dy; b = w; tb = true; c = Nd4j.create(DataType.FLOAT, p.rows, p.in); }
            }
            nd4j = Gemm.of(a, ta, b, tb, c);
            fp32 = OneDnnMatmul.of(ProductInput.of(a, Precision.FP32), ta, ProductInput.of(b, Precision.FP32), tb, c);
            aBf16 = ProductInput.of(a, Precision.BF16);
            bBf16 = ProductInput.of(b, Precision.BF16);
            bf16 = OneDnnMatmul.of(aBf16, ta, bBf16, tb, c);
            for (int e = 0; e < ms.length; e++) {
                ms[e] = new double[rounds];
            }
            convertMs = new double[rounds];
        }
    }

    public static void main(String[] args) {
        int d = Integer.parseInt(args[0]);
        int layers = Integer.parseInt(args[1]);
        int rows = Integer.parseInt(args[2]);
        int vocab = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        NativeThreads.set(threads);
        List<Product> products = new ArrayList<>();
        int[][] projections = {{d, 3 * d}, {d, d}, {d, 4 * d}, {4 * d, d}};
        String[] names = {"qkv", "attn.proj", "mlp.fc", "mlp.proj"};
        for (int i = 0; i < projections.length; i++) {
            for (String kind : new String[] {"forward", "weight-grad", "input-grad"}) {
                products.add(new Product(names[i], rows, projections[i][0], projections[i][1], kind, layers));
            }
        }
        for (String kind : new String[] {"forward", "weight-grad", "input-grad"}) {
            products.add(new Product("head", rows, d, vocab, kind, 1));
        }
        SplittableRandom rng = new SplittableRandom(0);
        List<Bound> bound = new ArrayList<>();
        for (Product p : products) {
            bound.add(new Bound(p, rounds, rng));
        }
        int warmup = 3;
        for (int round = -warmup; round < rounds; round++) {
            for (Bound b : bound) {
                float[] reference = null;
                for (Engine e : Engine.values()) {
                    long t0 = System.nanoTime();
                    switch (e) {
                        case ND4J -> b.nd4j.run();
                        case ONEDNN_FP32 -> b.fp32.run();
                        default -> {
                            long c0 = System.nanoTime();
                            b.aBf16.refresh();
                            b.bBf16.refresh();
                            if (round >= 0) {
                                b.convertMs[round] = (System.nanoTime() - c0) / 1e6;
                            }
                            t0 = System.nanoTime();
                            b.bf16.run();
                        }
                    }
                    double ms = (System.nanoTime() - t0) / 1e6;
                    float[] out = b.c.data().asFloat();
                    if (e == Engine.ND4J) {
                        reference = out;
                    }
                    if (round >= 0) {
                        b.ms[e.ordinal()][round] = ms;
                        b.maxRelError[e.ordinal()] = Math.max(b.maxRelError[e.ordinal()], relError(out, reference));
                    }
                    if (round == -warmup) {
                        b.firstOutputs[e.ordinal()] = out;
                    } else if (!Arrays.equals(out, b.firstOutputs[e.ordinal()])) {
                        b.repeatable[e.ordinal()] = false;
                    }
                }
            }
        }
        report(d, layers, rows, vocab, threads, rounds, bound);
    }
    private static INDArray random(int rows, int cols, SplittableRandom rng) {
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return Nd4j.create(v, new long[] {rows, cols}, 'c');
    }

    /** Largest |out - reference| over the largest |reference|. */
    private static double relError(float[] out, float[] reference) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < out.length; i++) {
            diff = Math.max(diff, Math.abs((double) out[i] - reference[i]));
            scale = Math.max(scale, Math.abs(reference[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void report(int d, int layers, int rows, int vocab, int threads, int rounds, List<Bound> bound) {
        System.out.printf("CPU %s, oneDNN ISA %s, d=%d, %d layers, %d rows, vocabulary %d, %d threads, medians of %d%n",
                NativeBackend.describe().classifier(), OneDnnMatmul.isa(), d, layers, rows, vocab, threads, rounds);
        System.out.println("| product | (m×k)·(k×n) | ND4J ms | oneDNN fp32 ms | oneDNN bf16 ms (+ conversion) |"
                + " GFLOP/s ND4J / fp32 / bf16 | max rel. diff fp32 / bf16 | repeatable ND4J / fp32 / bf16 |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        double[] stepMs = new double[Engine.values().length];
        double stepConvertMs = 0;
        List<Map<String, Object>> json = new ArrayList<>();
        for (Bound b : bound) {
            Product p = b.product;
            double[] med = new double[stepMs.length];
            for (int e = 0; e < med.length; e++) {
                med[e] = median(b.ms[e]);
                stepMs[e] += med[e] * p.perStep;
            }
            double conv = median(b.convertMs);
            stepConvertMs += conv * p.perStep;
            double gflop = b.nd4j.flops() / 1e9;
            long m = p.kind.equals("weight-grad") ? p.in : p.rows;
            long k = p.kind.equals("weight-grad") ? p.rows : p.kind.equals("forward") ? p.in : p.out;
            long n = p.kind.equals("input-grad") ? p.in : p.out;
            System.out.printf("| %s %s | %d×%d·%d×%d | %.3f | %.3f | %.3f (+%.3f) | %.0f / %.0f / %.0f | %.1e / %.1e | %s / %s / %s |%n",
                    p.name, p.kind, m, k, k, n, med[0], med[1], med[2], conv,
                    gflop / med[0] * 1e3, gflop / med[1] * 1e3, gflop / med[2] * 1e3,
                    b.maxRelError[1], b.maxRelError[2], b.repeatable[0], b.repeatable[1], b.repeatable[2]);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("product", p.name + " " + p.kind);
            row.put("m", m);
            row.put("k", k);
            row.put("n", n);
            row.put("per_step", p.perStep);
            row.put("nd4j_ms", med[0]);
            row.put("onednn_fp32_ms", med[1]);
            row.put("onednn_bf16_ms", med[2]);
            row.put("bf16_conversion_ms", conv);
            row.put("max_rel_diff_fp32", b.maxRelError[1]);
            row.put("max_rel_diff_bf16", b.maxRelError[2]);
            row.put("repeatable", List.of(b.repeatable[0], b.repeatable[1], b.repeatable[2]));
            json.add(row);
        }
        System.out.printf("step's GEMMs (sum of medians × count): ND4J %.1f ms, oneDNN fp32 %.1f ms, oneDNN bf16 %.1f ms"
                + " + %.1f ms converting both inputs of every product%n", stepMs[0], stepMs[1], stepMs[2], stepConvertMs);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("classifier", NativeBackend.describe().classifier());
        out.put("onednn_isa", OneDnnMatmul.isa());
        out.put("d_model", d);
        out.put("layers", layers);
        out.put("rows", rows);
        out.put("vocab", vocab);
        out.put("threads", threads);
        out.put("rounds", rounds);
        out.put("step_ms", Map.of("nd4j", stepMs[0], "onednn_fp32", stepMs[1], "onednn_bf16", stepMs[2],
                "bf16_conversion", stepConvertMs));
        out.put("products", json);
        System.out.print(Json.mapper().createObjectNode().pojoNode(out).toString() + "\n");
    }
}
