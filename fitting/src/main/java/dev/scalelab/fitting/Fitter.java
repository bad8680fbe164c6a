package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.fit.Bootstrap;
import dev.scalelab.fitting.fit.Broken;
import dev.scalelab.fitting.fit.Kaplan;
import dev.scalelab.fitting.fit.Envelope;
import dev.scalelab.fitting.fit.FitStatus;
import dev.scalelab.fitting.fit.IsoFlop;
import dev.scalelab.fitting.fit.OneVariable;
import dev.scalelab.fitting.law.ChinchillaLaw;
import dev.scalelab.fitting.law.ScalingLaw;
import dev.scalelab.fitting.law.Variable;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Fits a law to an observation table and makes its fit card: the library behind {@code scalelab fit}. */
public final class Fitter {
    /** The laws {@code scalelab fit --law} offers. */
    /** Each law, with the parameters its card must hold for predictions (FitCard.validated). */
    public enum Law {
        POWER(true, "A", "alpha"),
        SATURATING(true, "E", "A", "alpha"),
        BROKEN(true, "a", "b", "c0", "c1", "d1", "f1"),
        CHINCHILLA(false, "E", "A", "B", "alpha", "beta", "a", "b"),
        KAPLAN(false, "N_c", "D_c", "alpha_N", "alpha_D"),
        ISOFLOP(false, "a", "b", "k_N", "k_D"),
        ENVELOPE(false, "a", "b", "k_N", "k_D");

        private final boolean oneVariable;
        private final List<String> predictors;

        Law(boolean oneVariable, String... predictors) {
            this.oneVariable = oneVariable;
            this.predictors = List.of(predictors);
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A function of one variable (params, tokens or flops), named in the card's {@code variable}. */
        public boolean oneVariable() {
            return oneVariable;
        }

        /** The parameters the predictions of this law read. */
        public List<String> predictors() {
            return predictors;
        }

        /** The law of this id, or null. */
        public static Law of(String id) {
            for (Law l : values()) {
                if (l.id().equals(id)) {
                    return l;
                }
            }
            return null;
        }
    }

    /**
     * @param law                 which law
     * @param variable            x of a one-variable law
     * @param bootstrap           resamples (0: none)
     * @param seed                seeds the resampling
     * @param level               interval coverage, e.g. 0.95
     * @param fixed               parameters held at known values, by name
     * @param approach3           the chinchilla fit's grid, δ, tolerances and threads
     * @param isoflopWindow       sizes each side of the lowest loss in approach 2's parabolas (0: all)
     * @param flops               how compute becomes parameters and tokens in the allocation (recorded)
     * @param version             scalelab's version, recorded
     * @param command             the command line, recorded
     */
    public record Options(Law law, Variable variable, int bootstrap, long seed, double level, Map<String, Double> fixed,
                          Approach3.Options approach3, int isoflopWindow, FlopCount flops, String version,
                          String command, Holdout holdout) {
    }

    /**
     * Rows held out for a backtest: those at or above a compute cutoff, or those of the K largest
     * budgets (a row's budget, or its FLOPs where it has none).
     */
    public record Holdout(Double cutoffFlops, Integer largestBudgets) {
        String describe() {
            return cutoffFlops != null ? String.format(Locale.ROOT, "rows with flops >= %.4g held out", cutoffFlops)
                    : "the " + largestBudgets + " largest budgets held out";
        }
    }

    private Fitter() {
    }

