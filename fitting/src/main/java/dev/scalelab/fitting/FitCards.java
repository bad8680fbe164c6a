package dev.scalelab.fitting;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.fitting.fit.Bootstrap;
import dev.scalelab.fitting.fit.FitStatus;
import dev.scalelab.fitting.law.Point;
import dev.scalelab.fitting.law.ScalingLaw;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** What the laws' entries share in making a card: the bootstrap, its intervals and the card's common fields. */
final class FitCards {
    private FitCards() {
    }

    /** Bootstrap resamples and their percentile intervals; empty when no resamples were asked for. */
    record Resampled(FitCard.BootstrapDetail detail, Map<String, double[]> intervals) {
        static final Resampled NONE = new Resampled(null, Map.of());
    }

    /**
     * Refits {@code units} resampled with replacement (rows, or runs for the envelope) {@code o.bootstrap()}
     * times; a refit that throws a fit failure counts as failed.
     */
    static Resampled resample(Fitter.Options o, int units, List<String> columns,
                              BiFunction<Integer, double[], double[]> refit) {
        if (o.bootstrap() <= 0) {
            return Resampled.NONE;
        }
        Bootstrap.Samples s = Bootstrap.run(units, o.bootstrap(), o.seed(), o.approach3().threads(), (k, counts) -> {
            try {
                return refit.apply(k, counts);
            } catch (NoUsableFitException | IllegalArgumentException e) {
                return null;
            }
        });
        // every refit failed: the card records that, with no samples and no intervals
        double[][] samples = s.failed() == o.bootstrap() ? new double[0][] : s.samples();
        return new Resampled(new FitCard.BootstrapDetail(o.bootstrap(), o.seed(), o.level(), s.failed(), columns,
                samples), intervals(columns, samples, o.level()));
    }

    static double[] values(Map<String, Double> named) {
        return named.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A card for a law refitted per resample of the rows by {@code refit}; the resample's parameters by name. */
    static FitCard withBootstrap(FitData data, Fitter.Options o, ScalingLaw law,
                                 BiFunction<Integer, double[], Map<String, Double>> refit,
                                 FitCard.Objective objective, FitCard.Starts starts, FitStatus status, String variable) {
        Map<String, Double> values = law.parameters();
        Resampled boot = resample(o, data.size(), new ArrayList<>(values.keySet()),
                (k, counts) -> values(refit.apply(k, counts)));
        // every parameter of these laws is fitted unless held fixed
        return card(data, o, law, values, boot.intervals(), objective, starts, status, variable, boot.detail(),
                values.size() - o.fixed().size());
    }

    /**
     * The fit's log residuals, log observed − log fitted response (the loss, or the law's own) per row, with the number of parameters it
     * fitted: what {@link Predictor}'s prediction interval resamples. None when a residual is not finite
     * or the fit has no degrees of freedom left (rows ≤ parameters).
     */
    static FitCard.Residuals residuals(FitData data, ScalingLaw law, int parameters, String response) {
        int n = data.size();
        if (n <= parameters) {
            return null;
        }
        double[] observed = data.column(response);
        List<Double> log = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double fitted = law.predict(data.point(i));
            double r = Math.log(observed[i]) - Math.log(fitted);
            if (!Double.isFinite(r)) {
                return null;
            }
            log.add(r);
        }
        return new FitCard.Residuals(log, parameters);
    }

    /**
     * The card of a law with a formula that predicts losses (no isoflop, envelope or backtest details), with
     * its residuals; {@code parameters} is how many it fitted.
     */
    static FitCard card(FitData data, Fitter.Options o, ScalingLaw law, Map<String, Double> values,
                        Map<String, double[]> intervals, FitCard.Objective objective, FitCard.Starts starts,
                        FitStatus status, String variable, FitCard.BootstrapDetail boot, int parameters) {
        ObservationTable table = data.table();
        // a one-variable law on another column hashes that column too; in params, tokens or flops, as before
        List<String> reads = o.law().oneVariable() ? o.law().reads(o.axis().column()) : o.law().spec().reads();
        return new FitCard(FitCard.CARD_VERSION, o.law().id(), variable, law.formula(), estimates(values, intervals),
                objective, starts, status, table.size(), table.excluded(), dataHash(table, reads), o.flops(),
                null, null, boot, residuals(data, law, parameters, o.law().response()), null, o.version(), o.command());
    }

    static Map<String, FitCard.Estimate> estimates(Map<String, Double> values, Map<String, double[]> intervals) {
        Map<String, FitCard.Estimate> out = new LinkedHashMap<>();
        values.forEach((name, v) -> {
            double[] ci = intervals.get(name);
            out.put(name, ci == null ? new FitCard.Estimate(v, null, null) : new FitCard.Estimate(v, ci[0], ci[1]));
        });
        return out;
    }

    /** Percentile intervals per column; none when every resample failed (the card then shows bootstrap.failed). */
    static Map<String, double[]> intervals(List<String> columns, double[][] all, double level) {
        Map<String, double[]> out = new LinkedHashMap<>();
        // a refit that could not estimate every column (an empty row) takes no part
        double[][] samples = java.util.Arrays.stream(all).filter(r -> r != null && r.length == columns.size())
                .toArray(double[][]::new);
        if (samples.length == 0) {
            return out;
        }
        for (int c = 0; c < columns.size(); c++) {
            double[] col = new double[samples.length];
            for (int k = 0; k < samples.length; k++) {
                col[k] = samples[k][c];
            }
            out.put(columns.get(c), Bootstrap.percentileInterval(col, level));
        }
        return out;
    }

    /** A start grid as written in the card, e.g. {0,0.5,1}. */
    static String describe(double[] grid) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < grid.length; i++) {
            s.append(i > 0 ? "," : "").append(grid[i] == Math.rint(grid[i]) ? Long.toString((long) grid[i])
                    : Double.toString(grid[i]));
        }
        return s.append('}').toString();
    }

    /** SHA-256 of the rows used, one "params,tokens,flops,loss" line each, in Java's round-trip number form. */
    static String dataHash(ObservationTable table) {
        return dataHash(table, null);
    }

    /**
     * As {@link #dataHash(ObservationTable)}, each line followed by the row's values of the other columns a
     * law {@code reads} (none for the laws of N and D, whose hashes stay as they were).
     */
    static String dataHash(ObservationTable table, List<String> reads) {
        List<String> others = reads == null ? List.of() : reads.stream()
                .filter(c -> !List.of("params", "tokens", "flops", "loss").contains(c)).toList();
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Observation r : table.observations()) {
                StringBuilder line = new StringBuilder(r.params() + "," + r.tokens() + "," + r.flops() + "," + r.loss());
                others.forEach(c -> line.append(',').append(r.value(c)));
                md.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
