package dev.scalelab.fitting.bench;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.io.Json;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.fit.Bootstrap;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times approach 3 on a table: the full 4,500-start grid fit and 1,000 bootstrap refits, cold (the
 * first in a fresh JVM, as {@code scalelab fit} runs) and warm (the best of the repeats after it).
 * Prints one JSON line; the peer is scripts/bench/fit_scipy.py.
 *
 * <p>Usage: FitBenchmark TABLE.csv [REPEATS] [THREADS]
 */
public final class FitBenchmark {
    private FitBenchmark() {
    }

    public static void main(String[] args) {
        ObservationTable table = ObservationCsv.standard().read(Path.of(args[0]));
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        List<Observation> rows = table.observations();
        double[] n = rows.stream().mapToDouble(Observation::params).toArray();
        double[] d = rows.stream().mapToDouble(Observation::tokens).toArray();
        double[] l = rows.stream().mapToDouble(Observation::loss).toArray();
        Approach3.Data data = Approach3.Data.of(n, d, l);
        Approach3.Options options = Approach3.Options.defaults().withThreads(threads);
        double[] gridSeconds = new double[repeats];
        double[] bootSeconds = new double[repeats];
        Approach3.Result result = null;
        Bootstrap.Samples samples = null;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            result = Approach3.fit(data, options);
            long t1 = System.nanoTime();
            samples = Approach3.bootstrap(data, options, result, 1000, 1);
            long t2 = System.nanoTime();
            gridSeconds[r] = (t1 - t0) / 1e9;
            bootSeconds[r] = (t2 - t1) / 1e9;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("framework", "scalelab");
        out.put("points", l.length);
        out.put("starts", result.starts());
        out.put("converged", result.converged());
        out.put("threads", threads);
        out.put("objective", result.objective());
        out.put("law", result.law().parameters());
        out.put("grid_seconds_cold", gridSeconds[0]);
        out.put("grid_seconds_warm", min(gridSeconds));
        out.put("bootstrap_refits", samples.size());
        out.put("bootstrap_failed", samples.failed());
        out.put("bootstrap_seconds_cold", bootSeconds[0]);
        out.put("bootstrap_seconds_warm", min(bootSeconds));
        System.out.println(Json.mapper().valueToTree(out).toString());
    }

    private static double min(double[] v) {
        double m = v[0];
        for (int i = 1; i < v.length; i++) {
            m = Math.min(m, v[i]);
        }
        return v.length > 1 ? m : v[0];
    }
}
