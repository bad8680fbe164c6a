package dev.scalelab.fitting.law;

/**
 * The x of a one-variable law: one of params, tokens and flops ({@link Variable}), or any other numeric
 * column of a table ({@code fit --x seen_examples}), named as the table's header names it.
 *
 * @param column the column read, e.g. {@code tokens} or {@code seen_examples}
 * @param symbol how formulas write it: N, D, C, or the column's name
 */
public record Axis(String column, String symbol) {
    public static Axis of(Variable x) {
        return new Axis(x.id(), x.symbol());
    }

    /** Any column, written by its name. */
    public static Axis column(String name) {
        Variable v = Variable.of(name);
        return v != null ? of(v) : new Axis(name, name);
    }

    /** The variable this axis is, or null for another column. */
    public Variable variable() {
        return Variable.of(column);
    }

    public double of(Point p) {
        return p.value(column);
    }
}
