package dev.scalelab.fitting;

import dev.scalelab.fitting.fit.Bootstrap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Predictions from a fit card: the loss of a given model, or for a compute budget the
 * compute-optimal parameters and tokens (Hoffmann et al. 2022, eq. 4) and their loss, each with
 * two intervals when the card has resamples.
 *
 * <p>The <em>confidence</em> interval is where the law's mean lies: the percentile interval of the
 * output over the bootstrap refits (parameter uncertainty only; {@code lo}, {@code hi}). The
 * <em>prediction</em> interval, for a loss, is where the loss of one new run there will fall: the
 * residual bootstrap of Davison and Hinkley (1997, "Bootstrap Methods and their Application",
 * section 6.3.3, prediction error), in log space. Each bootstrap sample b's loss L_b is multiplied by
 * exp(e_b), e_b drawn with replacement from the full fit's log residuals (card field
 * {@code residuals}), centred and inflated by sqrt(n / (n − p)) for the p fitted parameters, and the
 * interval is the percentiles of L_b·exp(e_b). The draws come from a generator seeded by the card's
 * bootstrap seed ({@link Bootstrap#residualDraws}), so a card predicts the same intervals every time.
 * A card without residuals (version 2, or a fit with no degrees of freedom left) gives the confidence
 * interval only.
 */
public final class Predictor {
    /** One prediction: its inputs, and each output with its intervals. */
    public record Prediction(Map<String, Double> inputs, Map<String, FitCard.Estimate> outputs) {
    }

    /** The output that is a loss, and so gains a prediction interval. */
    static final String LOSS = "loss";

    private final FitCard card;
    /** Where the card was read from, for errors. */
    private final String source;
    private final LawSpec law;
    /** Per bootstrap sample, the factor exp(e_b) of its prediction; null without residuals or resamples. */
    private final double[] noise;

    public Predictor(FitCard card, String source) {
        this.source = source;
        this.card = card.validated(source);
        this.law = Fitter.Law.of(card.law()).spec();
        this.noise = noise(this.card);
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

    /** The loss of a model whose tokens hold {@code uniqueTokens} distinct ones (NaN if unknown; laws of repeated data read it). */
    public Prediction atModel(double params, double tokens, double uniqueTokens) {
        return evaluate(law.atModel(card, params, tokens, uniqueTokens));
    }

    /** The prediction at one row of a table, at the inputs the law reads there (a backtest's held-out row). */
    public Prediction atRow(dev.scalelab.core.data.Observation row) {
        return evaluate(law.atRow(card, row));
    }

    /** The prediction at values of the law's input columns ({@code loss} for a law of error against loss). */
    public Prediction atInputs(Map<String, Double> inputs) {
        return evaluate(law.atInputs(card, inputs));
    }

    /** The input columns of the card's law, or null for a law of N, D and budgets. */
    public List<String> inputs() {
        return law.inputs();
    }

    /**
     * Two laws in a chain (Bhagia et al. 2024, "Establishing Task Scaling Laws via Compute-Efficient Model
     * Ladders"; Gadre et al. 2024, §4): this card's loss at a model (or a budget), fed into {@code second}, a
     * law of a metric against that loss. Both cards' uncertainty propagates: resample s takes this card's
     * resample s and {@code second}'s resample s, so the confidence interval is the percentiles of
     * f₂,ₛ(L₁,ₛ); the prediction interval adds one new run's noise at each step,
     * f₂,ₛ(L₁,ₛ·exp(e₁,ₛ))·exp(e₂,ₛ), with each card's residual draws. The outputs are step 1's loss and
     * step 2's response.
     *
     * @param atModel whether to predict at a model (params, tokens, unique tokens) or at {@code budget}
     */
    public Prediction chain(Predictor second, boolean atModel, double params, double tokens, double unique,
                            double budget) {
        List<String> in = second.law.inputs();
        if (in == null || in.size() != 1 || !in.get(0).equals(LOSS)) {
            throw new dev.scalelab.core.InvalidInputException(second.source, 0, "law", "the second card of a chain must "
                    + "be a law of a metric against the loss, not " + second.card.law(),
                    "give an error-from-loss or task card second");
        }
        if (!law.response().equals(LOSS)) {
            throw new dev.scalelab.core.InvalidInputException(source, 0, "law", "the first card of a chain must predict "
                    + "a loss, not " + law.response(), "give a loss card (chinchilla, overtraining, ...) first");
        }
        LawSpec.Outputs one = atModel ? law.atModel(card, params, tokens, unique) : law.atBudget(card, budget);
        Function<Map<String, Double>, Double> loss = one.outputs().get(LOSS);
        if (loss == null) {
            throw new dev.scalelab.core.InvalidInputException(source, 0, "law", "the first card of a chain must predict "
                    + "a loss, and " + card.law() + " predicts none here", "give a loss card (chinchilla, overtraining, ...) first");
        }
        Prediction first = evaluate(one);
        String response = second.law.response();
        // a resample whose refit failed has no loss (NaN): its metric is NaN too, and the percentiles leave it out
        Function<Double, Function<Map<String, Double>, Double>> metric = l -> Double.isFinite(l) ? second.law
                .atInputs(second.card, Map.of(LOSS, l)).outputs().get(response) : p -> Double.NaN;
        double value = metric.apply(loss.apply(best())).apply(second.best());
        Map<String, FitCard.Estimate> out = new LinkedHashMap<>(first.outputs());
        List<Map<String, Double>> p1 = samples();
        List<Map<String, Double>> p2 = second.samples();
        int n = Math.min(p1.size(), p2.size());
        if (n == 0) {
            out.put(response, new FitCard.Estimate(value, null, null));
            return new Prediction(first.inputs(), out);
        }
        double[] mean = new double[n];
        double[] oneRun = noise == null || second.noise == null ? null : new double[n];
        for (int s = 0; s < n; s++) {
            double l = loss.apply(p1.get(s));
            mean[s] = metric.apply(l).apply(p2.get(s));
            if (oneRun != null) {
                oneRun[s] = metric.apply(l * noise[s]).apply(p2.get(s)) * second.noise[s];
            }
        }
        out.put(response, estimate(value, mean, oneRun));
        return new Prediction(first.inputs(), out);
    }

    /** The fitted parameters by name. */
    private Map<String, Double> best() {
        Map<String, Double> best = new LinkedHashMap<>();
        card.parameters().forEach((name, e) -> best.put(name, e.value()));
        return best;
    }

    /** Each bootstrap resample's parameters by name (none without resamples). */
    private List<Map<String, Double>> samples() {
        if (card.bootstrap() == null || card.bootstrap().samples().length == 0) {
            return List.of();
        }
        List<String> columns = card.bootstrap().columns();
        List<Map<String, Double>> out = new java.util.ArrayList<>();
        for (double[] row : card.bootstrap().samples()) {
            Map<String, Double> p = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                p.put(columns.get(c), row[c]);
            }
            out.add(p);
        }
        return out;
    }

    private Prediction evaluate(LawSpec.Outputs what) {
        Map<String, Double> best = best();
        List<Map<String, Double>> samples = samples();
        Map<String, FitCard.Estimate> out = new LinkedHashMap<>();
        for (Map.Entry<String, Function<Map<String, Double>, Double>> o : what.outputs().entrySet()) {
            double value = o.getValue().apply(best);
            if (samples.isEmpty()) {
                out.put(o.getKey(), new FitCard.Estimate(value, null, null));
                continue;
            }
            double[] values = samples.stream().mapToDouble(p -> o.getValue().apply(p)).toArray();
            double[] withNoise = null;
            if (noise != null && o.getKey().equals(law.response()) && law.predictionInterval()) {
                withNoise = new double[values.length];
                for (int s = 0; s < values.length; s++) {
                    withNoise[s] = values[s] * noise[s];
                }
            }
            out.put(o.getKey(), estimate(value, values, withNoise));
        }
        return new Prediction(what.inputs(), out);
    }

    /**
     * An output's estimate: the percentile confidence interval of its resampled means and, when given, the
     * prediction interval of its resampled new runs.
     */
    private FitCard.Estimate estimate(double value, double[] means, double[] newRuns) {
        double level = card.bootstrap().level();
        double[] ci = Bootstrap.percentileInterval(means, level);
        List<Double> prediction = null;
        if (newRuns != null) {
            double[] pi = Bootstrap.percentileInterval(newRuns, level);
            prediction = List.of(pi[0], pi[1]);
        }
        return new FitCard.Estimate(value, ci[0], ci[1], List.of(ci[0], ci[1]), prediction, level);
    }

    /**
     * exp(e_b) for each bootstrap sample b: e_b one of the card's log residuals, centred on their mean and
     * inflated by sqrt(n / (n − p)) (Davison and Hinkley 1997, section 6.3.3), drawn by the card's seed.
     */
    static double[] noise(FitCard card) {
        FitCard.Residuals r = card.residuals();
        if (r == null || card.bootstrap() == null || card.bootstrap().samples().length == 0) {
            return null;
        }
        int n = r.log().size();
        double mean = 0;
        for (double e : r.log()) {
            mean += e;
        }
        mean /= n;
        double inflation = Math.sqrt(n / (double) (n - r.parameters()));
        int[] draws = Bootstrap.residualDraws(n, card.bootstrap().seed(), card.bootstrap().samples().length);
        double[] out = new double[draws.length];
        for (int b = 0; b < draws.length; b++) {
            out[b] = Math.exp((r.log().get(draws[b]) - mean) * inflation);
        }
        return out;
    }
}
