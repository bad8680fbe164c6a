package dev.scalelab.fitting;

import dev.scalelab.core.data.Observation;
import dev.scalelab.fitting.NotPredictable.Input;
import dev.scalelab.fitting.law.Axis;
import dev.scalelab.fitting.law.Point;
import dev.scalelab.fitting.law.ScalingLaw;
import dev.scalelab.fitting.law.Variable;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A law of one variable x (the card's {@code variable}): params, tokens or flops, where it predicts the
 * loss at a value of x (for flops, a budget), or any other numeric column of a table
 * ({@code fit --x seen_examples}), where it predicts the loss at values of that column
 * ({@code predict --at seen_examples=1e7}).
 */
abstract class OneVariableSpec implements LawSpec {
    /** The law in {@code x} with the parameters {@code p} (by name). */
    abstract ScalingLaw law(Axis x, Map<String, Double> p);

    @Override
    public final boolean oneVariable() {
        return true;
    }

    /** A card's x: its variable, or the other column it names (null x: another column). */
    @Override
    public Set<Predicts> predicts(Variable x) {
        return x == null ? EnumSet.of(Predicts.RESPONSE)
                : EnumSet.of(x == Variable.FLOPS ? Predicts.LOSS_AT_BUDGET : Predicts.LOSS_OF_MODEL);
    }

    private static Axis axis(FitCard card) {
        return Axis.column(card.variable());
    }

    @Override
    public Outputs atBudget(FitCard card, double budget) {
        Axis x = axis(card);
        if (x.variable() != Variable.FLOPS) {
            throw new NotPredictable(Input.BUDGET, "this " + card.law() + " law is a function of " + x.column(),
                    wanted(x));
        }
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put("loss", p -> law(x, p).predict(new Point(Double.NaN, Double.NaN, budget)));
        return new Outputs(Map.of("flops", budget), outputs);
    }

    @Override
    public Outputs atModel(FitCard card, double params, double tokens) {
        Axis x = axis(card);
        Variable v = x.variable();
        double value = v == Variable.PARAMS ? params : tokens;
        if (v == null || v == Variable.FLOPS || Double.isNaN(value)) { // the input its variable wants
            throw new NotPredictable(v == null ? Input.MODEL : Input.of(v), "this " + card.law()
                    + " law is a function of " + x.column(), wanted(x));
        }
        Map<String, Double> in = new LinkedHashMap<>();
        in.put(x.column(), value);
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put("loss", p -> law(x, p).predict(new Point(params, tokens, Double.NaN)));
        return new Outputs(in, outputs);
    }

    /** The loss at a value of the card's x, whichever column it is. */
    @Override
    public Outputs atInputs(FitCard card, Map<String, Double> given) {
        Axis x = axis(card);
        Double value = given.get(x.column());
        if (value == null || given.size() != 1) {
            throw new NotPredictable(Input.COLUMNS, "this " + card.law() + " law is a function of " + x.column()
                    + " alone", Input.COLUMNS);
        }
        Map<String, Double> in = new LinkedHashMap<>();
        in.put(x.column(), value);
        Point at = new Point(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Map.of(x.column(), value));
        Point point = x.variable() == null ? at : new Point(x.variable() == Variable.PARAMS ? value : Double.NaN,
                x.variable() == Variable.TOKENS ? value : Double.NaN, x.variable() == Variable.FLOPS ? value : Double.NaN);
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put("loss", p -> law(x, p).predict(point));
        return new Outputs(in, outputs);
    }

    @Override
    public Outputs atRow(FitCard card, Observation r) {
        Axis x = axis(card);
        return x.variable() != null ? LawSpec.super.atRow(card, r) : atInputs(card, Map.of(x.column(), r.value(x.column())));
    }

    /** What a law in {@code x} is asked at. */
    private static Input wanted(Axis x) {
        return x.variable() == null ? Input.COLUMNS : Input.of(x.variable());
    }
}
