package dev.scalelab.cli;

import dev.scalelab.fitting.emergence.Emergence;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints the emergence analysis as {@code emergence}'s text output. */
final class EmergencePrinter {
    private EmergencePrinter() {
    }

    static void print(PrintWriter w, List<Emergence.Result> results) {
        w.printf(Locale.ROOT, "%-22s %-14s %-16s %6s %9s %8s %8s %-9s %-22s %s%n", "family", "task", "metric", "points",
                "I", "L", "B", "better", "threshold (params)", "verdict");
        for (Emergence.Result r : results) {
            if (r.error() != null) {
                w.printf(Locale.ROOT, "%-22s %-14s %-16s %6d  error: %s%n", r.family(), r.task(), r.metric(),
                        r.points().size(), r.error());
                continue;
            }
            boolean emergent = Emergence.EMERGENT.equals(r.verdict());
            String threshold = !emergent ? "-" : String.format(Locale.ROOT, "%.3g", r.sigmoid().midpointParams());
            if (emergent && r.sigmoid().midpointInterval() != null) {
                threshold += String.format(Locale.ROOT, " [%.2g, %.2g]", r.sigmoid().midpointInterval().lo(),
                        r.sigmoid().midpointInterval().hi());
            }
            w.printf(Locale.ROOT, "%-22s %-14s %-16s %6d %9.4g %8s %8s %-9s %-22s %s%n", r.family(), r.task(), r.metric(),
                    r.points().size(), r.totalImprovement(), cell(r.linearity()), cell(r.breakthroughness()),
                    r.bestModel() == null ? "-" : r.bestModel(), threshold, r.verdict());
        }
        for (Emergence.Result r : results) {
            if (r.mirage() != null) {
                w.printf(Locale.ROOT, "%n%s / %s, %s against %s: %s%n", r.family(), r.task(), r.metric(),
                        r.mirage().continuous(), r.mirage().verdict());
                if (r.mirage().meanAbsoluteError() != null) {
                    w.printf(Locale.ROOT, "  exact match from per-token accuracy as p^%d: mean absolute error %.4f%n",
                            r.mirage().answerTokens(), r.mirage().meanAbsoluteError());
                    for (Emergence.PowerOfL p : r.mirage().exactFromTokens()) {
                        w.printf(Locale.ROOT, "    params %-10.3g p %.4f  p^L %.4f  observed %.4f%n", p.params(),
                                p.tokenAccuracy(), p.predicted(), p.observed());
                    }
                }
            }
        }
        for (Emergence.Result r : results) {
            if (r.reason() != null && r.error() == null) {
                w.printf(Locale.ROOT, "%n%s / %s / %s: %s", r.family(), r.task(), r.metric(), r.reason());
            }
        }
        w.println();
    }

    private static String cell(Object v) {
        return v == null ? "undef" : v instanceof Double d ? String.format(Locale.ROOT, "%.3g", d) : v.toString();
    }
}
