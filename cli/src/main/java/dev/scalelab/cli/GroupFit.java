package dev.scalelab.cli;

import dev.scalelab.fitting.FitCard;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code fit --group-by}: each group's card, or why it was skipped, and the groups' parameters side by side. */
final class GroupFit {
    /**
     * @param group   the group's value per grouping column
     * @param card    its card; null when skipped
     * @param file    where the card was written, or null
     * @param skipped why the group could not be fitted; null when it was
     */
    record Fitted(Map<String, String> group, FitCard card, String file, String skipped) {
    }

    private GroupFit() {
    }

    static void print(PrintWriter w, List<Fitted> fitted) {
        Set<String> names = new LinkedHashSet<>();
        fitted.stream().filter(f -> f.card() != null).forEach(f -> names.addAll(f.card().parameters().keySet()));
        List<String> header = new ArrayList<>(fitted.get(0).group().keySet());
        header.add("points");
        header.add("status");
        header.addAll(names);
        w.println(String.join("\t", header));
        for (Fitted f : fitted) {
            List<String> row = new ArrayList<>(f.group().values());
            if (f.card() == null) {
                row.add("-");
                row.add("skipped: " + f.skipped());
            } else {
                row.add(Integer.toString(f.card().points()));
                row.add(f.card().status().name());
                for (String name : names) {
                    FitCard.Estimate e = f.card().parameters().get(name);
                    row.add(e == null ? "" : String.format(Locale.ROOT, "%.6g", e.value()));
                }
            }
            w.println(String.join("\t", row));
        }
        fitted.stream().filter(f -> f.file() != null).findFirst()
                .ifPresent(f -> w.printf(Locale.ROOT, "cards      %s and the other groups' beside it%n", f.file()));
    }
}
