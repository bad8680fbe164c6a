package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.fit.Bootstrap;
import dev.scalelab.fitting.law.BrokenPowerLaw;
import dev.scalelab.fitting.law.ChinchillaLaw;
import dev.scalelab.fitting.law.KaplanLaw;
import dev.scalelab.fitting.law.Point;
import dev.scalelab.fitting.law.PowerLaw;
import dev.scalelab.fitting.law.SaturatingPowerLaw;
import dev.scalelab.fitting.law.ScalingLaw;
import dev.scalelab.fitting.law.Variable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
    private final FlopCount flops;

    public Predictor(FitCard card, String source) {
        this.card = card.validated(source);
        this.flops = card.flops();
    }

    /** Compute-optimal allocation and loss at a budget (chinchilla, isoflop), or the loss at C (one-variable in flops). */
    public Prediction atBudget(double budget) {
        Map<String, Double> in = Map.of("flops", budget);
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        switch (card.law()) {
            case "chinchilla" -> {
                outputs.put("params", p -> chinchilla(p).optimum(budget, flops).params());
                outputs.put("tokens", p -> chinchilla(p).optimum(budget, flops).tokens());
                outputs.put("tokensPerParam", p -> {
                    ChinchillaLaw.Allocation a = chinchilla(p).optimum(budget, flops);
                    return a.tokens() / a.params();
                });
                outputs.put("loss", p -> {
                    ChinchillaLaw law = chinchilla(p);
                    ChinchillaLaw.Allocation a = law.optimum(budget, flops);
                    return law.loss(a.params(), a.tokens());
                });
            }
            case "isoflop", "envelope" -> {
                outputs.put("params", p -> p.get("k_N") * Math.pow(budget, p.get("a")));
                outputs.put("tokens", p -> p.get("k_D") * Math.pow(budget, p.get("b")));
                outputs.put("tokensPerParam", p -> p.get("k_D") * Math.pow(budget, p.get("b"))
                        / (p.get("k_N") * Math.pow(budget, p.get("a"))));
            }
            case "kaplan" -> throw new InvalidInputException("command line", 0, "--flops",
                    "a kaplan card predicts the loss of a given model", "give --params N and --tokens D");
            default -> {
                requireVariable(Variable.FLOPS, "--flops");
                outputs.put("loss", p -> oneVariable(p).predict(new Point(Double.NaN, Double.NaN, budget)));
            }
        }
        return evaluate(in, outputs);
    }

    /** The loss of a model of {@code params} parameters trained on {@code tokens} tokens (either may be NaN if unused). */
    public Prediction atModel(double params, double tokens) {
        Map<String, Double> in = new LinkedHashMap<>();
        Map<String, Function<Map<String, Double>, Double>> outputs = new LinkedHashMap<>();
        switch (card.law()) {
            case "chinchilla" -> {
                if (Double.isNaN(params) || Double.isNaN(tokens)) {
                    throw new InvalidInputException("command line", 0, "--params/--tokens",
                            "the chinchilla law needs both --params and --tokens", "give both, or --flops for the optimum");
                }
                in.put("params", params);
                in.put("tokens", tokens);
                outputs.put("loss", p -> chinchilla(p).loss(params, tokens));
            }
            case "kaplan" -> {
                if (Double.isNaN(params) || Double.isNaN(tokens)) {
                    throw new InvalidInputException("command line", 0, "--params/--tokens",
                            "Kaplan's law needs both --params and --tokens", "give both");
                }
                in.put("params", params);
                in.put("tokens", tokens);
                outputs.put("loss", p -> new KaplanLaw(p.get("N_c"), p.get("D_c"), p.get("alpha_N"), p.get("alpha_D"))
                        .predict(new Point(params, tokens, Double.NaN)));
            }
            case "isoflop", "envelope" -> throw new InvalidInputException("command line", 0, "--params",
                    "an " + card.law() + " card predicts allocations, not losses", "use --flops C");
            default -> {
                Variable x = Variable.valueOf(card.variable().toUpperCase(Locale.ROOT));
                double value = x == Variable.PARAMS ? params : tokens;
                if (x == Variable.FLOPS || Double.isNaN(value)) {
                    throw new InvalidInputException("command line", 0, "--" + x.id(),
                            "this " + card.law() + " law is a function of " + x.id(), "give --" + x.id());
                }
                in.put(x.id(), value);
                outputs.put("loss", p -> oneVariable(p).predict(new Point(params, tokens, Double.NaN)));
            }
        }
        return evaluate(in, outputs);
    }

    private Prediction evaluate(Map<String, Double> in, Map<String, Function<Map<String, Double>, Double>> outputs) {
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

    private void requireVariable(Variable x, String option) {
        if (card.variable() == null || !card.variable().equals(x.id())) {
            throw new InvalidInputException("command line", 0, option, "this " + card.law() + " law is a function of "
                    + card.variable(), "give --" + card.variable());
        }
    }

    private static ChinchillaLaw chinchilla(Map<String, Double> p) {
        return new ChinchillaLaw(p.get("E"), p.get("A"), p.get("B"), p.get("alpha"), p.get("beta"));
    }

    private ScalingLaw oneVariable(Map<String, Double> p) {
        Variable x = Variable.valueOf(card.variable().toUpperCase(Locale.ROOT));
        return switch (card.law()) {
            case "power" -> new PowerLaw(x, p.get("A"), p.get("alpha"));
            case "broken" -> new BrokenPowerLaw(x, p.get("a"), p.get("b"), p.get("c0"), p.get("c1"), p.get("d1"), p.get("f1"));
            default -> new SaturatingPowerLaw(x, p.get("E"), p.get("A"), p.get("alpha"));
        };
    }
}
