package dev.scalelab.fitting;

import dev.scalelab.fitting.NotPredictable.Input;
import dev.scalelab.fitting.law.Point;
import dev.scalelab.fitting.law.ScalingLaw;
import dev.scalelab.fitting.law.Variable;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A law of one variable x (params, tokens or flops, the card's {@code variable}): it predicts the
 * loss at a value of x, which for flops is a budget.
 */
abstract class OneVariableSpec implements LawSpec {
    /** The law in {@code x} with the parameters {@code p} (by name). */
    abstract ScalingLaw law(Variable x, Map<String, Double> p);

    @Override
    public final boolean oneVariable() {
        return true;
    }

    @Override
    public Set<Predicts> predicts(Variable x) {
        return EnumSet.of(x == Variable.FLOPS ? Predicts.LOSS_AT_BUDGET : Predicts.LOSS_OF_MODEL);
    }

    @Override
    public Outputs atBudget(FitCard card, double budget) {
        Variable x = Variable.of(card.variable());
        if (x != Variable.FLOPS) {
            throw new NotPredictable(Input.BUDGET, "this " + card.law() + " law is a function of " + x.id(),
                    Input.of(x));
        }
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put("loss", p -> law(x, p).predict(new Point(Double.NaN, Double.NaN, budget)));
        return new Outputs(Map.of("flops", budget), outputs);
    }

    @Override
    public Outputs atModel(FitCard card, double params, double tokens) {
        Variable x = Variable.of(card.variable());
        double value = x == Variable.PARAMS ? params : tokens;
        if (x == Variable.FLOPS || Double.isNaN(value)) { // the input its variable wants, as before the registry
            throw new NotPredictable(Input.of(x), "this " + card.law() + " law is a function of " + x.id(),
                    Input.of(x));
        }
        Map<String, Double> in = new LinkedHashMap<>();
        in.put(x.id(), value);
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put("loss", p -> law(x, p).predict(new Point(params, tokens, Double.NaN)));
        return new Outputs(in, outputs);
    }
}
