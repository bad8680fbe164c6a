package dev.scalelab.fitting;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The hyperparameter laws of the Step Law (Li et al. 2025, "Predictable Scale: Part I — Optimal
 * Hyperparameter Scaling Law in Large Language Model Pretraining"; cf. DeepSeek-AI 2024, "DeepSeek LLM",
 * §3.1), fitted by their procedure on a table of runs over learning rates and batch sizes per (N, D)
 * cell (columns params, tokens, lr, batch, loss): in each cell keep every run whose final loss is within
 * a tolerance (0.25%) of the cell's best, not only the argmin, then fit by least squares in logs
 * {@code lr}: log lr = log a + α·log N + β·log D, or {@code batch}: log B = log b + γ·log D.
 * A cell with one run says nothing about which value is best there and is left out, named in the
 * card. The bootstrap resamples the kept rows, so the intervals are confidence intervals of the
 * fitted law; there is no prediction interval.
 */
final class HparamSpec extends ColumnLawSpec {
    private final String column;

    /** @param column {@code lr} or {@code batch} */
    HparamSpec(String column) {
        this.column = column;
    }

    @Override
    public String summary() {
        return column.equals("lr")
                ? "(lr = a·N^alpha·D^beta, the Step Law of Li et al. 2025 over each (N, D) cell's runs within "
                        + "--hparam-tolerance of its best loss; columns params, tokens, lr, batch, loss)"
                : "(B = b·D^gamma, the Step Law's batch size over each (N, D) cell's runs within --hparam-tolerance "
                        + "of its best loss; columns params, tokens, lr, batch, loss)";
    }

    @Override
    public List<String> predictors() {
        return column.equals("lr") ? List.of("a", "alpha", "beta") : List.of("b", "gamma");
    }

    @Override
    public List<String> inputs() {
        return column.equals("lr") ? List.of("params", "tokens") : List.of("tokens");
    }

    @Override
    public String response() {
        return column;
    }

    /** The cells are (params, tokens), and the runs are ranked by loss. */
    @Override
    public List<String> reads() {
        return List.of("params", "tokens", column, "loss");
    }

    @Override
    public boolean predictionInterval() {
        return false;
    }

    @Override
    double value(double[] t, double[] x) {
        return column.equals("lr") ? t[0] * Math.pow(x[0], t[1]) * Math.pow(x[1], t[2]) : t[0] * Math.pow(x[0], t[1]);
    }

    @Override
    String formula(double[] t) {
        return column.equals("lr") ? "lr = " + g(t[0]) + "·N^" + g(t[1]) + "·D^" + g(t[2])
                : "B = " + g(t[0]) + "·D^" + g(t[1]);
    }

    @Override
    boolean logSpace() {
        return true;
    }

    @Override
    void check(String source, double[][] x, double[] y) {
        for (double v : y) {
            require(v > 0, source, column, column + " " + v + " is not positive", "give the run's " + column);
        }
    }

    /** From the geometric mean with no dependence on N or D: the problem is linear in logs. */
    @Override
    double[][] starts(double[][] x, double[] y) {
        double mean = Arrays.stream(y).map(Math::log).average().orElse(0);
        return new double[][] {column.equals("lr") ? new double[] {Math.exp(mean), 0, 0}
                : new double[] {Math.exp(mean), 0}};
    }

    @Override
    String startsDescription() {
        return "least squares in logs";
    }

    @Override
    Selection select(ObservationTable table, Fitter.Options o) {
        Cells c = cells(table.observations(), o.hparamTolerance());
        if (c.kept().isEmpty()) {
            throw new NoUsableFitException("no (params, tokens) cell has two or more runs, so no cell says which "
                    + column + " is best; give each cell a grid of " + column + " values");
        }
        List<ObservationTable.Excluded> excluded = new ArrayList<>(table.excluded());
        c.single().forEach(r -> excluded.add(new ObservationTable.Excluded(0, String.format(Locale.ROOT,
                "cell params=%.4g tokens=%.4g has one run, so it cannot say which %s is best: left out", r.params(),
                r.tokens(), column))));
        StringBuilder note = new StringBuilder(String.format(Locale.ROOT, "kept %d of %d runs within %.3g%% of "
                + "their cell's best loss (", c.kept().size(), table.size(), 100 * o.hparamTolerance()));
        int i = 0;
        for (Map.Entry<List<Double>, int[]> e : c.counts().entrySet()) {
            note.append(i++ > 0 ? ", " : "").append(String.format(Locale.ROOT, "N=%.3g D=%.3g: %d/%d",
                    e.getKey().get(0), e.getKey().get(1), e.getValue()[0], e.getValue()[1]));
        }
        note.append(')');
        return new Selection(new ObservationTable(table.source(), c.kept(), table.derivation(), excluded,
                table.columns()), note.toString());
    }

    @Override
    public List<Observation> scored(List<Observation> heldOut, Fitter.Options o) {
        return cells(heldOut, o.hparamTolerance()).kept();
    }

    /**
     * @param kept   runs within the tolerance of their cell's best loss, in table order
     * @param single one run of each cell that has only one
     * @param counts per cell (params, tokens): {kept, runs}
     */
    record Cells(List<Observation> kept, List<Observation> single, Map<List<Double>, int[]> counts) {
    }

    static Cells cells(List<Observation> rows, double tolerance) {
        Map<List<Double>, List<Observation>> byCell = new LinkedHashMap<>();
        for (Observation r : rows) {
            byCell.computeIfAbsent(List.of(r.params(), r.tokens()), k -> new ArrayList<>()).add(r);
        }
        List<Observation> kept = new ArrayList<>();
        List<Observation> single = new ArrayList<>();
        Map<List<Double>, int[]> counts = new LinkedHashMap<>();
        for (Map.Entry<List<Double>, List<Observation>> e : byCell.entrySet()) {
            List<Observation> runs = e.getValue();
            if (runs.size() < 2) {
                single.add(runs.get(0));
                continue;
            }
            double best = runs.stream().mapToDouble(Observation::loss).min().orElseThrow();
            int k = 0;
            for (Observation r : runs) {
                if (r.loss() <= best * (1 + tolerance)) {
                    kept.add(r);
                    k++;
                }
            }
            counts.put(e.getKey(), new int[] {k, runs.size()});
        }
        List<Observation> ordered = rows.stream().filter(kept::contains).toList();
        return new Cells(ordered, single, counts);
    }
}
