package dev.scalelab.fitting.law;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Kaplan et al. (2020), eq. 1.5: L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D. */
public record KaplanLaw(double nc, double dc, double alphaN, double alphaD) implements ScalingLaw {
    @Override
    public String formula() {
        return String.format(Locale.ROOT, "L = [(%.6g/N)^(%.6g/%.6g) + %.6g/D]^%.6g", nc, alphaN, alphaD, dc, alphaD);
    }

    @Override
    public Map<String, Double> parameters() {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("N_c", nc);
        p.put("D_c", dc);
        p.put("alpha_N", alphaN);
        p.put("alpha_D", alphaD);
        return p;
    }

    /** log L from logs, stable for N_c ≫ N. */
    public static double logLoss(double logNc, double logDc, double alphaN, double alphaD, double logN, double logD) {
        double t1 = alphaN / alphaD * (logNc - logN);
        double t2 = logDc - logD;
        double m = Math.max(t1, t2);
        return alphaD * (m + Math.log(Math.exp(t1 - m) + Math.exp(t2 - m)));
    }

    @Override
    public double predict(Point p) {
        return Math.exp(logLoss(Math.log(nc), Math.log(dc), alphaN, alphaD, Math.log(p.params()), Math.log(p.tokens())));
    }
}
