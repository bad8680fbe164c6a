package dev.scalelab.fitting.law;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The data-constrained law against the values its authors published (huggingface/datablations README,
 * "Parametric Fit"; ../shared/data/datablations/SOURCE.md): their parameters, their two worked values.
 */
class DataConstrainedLawTest {
    /** a, b, e are logs of A, B, E; α = β; R_D*, R_N* fitted on the 182 runs of fit182.csv. */
    static final DataConstrainedLaw PUBLISHED = new DataConstrainedLaw(Math.exp(0.6254804), Math.exp(6.255414),
            Math.exp(7.3049974), 0.3526596, 0.3526596, 15.387756, 5.309743);

    @Test
    void thePublishedParametersGiveThePublishedWorkedValues() {
        assertThat(PUBLISHED.loss(6.34e9, 242e9, 25e9)).isCloseTo(2.2256440889984477, within(1e-9));
        assertThat(PUBLISHED.loss(8.67e9, 178e9, 25e9)).isCloseTo(2.2269634075087867, within(1e-9));
        // the Chinchilla-optimal size for 25B tokens, as the source computes it (1,274,662,941.34)
        assertThat(PUBLISHED.paramsForTokens(25e9)).isCloseTo(1_274_662_941.34, within(0.01));
    }

    @Test
    void oneEpochOnAModelTheDataCanUseIsTheChinchillaSurface() {
        ChinchillaLaw chinchilla = new ChinchillaLaw(PUBLISHED.e(), PUBLISHED.a(), PUBLISHED.b(), PUBLISHED.alpha(),
                PUBLISHED.beta());
        double u = 25e9;
        for (double n : new double[] {1e8, 5e8, PUBLISHED.paramsForTokens(u)}) {
            assertThat(PUBLISHED.loss(n, u, u)).isCloseTo(chinchilla.loss(n, u), within(1e-12));
        }
        // and N*(U) is where the surface's compute-optimal frontier puts U tokens (C = 6ND)
        double n = PUBLISHED.paramsForTokens(u);
        assertThat(chinchilla.optimalTokens(6 * n * u, 6)).isCloseTo(u, within(u * 1e-9));
    }

    @Test
    void repeatedDataAndExcessParametersAreWorthLessThanFreshButNeverNothing() {
        double u = 1e9;
        // four epochs are worth almost four (Muennighoff et al.: up to about 4 epochs repeat like new data) ...
        assertThat(PUBLISHED.effectiveTokens(4 * u, u) / u).isBetween(3.5, 4.0);
        // ... and no number of epochs is worth more than 1 + R_D* of them
        assertThat(PUBLISHED.effectiveTokens(1e6 * u, u) / u).isCloseTo(1 + PUBLISHED.rdStar(), within(1e-6));
        double base = PUBLISHED.paramsForTokens(u);
        assertThat(PUBLISHED.effectiveParams(100 * base, u) / base).isBetween(1.0, 1 + PUBLISHED.rnStar());
        // more repeats never raise the loss, but they lower it less than fresh tokens do
        double repeated = PUBLISHED.loss(base, 8 * u, u);
        assertThat(repeated).isLessThan(PUBLISHED.loss(base, 4 * u, u)).isGreaterThan(PUBLISHED.loss(base, 8 * u, 8 * u));
    }
}
