package dev.scalelab.study;

import dev.scalelab.core.data.EvalRow;
import dev.scalelab.core.io.AtomicFiles;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.fitting.emergence.Emergence;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The emergence analysis of a sweep's probes for its report ({@code scalelab emergence}'s, written beside the page). */
final class EmergenceNotes {
    private EmergenceNotes() {
    }

    /**
     * Writes {@code out}/emergence.json and returns, per skill, a sentence for its chart: each family's
     * exact-match verdict and mirage check. No probes: nothing written, no notes.
     */
    static Map<String, String> write(List<EvalRow> rows, Path out) {
        Map<String, String> notes = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return notes;
        }
        List<Emergence.Result> results = Emergence.analyse(Emergence.series(rows, Map.of()),
                new Emergence.Options(0, 0, 0.95));
        AtomicFiles.writeString(out.resolve(SweepLayout.EMERGENCE_JSON), Json.toText(results));
        Map<String, List<String>> parts = new LinkedHashMap<>();
        for (Emergence.Result r : results) {
            if (r.error() == null && r.metric().equals("exact_match")) {
                String part = r.family() + ": exact match " + r.verdict()
                        + (r.breakthroughness() == null ? "" : " (B = " + (r.breakthroughness() instanceof Double d
                        ? String.format(Locale.ROOT, "%.3g", d) : r.breakthroughness()) + ")")
                        + (r.mirage() == null ? "" : "; " + r.mirage().verdict());
                parts.computeIfAbsent(r.task(), k -> new ArrayList<>()).add(part);
            }
        }
        parts.forEach((skill, p) -> notes.put(skill, "Emergence analysis (emergence.json): " + String.join(". ", p) + "."));
        return notes;
    }
}
