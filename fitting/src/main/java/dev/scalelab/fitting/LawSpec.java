package dev.scalelab.fitting;

import dev.scalelab.fitting.law.Variable;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything scalelab knows about one law, in one place: how {@code scalelab fit} describes it, the
 * parameters its predictions read, which of them a fit may hold at known values, whether it is a
 * function of one variable, how it is fitted (bootstrap included) and what it predicts from a card.
 * Each law's entry implements this; {@link Fitter.Law} names the entries.
 */
interface LawSpec {
    /** The law for the help of {@code scalelab fit}: its formula and source, e.g. "(L = A·X^-alpha)". */
    String summary();

    /** The parameters the predictions read; a card must hold each as a finite number. */
    List<String> predictors();

    /** The parameters a fit may hold at known values. */
    default List<String> fixable() {
        return List.of();
    }

    /**
     * The parameters a fit estimates with none held fixed: the fewest rows a fit (and a backtest's kept
     * rows) may have. A law of the allocation counts budgets, not rows: two for its power laws.
     */
    default int parameterCount() {
        return predictors().size();
    }

    /** A function of one variable (params, tokens or flops), named in the card's {@code variable}. */
    default boolean oneVariable() {
        return false;
    }

    /** Fits the law to the rows, with the bootstrap the options ask for, and makes its card. */
    FitCard fit(FitData data, Fitter.Options o);

    /** What a card of this law predicts; {@code x} is its variable (null for a law of params and tokens). */
    Set<Predicts> predicts(Variable x);

    /** The outputs at a compute budget; throws {@link NotPredictable} unless {@link #predicts} has one at a budget. */
    Outputs atBudget(FitCard card, double budget);

    /** The loss of a model (either input may be NaN if unused); throws {@link NotPredictable} if it has none. */
    Outputs atModel(FitCard card, double params, double tokens);

    /**
     * The loss of a model trained on tokens of which {@code uniqueTokens} are distinct (NaN if unknown): the
     * same as {@link #atModel(FitCard, double, double)} for a law that does not read them.
     */
    default Outputs atModel(FitCard card, double params, double tokens, double uniqueTokens) {
        return atModel(card, params, tokens);
    }

    /** The columns a table must have, as {@link Fitter.Law#reads}: null for params, loss, and tokens or flops. */
    default List<String> reads() {
        return null;
    }

    /** The input columns of a law of other columns ({@code loss}, {@code loss_a}); null for the laws of N, D and C. */
    default List<String> inputs() {
        return null;
    }

    /** The column the law predicts: {@code loss} for the laws of N and D; its prediction interval is of one new run's. */
    default String response() {
        return "loss";
    }

    /** Whether the response gets a prediction interval (one new run's value); a hyperparameter law's has none. */
    default boolean predictionInterval() {
        return true;
    }

    /**
     * The prediction at one row of a table, at the inputs it has: its N and D (with unique tokens), or its
     * budget for a law in flops; a law of other columns reads them.
     */
    default Outputs atRow(FitCard card, dev.scalelab.core.data.Observation r) {
        Variable x = oneVariable() ? Variable.of(card.variable()) : null;
        return predicts(x).contains(Predicts.LOSS_OF_MODEL) ? atModel(card, r.params(), r.tokens(),
                r.uniqueTokens() == null ? Double.NaN : r.uniqueTokens()) : atBudget(card, r.flops());
    }

    /** The prediction at values of the law's input columns, by name ({@code predict --at loss=2.3}). */
    default Outputs atInputs(FitCard card, Map<String, Double> inputs) {
        throw new NotPredictable(NotPredictable.Input.COLUMNS, "a " + card.law() + " card predicts from params, "
                + "tokens or a budget", NotPredictable.Input.MODEL, NotPredictable.Input.BUDGET);
    }

    /** The held-out rows a backtest scores: all of them, or a hyperparameter law's optimal runs per cell. */
    default List<dev.scalelab.core.data.Observation> scored(List<dev.scalelab.core.data.Observation> heldOut,
                                                          Fitter.Options o) {
        return heldOut;
    }

    /**
     * @param inputs  what the prediction is at, by name
     * @param outputs each output, as a function of the parameters by name (the fit's, or a resample's)
     */
    record Outputs(Map<String, Double> inputs, Map<String, Function<Map<String, Double>, Double>> outputs) {
    }
}
