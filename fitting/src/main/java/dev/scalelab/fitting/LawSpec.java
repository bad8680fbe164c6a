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

    /**
     * @param inputs  what the prediction is at, by name
     * @param outputs each output, as a function of the parameters by name (the fit's, or a resample's)
     */
    record Outputs(Map<String, Double> inputs, Map<String, Function<Map<String, Double>, Double>> outputs) {
    }
}
