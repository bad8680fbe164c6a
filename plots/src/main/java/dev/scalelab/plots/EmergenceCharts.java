package dev.scalelab.plots;

import dev.scalelab.core.data.EvalRow;
import dev.scalelab.fitting.emergence.Emergence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The emergence analysis's charts: one per family and task (DIR/emergence-FAMILY-TASK.png), its
 * metrics against params, with exact match predicted from per-token accuracy as p^L where the
 * analysis made that prediction (Schaeffer et al. 2023).
 */
public final class EmergenceCharts {
    private EmergenceCharts() {
    }

    /** Writes one chart per (family, task) of {@code rows} into {@code dir}. */
    public static void write(Path dir, List<EvalRow> rows, List<Emergence.Result> results) {
        Map<List<String>, Map<Double, Map<String, Double>>> byTask = new LinkedHashMap<>();
        for (EvalRow r : rows) {
            byTask.computeIfAbsent(List.of(r.family(), r.task()), k -> new TreeMap<>())
                    .computeIfAbsent(r.params(), k -> new LinkedHashMap<>()).put(r.metric(), r.value());
        }
        for (Map.Entry<List<String>, Map<Double, Map<String, Double>>> e : byTask.entrySet()) {
            List<Charts.ProbePoint> points = new ArrayList<>();
            e.getValue().forEach((params, metrics) -> points.add(new Charts.ProbePoint(params, metrics)));
            Map<Double, Double> predicted = new LinkedHashMap<>();
            for (Emergence.Result r : results) {
                if (r.family().equals(e.getKey().get(0)) && r.task().equals(e.getKey().get(1)) && r.mirage() != null) {
                    r.mirage().exactFromTokens().forEach(p -> predicted.put(p.params(), p.predicted()));
                }
            }
            String name = ("emergence-" + e.getKey().get(0) + "-" + e.getKey().get(1)).replaceAll("[^A-Za-z0-9._-]+", "_");
            ChartFiles.write(Charts.emergence(e.getKey().get(0) + ": " + e.getKey().get(1), points, predicted, 900, 560),
                    dir.resolve(name + ".png"));
        }
    }
}
