package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.Variable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Fits a law to an observation table and makes its fit card: the library behind {@code scalelab fit}. */
public final class Fitter {
    /**
     * The laws scalelab fits, each with its entry: its id (the card's {@code law}), the parameters its
     * predictions read and those a fit may fix, whether it is one-variable, its fitter and its
     * predictions. Adding a law is its law class, its fitter, its entry and a line here.
     */
    public enum Law {
        POWER(new PowerSpec()),
        SATURATING(new SaturatingSpec()),
        BROKEN(new BrokenSpec()),
        CHINCHILLA(new ChinchillaSpec()),
        KAPLAN(new KaplanSpec()),
        ISOFLOP(new IsoFlopSpec()),
        ENVELOPE(new EnvelopeSpec()),
        DATA_CONSTRAINED(new DataConstrainedSpec()),
        OVERTRAINING(new OvertrainingSpec()),
        ERROR_FROM_LOSS(new ErrorFromLossSpec()),
        TASK(new TaskSpec()),
        LOSS_TO_LOSS(new LossToLossSpec()),
        LR(new HparamSpec("lr")),
        BATCH(new HparamSpec("batch"));

        private final LawSpec spec;

        Law(LawSpec spec) {
            this.spec = spec;
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The id, as command lines and cards write it. */
        @Override
        public String toString() {
            return id();
        }

        /** The law's formula and source, for help texts. */
        public String summary() {
            return spec.summary();
        }

        /** A function of one variable (params, tokens or flops), named in the card's {@code variable}. */
        public boolean oneVariable() {
            return spec.oneVariable();
        }

        /** The parameters the predictions of this law read. */
        public List<String> predictors() {
            return spec.predictors();
        }

        /** The parameters a fit estimates with none held fixed (for an allocation law, the budgets it needs). */
        public int parameterCount() {
            return spec.parameterCount();
        }

        /** The parameters a fit may hold at known values. */
        public List<String> fixable() {
            return spec.fixable();
        }

        /** What a card of this law in {@code x} (ignored unless one-variable) predicts. */
        public Set<Predicts> predicts(Variable x) {
            return spec.predicts(oneVariable() ? x : null);
        }

        /**
         * Whether a card of this law in {@code x} predicts a value each held-out row has (a loss of a model or
         * at a budget, or the law's response at the row's inputs), as a backtest needs.
         */
        public boolean predictsRows(Variable x) {
            Set<Predicts> p = predicts(x);
            return p.contains(Predicts.LOSS_OF_MODEL) || p.contains(Predicts.LOSS_AT_BUDGET)
                    || p.contains(Predicts.RESPONSE);
        }

        /**
         * The columns a table must have for this law in {@code x}: null for params, loss, and tokens or flops
         * (the laws of N and D); a one-variable law reads only its variable and the loss.
         */
        public List<String> reads(Variable x) {
            return reads(x.id());
        }

        /** As {@link #reads(Variable)}, for a one-variable law whose x is the column {@code x}. */
        public List<String> reads(String x) {
            return oneVariable() ? List.of(x, "loss") : spec.reads();
        }

        /** The column the law predicts, scored by backtests: {@code loss}, or e.g. {@code error}, {@code lr}. */
        public String response() {
            return spec.response();
        }

        LawSpec spec() {
            return spec;
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

        /** Every law's id, in order. */
        public static List<String> ids() {
            return Arrays.stream(values()).map(Law::id).toList();
        }

        /**
         * The cards that predict {@code what}, e.g. "a chinchilla, isoflop or envelope card" or "a chinchilla
         * card, or a one-variable law of flops".
         */
        public static String cardsThatPredict(Predicts what) {
            List<String> laws = Arrays.stream(values()).filter(l -> !l.oneVariable() && l.predicts(null).contains(what))
                    .map(Law::id).toList();
            List<String> variables = Arrays.stream(Variable.values()).filter(x -> Arrays.stream(values())
                    .anyMatch(l -> l.oneVariable() && l.predicts(x).contains(what))).map(Variable::id).toList();
            String cards = laws.isEmpty() ? "" : "a " + or(laws) + " card";
            String oneVariable = variables.isEmpty() ? "" : "a one-variable law of " + or(variables);
            return cards.isEmpty() || oneVariable.isEmpty() ? cards + oneVariable : cards + ", or " + oneVariable;
        }

        /** "a", "a or b", "a, b or c". */
        static String or(List<String> words) {
            int n = words.size();
            return n == 1 ? words.get(0) : String.join(", ", words.subList(0, n - 1)) + " or " + words.get(n - 1);
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
     * @param hparamTolerance     for the hyperparameter laws, how far above its cell's best loss a run may
     *                            be and still count as optimal (Li et al. 2025's 0.25%: 0.0025)
     * @param xColumn             x of a one-variable law when it is another numeric column of the table
     *                            ({@code variable} then null); null for params, tokens or flops
     */
    public record Options(Law law, Variable variable, int bootstrap, long seed, double level, Map<String, Double> fixed,
                          Approach3.Options approach3, int isoflopWindow, FlopCount flops, String version,
                          String command, Holdout holdout, double hparamTolerance, String xColumn) {
        /** Options whose one-variable x, if any, is params, tokens or flops. */
        public Options(Law law, Variable variable, int bootstrap, long seed, double level, Map<String, Double> fixed,
                       Approach3.Options approach3, int isoflopWindow, FlopCount flops, String version, String command,
                       Holdout holdout, double hparamTolerance) {
            this(law, variable, bootstrap, seed, level, fixed, approach3, isoflopWindow, flops, version, command,
                    holdout, hparamTolerance, null);
        }

        /** x of a one-variable law: its variable, or the other column. */
        public dev.scalelab.fitting.law.Axis axis() {
            return xColumn != null ? dev.scalelab.fitting.law.Axis.column(xColumn)
                    : dev.scalelab.fitting.law.Axis.of(variable);
        }

        /** Options with the Step Law's tolerance of 0.25%. */
        public Options(Law law, Variable variable, int bootstrap, long seed, double level, Map<String, Double> fixed,
                       Approach3.Options approach3, int isoflopWindow, FlopCount flops, String version, String command,
                       Holdout holdout) {
            this(law, variable, bootstrap, seed, level, fixed, approach3, isoflopWindow, flops, version, command,
                    holdout, DEFAULT_HPARAM_TOLERANCE);
        }
    }

    /** Li et al. (2025): runs within 0.25% of their cell's best loss count as optimal. */
    public static final double DEFAULT_HPARAM_TOLERANCE = 0.0025;

    /** The source that errors in a backtest's holdout name. */
    static final String BACKTEST = "the backtest";

    private Fitter() {
    }

    /**
     * The card of a fit to every row, or with a holdout of one fold ({@code fit --backtest-*}) the card of
     * the kept rows with each held-out row's prediction in its {@code backtest}; {@link Backtest} scores them.
     */
    public static FitCard fit(ObservationTable table, Options o) {
        if (o.holdout() == null) {
            return fitAll(table, o);
        }
        if (!o.law().predictsRows(o.variable())) {
            Backtest.requireBacktestable(o.law(), o);
            throw new InvalidInputException(BACKTEST, 0, "law", "a fit card's backtest holds losses; an " + o.law().id()
                    + " fit predicts allocations", "use 'scalelab backtest INPUT --law " + o.law().id() + "'");
        }
        List<Holdout.Fold> folds;
        try {
            folds = o.holdout().folds(table.observations());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(BACKTEST, 0, "largestBudgets", e.getMessage(), null);
        }
        if (folds.size() != 1) {
            throw new InvalidInputException(BACKTEST, 0, "holdout", "a fit card holds one fit; " + o.holdout().describe()
                    + " makes " + folds.size(), "use 'scalelab backtest INPUT --holdout " + o.holdout().describe() + "'");
        }
        Backtest.FoldFit f = Backtest.fold(table, o, folds.get(0), null, new ArrayList<>());
        FitCard card = f.card();
        List<FitCard.Case> cases = new ArrayList<>();
        for (Backtest.Row r : f.rows()) {
            cases.add(new FitCard.Case(r.params(), r.tokens(), r.flops(), r.actual(), r.predicted(),
                    r.confidence() == null ? null : r.confidence().get(0), r.confidence() == null ? null : r.confidence().get(1),
                    r.prediction(), r.relativeError()));
        }
        Backtest.Summary s = Backtest.summarise(f.rows(), o.level());
        FitCard.Backtest backtest = new FitCard.Backtest(o.holdout().describe() + " held out", cases,
                s.meanRelativeError(), s.meanAbsRelativeError(), s.logRmse(), s.coverage());
        return new FitCard(card.cardVersion(), card.law(), card.variable(), card.formula(), card.parameters(),
                card.objective(), card.starts(), card.status(), card.points(), card.excluded(), card.dataHash(),
                card.flops(), card.isoflop(), card.envelope(), card.bootstrap(), card.residuals(), backtest, card.version(),
                card.command());
    }

    static FitCard fitAll(ObservationTable table, Options o) {
        checkFixed(o);
        return o.law().spec().fit(FitData.of(table), o);
    }

    private static void checkFixed(Options o) {
        List<String> allowed = o.law().fixable();
        for (String name : o.fixed().keySet()) {
            if (!allowed.contains(name)) {
                throw new InvalidInputException("fixed parameters", 0, name, "the " + o.law().id() + " law has no fixable "
                        + "parameter '" + name + "'", allowed.isEmpty() ? "this law fixes none" : "fixable: "
                        + String.join(", ", allowed));
            }
        }
    }
}