    public static FitCard fit(ObservationTable table, Options o) {
        if (o.holdout() == null) {
            return fitAll(table, o);
        }
        if (o.law() == Law.ISOFLOP || o.law() == Law.ENVELOPE) {
            throw new InvalidInputException("--backtest", 0, "law", "an " + o.law().id() + " fit predicts allocations, not losses",
                    "backtest the chinchilla, power or saturating law");
        }
        List<Observation> train = new ArrayList<>();
        List<Observation> test = new ArrayList<>();
        double threshold = threshold(table, o.holdout());
        for (Observation r : table.observations()) {
            (budgetOf(r) >= threshold ? test : train).add(r);
        }
        if (test.isEmpty()) {
            throw new InvalidInputException("--backtest", 0, null, "no rows are held out by " + o.holdout().describe(),
                    "choose a lower cutoff");
        }
        ObservationTable fitted = new ObservationTable(table.source(), train, table.derivation(), table.excluded());
        FitCard card = fitAll(fitted, o);
        Predictor predictor = new Predictor(card, table.source());
        List<FitCard.Case> cases = new ArrayList<>();
        double signed = 0;
        double absolute = 0;
        for (Observation r : test) {
            FitCard.Estimate e = (o.law() == Law.CHINCHILLA || o.variable() != Variable.FLOPS
                    ? predictor.atModel(r.params(), r.tokens()) : predictor.atBudget(r.flops())).outputs().get("loss");
            double rel = (e.value() - r.loss()) / r.loss();
            signed += rel;
            absolute += Math.abs(rel);
            cases.add(new FitCard.Case(r.params(), r.tokens(), r.flops(), r.loss(), e.value(), e.lo(), e.hi(), rel));
        }
        FitCard.Backtest backtest = new FitCard.Backtest(o.holdout().describe(), cases, signed / cases.size(),
                absolute / cases.size());
        return new FitCard(card.cardVersion(), card.law(), card.variable(), card.formula(), card.parameters(),
                card.objective(), card.starts(), card.status(), card.points(), card.excluded(), card.dataHash(),
                card.flops(), card.isoflop(), card.envelope(), card.bootstrap(), backtest, card.version(),
                card.command());
    }

    private static double budgetOf(Observation r) {
        return r.budget() != null ? r.budget() : r.flops();
    }

    /** The smallest budget that is held out. */
    private static double threshold(ObservationTable table, Holdout h) {
        if (h.cutoffFlops() != null) {
            return h.cutoffFlops();
        }
        java.util.TreeSet<Double> budgets = new java.util.TreeSet<>();
        for (Observation r : table.observations()) {
            budgets.add(budgetOf(r));
        }
        if (h.largestBudgets() <= 0 || h.largestBudgets() >= budgets.size()) {
            throw new InvalidInputException("--backtest-largest", 0, null, "cannot hold out " + h.largestBudgets()
                    + " of " + budgets.size() + " budgets", "hold out at least 1 and keep at least 1");
        }
        return budgets.descendingSet().stream().skip(h.largestBudgets() - 1).findFirst().orElseThrow();
    }

    private static FitCard fitAll(ObservationTable table, Options o) {
        List<Observation> rows = table.observations();
        int n = rows.size();
        double[] params = new double[n];
        double[] tokens = new double[n];
        double[] flops = new double[n];
        double[] loss = new double[n];
        double[] budget = new double[n];
        for (int i = 0; i < n; i++) {
            Observation r = rows.get(i);
            params[i] = r.params();
            tokens[i] = r.tokens();
            flops[i] = r.flops();
            loss[i] = r.loss();
            budget[i] = r.budget() != null ? r.budget() : r.flops();
        }
        checkFixed(o);
        return switch (o.law()) {
            case CHINCHILLA -> chinchilla(table, o, params, tokens, loss);
            case ISOFLOP -> isoflop(table, o, budget, params, tokens, loss);
            case ENVELOPE -> envelope(table, o, params, tokens, flops, loss);
            case POWER, SATURATING, BROKEN -> oneVariable(table, o, params, tokens, flops, loss);
            case KAPLAN -> kaplan(table, o, params, tokens, loss);
        };
    }

