package dev.scalelab.fitting;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.fitting.fit.Envelope;
import dev.scalelab.fitting.fit.FitStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Approach 1 of Hoffmann et al. (2022): the lower envelope of training curves, then power laws through it. */
final class EnvelopeSpec extends AllocationSpec {
    /** Envelope samples on the FLOP grid (Hoffmann et al. used 1,500; 250 resolve the curves here). */
    static final int SAMPLES = 250;

    @Override
    public String summary() {
        return "(approach 1: the lower envelope of training curves, rows grouped by their run column, then the "
                + "same power laws)";
    }

    @Override
    public FitCard fit(FitData d, Fitter.Options o) {
        double[] params = d.params();
        double[] tokens = d.tokens();
        double[] flops = d.flops();
        double[] loss = d.loss();
        String[] run = new String[loss.length];
        for (int i = 0; i < run.length; i++) {
            run[i] = d.table().observations().get(i).run();
            if (run[i] == null) {
                throw new InvalidInputException(d.table().source(), 0, "run", "approach 1 needs a run column naming "
                        + "each row's training run (rows of one run form its curve)", "add a run column");
            }
        }
        Envelope.Result r = Envelope.fit(run, params, tokens, flops, loss, null, SAMPLES);
        Map<String, Double> values = values(r.a(), r.b(), r.paramsCoef(), r.tokensCoef());
        List<String> runs = java.util.Arrays.stream(run).distinct().toList();
        FitCards.Resampled boot = FitCards.resample(o, runs.size(), new ArrayList<>(values.keySet()), (k, counts) -> {
            java.util.Set<String> keep = new java.util.HashSet<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    keep.add(runs.get(i));
                }
            }
            Envelope.Result b = Envelope.fit(run, params, tokens, flops, loss, keep, SAMPLES);
            return FitCards.values(values(b.a(), b.b(), b.paramsCoef(), b.tokensCoef()));
        });
        String formula = String.format(Locale.ROOT, "N* = %.6g * C^%.6g, D* = %.6g * C^%.6g",
                r.paramsCoef(), r.a(), r.tokensCoef(), r.b());
        double sse = 0;
        for (Envelope.Point p : r.points()) {
            double res = Math.log(p.params()) - Math.log(r.paramsCoef() * Math.pow(p.flops(), r.a()));
            sse += res * res;
        }
        return new FitCard(FitCard.CARD_VERSION, o.law().id(), null, formula,
                FitCards.estimates(values, boot.intervals()),
                new FitCard.Objective("sum of squared residuals of log N* against log C over the envelope", sse),
                new FitCard.Starts(SAMPLES + " log-spaced FLOP values", r.runs(), r.runs()),
                FitStatus.CONVERGED, loss.length, d.table().excluded(), FitCards.dataHash(d.table()), o.flops(), null,
                r.points(), boot.detail(), null, null, o.version(), o.command());
    }
}
