package dev.scalelab.fitting.fit;

import dev.scalelab.fitting.law.ChinchillaLaw;

import java.util.Random;

/** Seeded IsoFLOP tables from a known Chinchilla surface, with log-normal noise. */
final class Synthetic {
    /** Hoffmann et al. 2022's fitted surface (their eq. 10). */
    static final ChinchillaLaw HOFFMANN = new ChinchillaLaw(1.69, 406.4, 410.7, 0.34, 0.28);

    final double[] params;
    final double[] tokens;
    final double[] flops;
    final double[] loss;

    private Synthetic(int n) {
        params = new double[n];
        tokens = new double[n];
        flops = new double[n];
        loss = new double[n];
    }

    /**
     * {@code budgets} budgets log-spaced over [1e18, 1e21], {@code sizes} model sizes per budget
     * log-spaced over a factor {@code spread} around the surface's optimum times {@code offCentre},
     * tokens = C / (6N), loss × exp(σ·z).
     */
    static Synthetic isoflop(ChinchillaLaw law, int budgets, int sizes, double spread, double offCentre,
                             double sigma, long seed) {
        Synthetic s = new Synthetic(budgets * sizes);
        Random rng = new Random(seed);
        int k = 0;
        for (int i = 0; i < budgets; i++) {
            double c = Math.pow(10, 18 + 3.0 * i / Math.max(1, budgets - 1));
            double centre = law.optimalParams(c, 6) * offCentre;
            for (int j = 0; j < sizes; j++) {
                double n = centre * Math.pow(spread, (j / (double) (sizes - 1)) - 0.5);
                double d = c / (6 * n);
                s.params[k] = n;
                s.tokens[k] = d;
                s.flops[k] = c;
                s.loss[k] = law.loss(n, d) * Math.exp(sigma * rng.nextGaussian());
                k++;
            }
        }
        return s;
    }

    Approach3.Data data() {
        return Approach3.Data.of(params, tokens, loss);
    }
}
