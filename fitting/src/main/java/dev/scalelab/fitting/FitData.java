package dev.scalelab.fitting;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.fitting.law.Variable;

/**
 * The rows a law is fitted to, as columns.
 *
 * @param budget       each row's budget, or its FLOPs where it has none
 * @param uniqueTokens each row's unique tokens, NaN where the table has none
 */
record FitData(ObservationTable table, double[] params, double[] tokens, double[] flops, double[] loss,
               double[] budget, double[] uniqueTokens) {
    static FitData of(ObservationTable table) {
        int n = table.observations().size();
        double[] params = new double[n];
        double[] tokens = new double[n];
        double[] flops = new double[n];
        double[] loss = new double[n];
        double[] budget = new double[n];
        double[] unique = new double[n];
        for (int i = 0; i < n; i++) {
            Observation r = table.observations().get(i);
            params[i] = r.params();
            tokens[i] = r.tokens();
            flops[i] = r.flops();
            loss[i] = r.loss();
            budget[i] = r.budget() != null ? r.budget() : r.flops();
            unique[i] = r.uniqueTokens() != null ? r.uniqueTokens() : Double.NaN;
        }
        return new FitData(table, params, tokens, flops, loss, budget, unique);
    }

    /** The column of a one-variable law's x. */
    double[] of(Variable x) {
        return switch (x) {
            case PARAMS -> params;
            case TOKENS -> tokens;
            case FLOPS -> flops;
        };
    }

    /** A column by name (params, tokens, flops, loss or another numeric column of the table); NaN where a row has none. */
    double[] column(String name) {
        return table.observations().stream().mapToDouble(r -> r.value(name)).toArray();
    }

    /** Where the law is evaluated at row i: its N, D, C, unique tokens and other columns. */
    dev.scalelab.fitting.law.Point point(int i) {
        Observation r = table.observations().get(i);
        java.util.Map<String, Double> values = new java.util.HashMap<>(r.values());
        if (!Double.isNaN(r.loss())) {
            values.put("loss", r.loss());
        }
        return new dev.scalelab.fitting.law.Point(params[i], tokens[i], flops[i], uniqueTokens[i], values);
    }

    /**
     * A one-variable law's x, every value positive (the laws take its log); a value that is not is an
     * error naming the column and how many rows hold one.
     */
    double[] positive(String name) {
        double[] x = column(name);
        long bad = java.util.Arrays.stream(x).filter(v -> !(v > 0) || Double.isInfinite(v)).count();
        if (bad > 0) {
            throw new dev.scalelab.core.InvalidInputException(table.source(), 0, name, bad + " of " + x.length
                    + " rows have no positive value here, and a law of one variable takes its log",
                    "filter those rows out with --where '" + name + ">0', or choose another --x");
        }
        return x;
    }

    int size() {
        return loss.length;
    }
}
