package dev.scalelab.fitting.fit;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.fitting.law.KaplanLaw;

/** Fits Kaplan et al.'s joint law (eq. 1.5) by least squares on log L over (log N_c, log D_c, α_N, α_D). */
public final class Kaplan {
    public record Result(KaplanLaw law, double[] theta, double objective, int starts, int converged, FitStatus status) {
    }

    private Kaplan() {
    }

    /** @param start a single start (bootstrap refits), or null for the grid */
    public static Result fit(double[] params, double[] tokens, double[] loss, double[] weight, double[] start) {
        if (loss.length <= 4) {
            throw new NoUsableFitException(loss.length + " points cannot determine the 4 parameters of Kaplan's law");
        }
        int n = loss.length;
        double[] ln = new double[n];
        double[] ld = new double[n];
        double[] ll = new double[n];
        for (int i = 0; i < n; i++) {
            ln[i] = Math.log(params[i]);
            ld[i] = Math.log(tokens[i]);
            ll[i] = Math.log(loss[i]);
        }
        double[][] starts;
        if (start != null) {
            starts = new double[][] {start};
        } else {
            // α_N, α_D ∈ {0.05, 0.1, 0.3}; log N_c, log D_c ∈ {20, 30, 40} (Kaplan's: 32.1 and 31.6)
            double[] alphas = {0.05, 0.1, 0.3};
            double[] logs = {20, 30, 40};
            starts = new double[81][];
            int k = 0;
            for (double an : alphas) {
                for (double ad : alphas) {
                    for (double nc : logs) {
                        for (double dc : logs) {
                            starts[k++] = new double[] {nc, dc, an, ad};
                        }
                    }
                }
            }
        }
        CurveFit.Result r = CurveFit.fit((t, i) -> t[3] <= 0 ? Double.NaN
                : KaplanLaw.logLoss(t[0], t[1], t[2], t[3], ln[i], ld[i]), ll, weight, starts);
        if (r.theta() == null) {
            throw new NoUsableFitException("no start of Kaplan's law converged on these data");
        }
        double[] t = r.theta();
        FitStatus status = t[2] <= 1e-6 || t[3] <= 1e-6 ? FitStatus.AT_BOUND : FitStatus.CONVERGED;
        return new Result(new KaplanLaw(Math.exp(t[0]), Math.exp(t[1]), t[2], t[3]), t, r.objective(), r.starts(),
                r.converged(), status);
    }
}
