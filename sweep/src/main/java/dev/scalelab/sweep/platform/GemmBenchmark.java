package dev.scalelab.sweep.platform;

import dev.scalelab.sweep.tensor.Gemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Measures single-precision matrix-multiply throughput through the same {@link Gemm} path the
 * trainer uses. Each shape is warmed up, then timed in repeated batches; the median batch rate is
 * reported, which is steadier than the best on a shared machine.
 */
public final class GemmBenchmark {
    /** One GEMM shape: (m×k)·(k×n). */
    public record Shape(int m, int k, int n) {
        public String label() {
            return m + "x" + k + "x" + n;
        }
    }

    /** The measured rate of one shape. */
    public record Rate(String shape, double gflopsPerSecond, int repetitions) {
    }

    /** The default shapes: square ones, and two that a small transformer's step is made of. */
    public static final List<Shape> DEFAULT_SHAPES = List.of(
            new Shape(256, 256, 256), new Shape(512, 512, 512), new Shape(1024, 1024, 1024),
            new Shape(4096, 256, 768), new Shape(4096, 256, 1024));

    private GemmBenchmark() {
    }

    /**
     * Runs every shape for about {@code secondsPerShape} seconds of timed work (after a short
     * warm-up) and returns the rates in order.
     */
    public static List<Rate> run(List<Shape> shapes, double secondsPerShape) {
        List<Rate> rates = new ArrayList<>();
        for (Shape shape : shapes) {
            rates.add(measure(shape, secondsPerShape));
        }
        return rates;
    }

    private static Rate measure(Shape shape, double seconds) {
        Nd4j.getRandom().setSeed(42);
        INDArray a = Nd4j.rand(DataType.FLOAT, shape.m, shape.k).subi(0.5);
        INDArray b = Nd4j.rand(DataType.FLOAT, shape.k, shape.n).subi(0.5);
        INDArray c = Nd4j.create(DataType.FLOAT, new long[] {shape.m, shape.n}, 'c');
        Gemm gemm = Gemm.of(a, false, b, false, c);
        // Warm up, and size a batch to about 1/8 of the budget.
        long start = System.nanoTime();
        int warm = 0;
        while (warm < 3 || System.nanoTime() - start < seconds * 0.2e9) {
            gemm.run();
            warm++;
        }
        double perRun = (System.nanoTime() - start) / 1e9 / warm;
        int batch = Math.max(1, (int) (seconds / 8 / perRun));
        double[] batchRates = new double[8];
        for (int i = 0; i < batchRates.length; i++) {
            long t0 = System.nanoTime();
            for (int r = 0; r < batch; r++) {
                gemm.run();
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            batchRates[i] = gemm.flops() * (double) batch / elapsed / 1e9;
        }
        Arrays.sort(batchRates);
        double median = (batchRates[3] + batchRates[4]) / 2;
        return new Rate(shape.label(), median, batch * batchRates.length);
    }
}
