package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.ObservationCsv;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.data.RowFilter;
import dev.scalelab.core.data.TableGroups;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.plots.LawCharts;
import org.knowm.xchart.XYChart;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code plot law}: a law of one input over its table, or each group's law over its rows, drawn together. */
final class LawPlot {
    private LawPlot() {
    }

    static XYChart draw(Path input, Path fit, List<String> groupBy, int width, int height) {
        Path table = dev.scalelab.study.FitInput.table(input); // a sweep folder's runs.csv, as fit reads it
        if (fit == null) {
            throw new InvalidInputException("command line", 0, "--fit", "plot law draws a fitted law",
                    "add --fit CARD (or --fit DIR with --group-by)");
        }
        if (groupBy.isEmpty()) {
            FitCard card = PredictCommand.readCard(fit);
            Axes a = axes(card, fit);
            return chart(title(card), a, List.of(group(table, List.of(), a, card, table.getFileName().toString())),
                    width, height);
        }
        if (!Files.isDirectory(fit)) {
            throw new InvalidInputException(fit, 0, "--fit", "with --group-by, --fit names the folder of the groups' "
                    + "cards", "give the DIR of 'scalelab fit TABLE --group-by COLUMN --out DIR'");
        }
        List<TableGroups.Group> all = TableGroups.of(table, groupBy, List.of());
        List<FitCard> cards = new ArrayList<>();
        Axes axes = null;
        String title = null;
        for (TableGroups.Group g : all) {
            Path file = fit.resolve(g.fileName() + ".json");
            FitCard card = Files.isRegularFile(file) ? PredictCommand.readCard(file) : null;
            cards.add(card);
            if (card != null) {
                Axes a = axes(card, file);
                if (axes != null && !axes.equals(a)) {
                    throw new InvalidInputException(file, 0, "law", "this group's card is a law of " + a.input()
                            + " and another's of " + axes.input(), "fit every group with the same --law and --x");
                }
                axes = a;
                title = title(card);
            }
        }
        if (axes == null) {
            throw new InvalidInputException(fit, 0, "--fit", "holds no card of any group of " + String.join(",", groupBy),
                    "fit them with 'scalelab fit TABLE --group-by " + String.join(",", groupBy) + " --out " + fit + "'");
        }
        // a group without a card (too few rows to fit) is drawn as points alone
        List<LawCharts.Group> drawn = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            drawn.add(group(table, all.get(i).filters(), axes, cards.get(i),
                    String.join(", ", all.get(i).values().values())));
        }
        return chart(title + " by " + String.join(",", groupBy), axes, drawn, width, height);
    }

    /** The chart, on log axes for counts unless a value there is not positive. */
    private static XYChart chart(String title, Axes a, List<LawCharts.Group> groups, int width, int height) {
        boolean logX = a.logX() && groups.stream().allMatch(g -> java.util.Arrays.stream(g.x()).allMatch(v -> v > 0));
        boolean logY = a.logY() && groups.stream().allMatch(g -> java.util.Arrays.stream(g.y()).allMatch(v -> v > 0));
        return LawCharts.response(title, a.input(), a.response(), groups, logX, logY, width, height);
    }

    /** The x and y of a card's law, and how they are drawn. */
    private record Axes(String input, String response, boolean logX, boolean logY) {
    }

    private static Axes axes(FitCard card, Path file) {
        Fitter.Law law = Fitter.Law.of(card.law());
        List<String> reads = law.reads(card.variable());
        if (reads == null || reads.size() != 2) {
            throw new InvalidInputException(file, 0, "law", "a " + card.law() + " card is a law of more than one input",
                    "plot law draws one-variable laws and laws of one other column (error-from-loss, task, loss-to-loss)");
        }
        String input = reads.get(0);
        boolean count = !input.startsWith("loss");
        return new Axes(input, reads.get(1), count, count);
    }

    private static String title(FitCard card) {
        return card.law() + " law" + (card.variable() == null ? "" : " in " + card.variable());
    }

    private static LawCharts.Group group(Path table, List<RowFilter> filters, Axes a, FitCard card, String label) {
        // N as the card counts it (a study's cards count every parameter)
        ObservationCsv reader = ObservationCsv.standard().withNeeds(List.of(a.input(), a.response())).withFilters(filters);
        if (card != null) {
            reader = reader.withParams(card.flops().params());
        }
        ObservationTable t = reader.read(table);
        double[] x = t.observations().stream().mapToDouble(o -> o.value(a.input())).toArray();
        double[] y = t.observations().stream().mapToDouble(o -> o.value(a.response())).toArray();
        return new LawCharts.Group(label, x, y, card);
    }
}