    private static void checkFixed(Options o) {
        List<String> allowed = switch (o.law()) {
            case CHINCHILLA -> List.of("E", "A", "B", "alpha", "beta");
            case SATURATING -> List.of("E");
            case POWER, BROKEN, KAPLAN, ISOFLOP, ENVELOPE -> List.of();
        };
        for (String name : o.fixed().keySet()) {
            if (!allowed.contains(name)) {
                throw new InvalidInputException("--fix", 0, name, "the " + o.law().id() + " law has no fixable parameter '"
                        + name + "'", allowed.isEmpty() ? "this law takes no --fix" : "fixable: " + String.join(", ", allowed));
            }
        }
    }

    private static FitCard chinchilla(ObservationTable table, Options o, double[] params, double[] tokens, double[] loss) {
        Approach3.Data data = Approach3.Data.of(params, tokens, loss);
        Approach3.Options a3 = o.approach3().withFixed(o.fixed());
        Approach3.Result r = Approach3.fit(data, a3);
        Map<String, Double> values = r.law().parameters();
        FitCard.BootstrapDetail boot = null;
        Map<String, double[]> intervals = Map.of();
        if (o.bootstrap() > 0) {
            Bootstrap.Samples s = Approach3.bootstrap(data, a3, r, o.bootstrap(), o.seed());
            List<String> columns = new ArrayList<>(values.keySet());
            double[][] rowsOut = new double[s.size()][];
            for (int k = 0; k < s.size(); k++) {
                double[] t = s.samples()[k];
                ChinchillaLaw law = new ChinchillaLaw(Math.exp(t[2]), Math.exp(t[0]), Math.exp(t[1]), t[3], t[4]);
                rowsOut[k] = values(law.parameters());
            }
            boot = new FitCard.BootstrapDetail(o.bootstrap(), o.seed(), o.level(), s.failed(), columns, rowsOut);
            intervals = intervals(columns, rowsOut, o.level());
        }
        String grid = String.format(Locale.ROOT, "alpha %s x beta %s x e %s x a %s x b %s",
                describe(a3.alphaGrid()), describe(a3.betaGrid()), describe(a3.eGrid()), describe(a3.aGrid()),
                describe(a3.bGrid()));
        return card(table, o, r.law(), values, intervals,
                new FitCard.Objective("sum of Huber(delta=" + a3.huberDelta() + ") of log residuals", r.objective()),
                new FitCard.Starts(grid, r.starts(), r.converged()), r.status(), null, boot);
    }

    /** Bootstrap resamples and their percentile intervals; empty when no resamples were asked for. */
    private record Resampled(FitCard.BootstrapDetail detail, Map<String, double[]> intervals) {
        static final Resampled NONE = new Resampled(null, Map.of());
    }

