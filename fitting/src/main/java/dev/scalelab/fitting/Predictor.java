package dev.scalelab.fitting;

import dev.scalelab.fitting.fit.Bootstrap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Predictions from a fit card: the loss of a given model, or for a compute budget the
 * compute-optimal parameters and tokens (Hoffmann et al. 2022, eq. 4) and their loss, each with
 * the bootstrap's percentile interval when the card has resamples.
 */
public final class Predictor {
    /** One prediction: its inputs, and each output with its interval. */
    public record Prediction(Map<String, Double> inputs, Map<String, FitCard.Estimate> outputs) {
    }

    private final FitCard card;
    private final LawSpec law;

    public Predictor(FitCard card, String source) {
        this.card = card.validated(source);
        this.law = Fitter.Law.of(card.law()).spec();
    }

    /**
     * Compute-optimal allocation and loss at a budget (chinchilla, isoflop), or the loss at C (one-variable
     * in flops); a {@link NotPredictable} error for a law that makes no prediction at a budget.
     */
    public Prediction atBudget(double budget) {
        return evaluate(law.atBudget(card, budget));
    }

    /**
     * The loss of a model of {@code params} parameters trained on {@code tokens} tokens (either may be NaN if
     * unused); a {@link NotPredictable} error for a law that predicts no loss of a model.
     */
    public Prediction atModel(double params, double tokens) {
        return evaluate(law.atModel(card, params, tokens));
    }

    private Prediction evaluate(LawSpec.Outputs what) {
        Map<String, Double> in = what.inputs();
        Map<String, Function<Map<String, Double>, Double>> outputs = what.outputs();
        Map<String, Double> best = new LinkedHashMap<>();
        card.parameters().forEach((name, e) -> best.put(name, e.value()));
        Map<String, FitCard.Estimate> out = new LinkedHashMap<>();
        for (Map.Entry<String, Function<Map<String, Double>, Double>> o : outputs.entrySet()) {
            double value = o.getValue().apply(best);
            Double lo = null;
            Double hi = null;
            if (card.bootstrap() != null && card.bootstrap().samples().length > 0) {
                double[][] samples = card.bootstrap().samples();
                List<String> columns = card.bootstrap().columns();
                double[] values = new double[samples.length];
                for (int s = 0; s < samples.length; s++) {
                    Map<String, Double> p = new LinkedHashMap<>();
                    for (int c = 0; c < columns.size(); c++) {
                        p.put(columns.get(c), samples[s][c]);
                    }
                    values[s] = o.getValue().apply(p);
                }
                double[] ci = Bootstrap.percentileInterval(values, card.bootstrap().level());
                lo = ci[0];
                hi = ci[1];
            }
            out.put(o.getKey(), new FitCard.Estimate(value, lo, hi));
        }
        return new Prediction(in, out);
    }
}
