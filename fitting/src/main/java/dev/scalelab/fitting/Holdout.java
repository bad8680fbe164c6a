package dev.scalelab.fitting;

import dev.scalelab.core.data.Observation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Which rows a backtest holds out: the rows of the K largest budgets, those at or above a budget or a
 * size, or each budget in turn. A row's budget is its {@code budget} column, or its FLOPs where the
 * table has none.
 */
public sealed interface Holdout {
    /** The rows of the {@code count} largest budgets ({@code largest-budget}, {@code largest-budget=K}). */
    record LargestBudgets(int count) implements Holdout {
    }

    /** Rows whose budget is at least {@code flops} ({@code budget>=C}). */
    record BudgetAtLeast(double flops) implements Holdout {
    }

    /** Rows whose params are at least {@code params} ({@code params>=N}). */
    record ParamsAtLeast(double params) implements Holdout {
    }

    /** Each budget in turn, fitted on all the others; the folds' held-out rows pool into one summary. */
    record LeaveOneBudgetOut() implements Holdout {
    }

    /**
     * The rows a filter on any column keeps ({@code split=test}, {@code source=epoch}): a table's own split.
     * Its columns need not be a law's, so it is resolved against the file into {@link Rows} before a backtest.
     */
    record Where(dev.scalelab.core.data.RowFilter filter) implements Holdout {
    }

    /** Given rows of a table (a resolved {@link Where}), under the holdout's description. */
    record Rows(String description, List<Integer> heldOut) implements Holdout {
    }

    /** One fit: its name, and the indices of the rows it holds out. */
    record Fold(String name, List<Integer> heldOut) {
    }

    String FORMS = "largest-budget, largest-budget=K, budget>=C, params>=N, leave-one-budget-out, or a filter on any "
            + "column such as split=test";

    /** Parses a {@code --holdout} value; an {@link IllegalArgumentException} names the forms otherwise. */
    static Holdout parse(String text) {
        String t = text.trim();
        try {
            if (t.equals("largest-budget")) {
                return new LargestBudgets(1);
            }
            if (t.startsWith("largest-budget=")) {
                return new LargestBudgets(Integer.parseInt(t.substring("largest-budget=".length()).trim()));
            }
            if (t.startsWith("budget>=")) {
                return new BudgetAtLeast(positive(Double.parseDouble(t.substring("budget>=".length()).trim()), t));
            }
            if (t.startsWith("params>=")) {
                return new ParamsAtLeast(positive(Double.parseDouble(t.substring("params>=".length()).trim()), t));
            }
            if (t.equals("leave-one-budget-out")) {
                return new LeaveOneBudgetOut();
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no number where one belongs; use " + FORMS);
        }
        if (dev.scalelab.core.data.RowFilter.looksLikeFilter(t)) {
            try {
                return new Where(dev.scalelab.core.data.RowFilter.parse(t));
            } catch (dev.scalelab.core.InvalidInputException e) {
                throw new IllegalArgumentException("cannot read the holdout filter '" + text + "'; use " + FORMS);
            }
        }
        throw new IllegalArgumentException("unknown holdout '" + text + "'; use " + FORMS);
    }

    private static double positive(double v, String text) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("'" + text + "' needs a positive finite number");
        }
        return v;
    }

    /** The holdout as {@code --holdout} writes it, e.g. {@code largest-budget=2}. */
    default String describe() {
        if (this instanceof LargestBudgets l) {
            return l.count() == 1 ? "largest-budget" : "largest-budget=" + l.count();
        }
        if (this instanceof BudgetAtLeast b) {
            return "budget>=" + number(b.flops());
        }
        if (this instanceof ParamsAtLeast p) {
            return "params>=" + number(p.params());
        }
        if (this instanceof Where w) {
            return w.filter().text();
        }
        if (this instanceof Rows r) {
            return r.description();
        }
        return "leave-one-budget-out";
    }

    /** 4 significant digits without trailing zeros: 1e+30, 1.28e+19, 2.5e+08. */
    static String number(double v) {
        String s = String.format(Locale.ROOT, "%.4g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }

    /** The budget of a row: its budget column, or its FLOPs. */
    static double budgetOf(Observation r) {
        return r.budget() != null ? r.budget() : r.flops();
    }

    /** The folds over {@code rows}: one, or one per budget; a fold may hold out nothing (the caller refuses it). */
    default List<Fold> folds(List<Observation> rows) {
        TreeSet<Double> budgets = new TreeSet<>();
        rows.forEach(r -> budgets.add(budgetOf(r)));
        if (this instanceof LargestBudgets l) {
            if (l.count() <= 0 || l.count() >= budgets.size()) {
                throw new IllegalArgumentException("cannot hold out the " + l.count() + " largest of "
                        + budgets.size() + " budgets; hold out at least 1 and keep at least 1");
            }
            double from = budgets.descendingSet().stream().skip(l.count() - 1).findFirst().orElseThrow();
            return List.of(new Fold(describe(), select(rows, r -> budgetOf(r) >= from)));
        }
        if (this instanceof BudgetAtLeast b) {
            return List.of(new Fold(describe(), select(rows, r -> budgetOf(r) >= b.flops())));
        }
        if (this instanceof ParamsAtLeast p) {
            return List.of(new Fold(describe(), select(rows, r -> r.params() >= p.params())));
        }
        if (this instanceof Rows r) {
            return List.of(new Fold(describe(), r.heldOut()));
        }
        if (this instanceof Where w) {
            throw new IllegalArgumentException("the filter holdout '" + w.filter().text() + "' is resolved against its "
                    + "table's columns first");
        }
        List<Fold> folds = new ArrayList<>();
        for (double b : budgets) {
            folds.add(new Fold("budget=" + number(b), select(rows, r -> budgetOf(r) == b)));
        }
        return folds;
    }

    private static List<Integer> select(List<Observation> rows, java.util.function.Predicate<Observation> held) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (held.test(rows.get(i))) {
                out.add(i);
            }
        }
        return out;
    }
}
