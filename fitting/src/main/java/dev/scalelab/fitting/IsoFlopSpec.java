package dev.scalelab.fitting;

import dev.scalelab.fitting.fit.FitStatus;
import dev.scalelab.fitting.fit.IsoFlop;

import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;

/** Approach 2 of Hoffmann et al. (2022): a parabola per budget, then power laws through the vertices. */
final class IsoFlopSpec extends AllocationSpec {
    @Override
    public String summary() {
        return "(approach 2: a parabola per budget, then N* = k_N·C^a and D* = k_D·C^b)";
    }

    @Override
    public FitCard fit(FitData d, Fitter.Options o) {
        double[] budget = d.budget();
        double[] params = d.params();
        double[] tokens = d.tokens();
        double[] loss = d.loss();
        IsoFlop.Result r = IsoFlop.fit(budget, params, tokens, loss, null, o.isoflopWindow());
        Map<String, Double> values = values(r);
        FitCards.Resampled boot = FitCards.resample(o, loss.length, new ArrayList<>(values.keySet()),
                (k, counts) -> FitCards.values(values(IsoFlop.fit(budget, params, tokens, loss, counts,
                        o.isoflopWindow()))));
        String formula = String.format(Locale.ROOT, "N* = %.6g * C^%.6g, D* = %.6g * C^%.6g",
                r.paramsCoef(), r.a(), r.tokensCoef(), r.b());
        double sse = 0;
        for (IsoFlop.Vertex v : r.vertices()) {
            double res = Math.log(v.params()) - Math.log(r.optimalParams(v.budget()));
            sse += res * res;
        }
        return new FitCard(FitCard.CARD_VERSION, o.law().id(), null, formula,
                FitCards.estimates(values, boot.intervals()),
                new FitCard.Objective("sum of squared residuals of log N* against log C", sse),
                new FitCard.Starts("one parabola per budget", r.vertices().size() + r.skipped().size(),
                        r.vertices().size()),
                FitStatus.CONVERGED, loss.length, d.table().excluded(), FitCards.dataHash(d.table()), o.flops(),
                new FitCard.IsoFlopDetail(o.isoflopWindow(), r.vertices(), r.skipped()), null, boot.detail(), null, null,
                o.version(), o.command());
    }

    private static Map<String, Double> values(IsoFlop.Result r) {
        return values(r.a(), r.b(), r.paramsCoef(), r.tokensCoef());
    }
}