    /**
     * Refits {@code units} resampled with replacement (rows, or runs for the envelope) {@code o.bootstrap()}
     * times; a refit that throws a fit failure counts as failed.
     */
    private static Resampled resample(Options o, int units, List<String> columns,
                                      java.util.function.BiFunction<Integer, double[], double[]> refit) {
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

    private static double[] values(Map<String, Double> named) {
        return named.values().stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static FitCard isoflop(ObservationTable table, Options o, double[] budget, double[] params,
                                   double[] tokens, double[] loss) {
        IsoFlop.Result r = IsoFlop.fit(budget, params, tokens, loss, null, o.isoflopWindow());
        Map<String, Double> values = isoflopValues(r);
        Resampled boot = resample(o, loss.length, new ArrayList<>(values.keySet()),
                (k, counts) -> values(isoflopValues(IsoFlop.fit(budget, params, tokens, loss, counts, o.isoflopWindow()))));
        String formula = String.format(Locale.ROOT, "N* = %.6g * C^%.6g, D* = %.6g * C^%.6g",
                r.paramsCoef(), r.a(), r.tokensCoef(), r.b());
        double sse = 0;
        for (IsoFlop.Vertex v : r.vertices()) {
            double res = Math.log(v.params()) - Math.log(r.optimalParams(v.budget()));
            sse += res * res;
        }
        return new FitCard(FitCard.CARD_VERSION, o.law().id(), null, formula, estimates(values, boot.intervals()),
                new FitCard.Objective("sum of squared residuals of log N* against log C", sse),
                new FitCard.Starts("one parabola per budget", r.vertices().size() + r.skipped().size(),
                        r.vertices().size()),
                FitStatus.CONVERGED.name(), loss.length, table.excluded(), dataHash(table), o.flops(),
                new FitCard.IsoFlopDetail(o.isoflopWindow(), r.vertices(), r.skipped()), null, boot.detail(), null,
                o.version(),
                o.command());
    }

    /** Envelope samples on the FLOP grid (Hoffmann et al. used 1,500; 250 resolve the curves here). */
    static final int ENVELOPE_SAMPLES = 250;

    private static FitCard envelope(ObservationTable table, Options o, double[] params, double[] tokens,
                                    double[] flops, double[] loss) {
        String[] run = new String[loss.length];
        for (int i = 0; i < run.length; i++) {
            run[i] = table.observations().get(i).run();
            if (run[i] == null) {
                throw new InvalidInputException(table.source(), 0, "run", "approach 1 needs a run column naming "
                        + "each row's training run (rows of one run form its curve)", "add a run column");
            }
        }
        Envelope.Result r = Envelope.fit(run, params, tokens, flops, loss, null, ENVELOPE_SAMPLES);
        Map<String, Double> values = allocationValues(r.a(), r.b(), r.paramsCoef(), r.tokensCoef());
        List<String> runs = java.util.Arrays.stream(run).distinct().toList();
        Resampled boot = resample(o, runs.size(), new ArrayList<>(values.keySet()), (k, counts) -> {
            java.util.Set<String> keep = new java.util.HashSet<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    keep.add(runs.get(i));
                }
            }
            Envelope.Result b = Envelope.fit(run, params, tokens, flops, loss, keep, ENVELOPE_SAMPLES);
            return values(allocationValues(b.a(), b.b(), b.paramsCoef(), b.tokensCoef()));
        });
        String formula = String.format(Locale.ROOT, "N* = %.6g * C^%.6g, D* = %.6g * C^%.6g",
                r.paramsCoef(), r.a(), r.tokensCoef(), r.b());
        double sse = 0;
        for (Envelope.Point p : r.points()) {
            double res = Math.log(p.params()) - Math.log(r.paramsCoef() * Math.pow(p.flops(), r.a()));
            sse += res * res;
        }
        return new FitCard(FitCard.CARD_VERSION, o.law().id(), null, formula, estimates(values, boot.intervals()),
                new FitCard.Objective("sum of squared residuals of log N* against log C over the envelope", sse),
                new FitCard.Starts(ENVELOPE_SAMPLES + " log-spaced FLOP values", r.runs(), r.runs()),
                FitStatus.CONVERGED.name(), loss.length, table.excluded(), dataHash(table), o.flops(), null,
                r.points(), boot.detail(), null, o.version(), o.command());
    }

    private static Map<String, Double> allocationValues(double a, double b, double kN, double kD) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("a", a);
        v.put("b", b);
        v.put("k_N", kN);
        v.put("k_D", kD);
        return v;
    }

    private static Map<String, Double> isoflopValues(IsoFlop.Result r) {
        return allocationValues(r.a(), r.b(), r.paramsCoef(), r.tokensCoef());
    }

