package dev.scalelab.fitting;

import dev.scalelab.fitting.NotPredictable.Input;
import dev.scalelab.fitting.law.Variable;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A law of the compute-optimal allocation alone, N* = k_N·C^a and D* = k_D·C^b (Hoffmann et al.
 * 2022, approaches 1 and 2): it predicts a budget's N* and D*, not losses.
 */
abstract class AllocationSpec implements LawSpec {
    @Override
    public List<String> predictors() {
        return List.of("a", "b", "k_N", "k_D");
    }

    /** Two budgets' optima fix each power law N* = k_N·C^a and D* = k_D·C^b. */
    @Override
    public int parameterCount() {
        return 2;
    }

    @Override
    public Set<Predicts> predicts(Variable x) {
        return EnumSet.of(Predicts.ALLOCATION);
    }

    @Override
    public Outputs atBudget(FitCard card, double budget) {
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        outputs.put("params", p -> p.get("k_N") * Math.pow(budget, p.get("a")));
        outputs.put("tokens", p -> p.get("k_D") * Math.pow(budget, p.get("b")));
        outputs.put("tokensPerParam", p -> p.get("k_D") * Math.pow(budget, p.get("b"))
                / (p.get("k_N") * Math.pow(budget, p.get("a"))));
        return new Outputs(Map.of("flops", budget), outputs);
    }

    @Override
    public Outputs atModel(FitCard card, double params, double tokens) {
        throw new NotPredictable(Input.MODEL, "an " + card.law() + " card predicts allocations, not losses",
                Input.BUDGET);
    }

    /** The parameters of N* = k_N·C^a and D* = k_D·C^b, in the card's order. */
    static Map<String, Double> values(double a, double b, double kN, double kD) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("a", a);
        v.put("b", b);
        v.put("k_N", kN);
        v.put("k_D", kD);
        return v;
    }
}