    private static FitCard oneVariable(ObservationTable table, Options o, double[] params, double[] tokens,
                                       double[] flops, double[] loss) {
        Variable x = o.variable();
        double[] xs = switch (x) {
            case PARAMS -> params;
            case TOKENS -> tokens;
            case FLOPS -> flops;
        };
        double fixedE = o.fixed().getOrDefault("E", Double.NaN);
        boolean saturating = o.law() == Law.SATURATING;
        if (o.law() == Law.BROKEN) {
            Broken.Result r = Broken.fit(x, xs, loss, null, null);
            return withBootstrap(table, o, r.law(), loss.length, (k, counts) -> Broken.fit(x, xs, loss, counts, r.theta())
                            .law().parameters(), new FitCard.Objective("sum of squared log residuals", r.objective()),
                    new FitCard.Starts("break at the x quartiles x c0 {0.05,0.3} x c1 {-0.2,0.2,0.6} x floor "
                            + "{0.5,0.9}*min loss", r.starts(), r.converged()), r.status(), x.id());
        }
        OneVariable.Result r = saturating ? OneVariable.saturating(x, xs, loss, null, fixedE, null)
                : OneVariable.power(x, xs, loss, null);
        return withBootstrap(table, o, r.law(), loss.length, (k, counts) -> (saturating
                        ? OneVariable.saturating(x, xs, loss, counts, fixedE, r.theta())
                        : OneVariable.power(x, xs, loss, counts)).law().parameters(),
                new FitCard.Objective("sum of squared log residuals", r.objective()),
                new FitCard.Starts(saturating ? "alpha {0.05,0.2,0.5,1} x E {0.5,0.9,0.99}*min loss" : "closed form",
                        r.starts(), r.converged()), r.status(), x.id());
    }

    private static FitCard kaplan(ObservationTable table, Options o, double[] params, double[] tokens, double[] loss) {
        Kaplan.Result r = Kaplan.fit(params, tokens, loss, null, null);
        return withBootstrap(table, o, r.law(), loss.length,
                (k, counts) -> Kaplan.fit(params, tokens, loss, counts, r.theta()).law().parameters(),
                new FitCard.Objective("sum of squared log residuals", r.objective()),
                new FitCard.Starts("log N_c, log D_c {20,30,40} x alpha_N, alpha_D {0.05,0.1,0.3}", r.starts(),
                        r.converged()), r.status(), null);
    }

    /** A card for a law refitted per resample by {@code refit}; the resample's parameters by name. */
    private static FitCard withBootstrap(ObservationTable table, Options o, ScalingLaw law, int points,
                                         java.util.function.BiFunction<Integer, double[], Map<String, Double>> refit,
                                         FitCard.Objective objective, FitCard.Starts starts, FitStatus status,
                                         String variable) {
        Map<String, Double> values = law.parameters();
        Resampled boot = resample(o, points, new ArrayList<>(values.keySet()), (k, counts) -> values(refit.apply(k, counts)));
        return card(table, o, law, values, boot.intervals(), objective, starts, status, variable, boot.detail());
    }

    private static FitCard card(ObservationTable table, Options o, ScalingLaw law, Map<String, Double> values,
                                Map<String, double[]> intervals, FitCard.Objective objective, FitCard.Starts starts,
                                FitStatus status, String variable, FitCard.BootstrapDetail boot) {
        return new FitCard(FitCard.CARD_VERSION, o.law().id(), variable, law.formula(), estimates(values, intervals),
                objective, starts, status.name(), table.size(), table.excluded(), dataHash(table), o.flops(),
                null, null, boot, null, o.version(), o.command());
    }

    private static Map<String, FitCard.Estimate> estimates(Map<String, Double> values, Map<String, double[]> intervals) {
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

    private static String describe(double[] grid) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < grid.length; i++) {
            s.append(i > 0 ? "," : "").append(grid[i] == Math.rint(grid[i]) ? Long.toString((long) grid[i])
                    : Double.toString(grid[i]));
        }
        return s.append('}').toString();
    }

    /** SHA-256 of the rows used, one "params,tokens,flops,loss" line each, in Java's round-trip number form. */
    static String dataHash(ObservationTable table) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Observation r : table.observations()) {
                md.update((r.params() + "," + r.tokens() + "," + r.flops() + "," + r.loss() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
