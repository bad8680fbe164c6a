package dev.scalelab.fitting.law;

import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.core.model.ModelFamily;
import dev.scalelab.core.model.ModelShape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChinchillaOptimumTest {
    /** Hoffmann et al. 2022's fitted surface (approach 3). */
    private static final ChinchillaLaw HOFFMANN = new ChinchillaLaw(1.69, 406.4, 410.7, 0.34, 0.28);

    @Test
    void underSixNTheOptimumIsEquationFour() {
        ChinchillaLaw.Allocation a = HOFFMANN.optimum(1e21, FlopCount.SIX_N);
        assertThat(a.params()).isEqualTo(HOFFMANN.optimalParams(1e21, 6));
        assertThat(a.tokens()).isEqualTo(HOFFMANN.optimalTokens(1e21, 6));
    }

    @Test
    void underAShapedCountTheOptimumIsTheBestMemberAlongTheBudget() {
        ModelFamily family = new ModelFamily(2, null, 16, 128, 512);
        for (FlopConvention c : new FlopConvention[] {FlopConvention.SIX_N_ATTENTION, FlopConvention.CHINCHILLA}) {
            FlopCount count = FlopCount.of(c, family);
            for (double budget : new double[] {1e12, 1e14, 1e16}) {
                ChinchillaLaw.Allocation a = HOFFMANN.optimum(budget, count);
                // brute force over the family's exactly counted members (width 16..8192, every multiple of 16)
                double bestLoss = Double.POSITIVE_INFINITY;
                int bestWidth = 0;
                for (int d = 16; d <= 8192; d += 16) {
                    ModelShape s = family.shape(d);
                    double tokens = budget / s.flopsPerToken(c);
                    double loss = HOFFMANN.loss(s.nonEmbeddingParams(), tokens);
                    if (loss < bestLoss) {
                        bestLoss = loss;
                        bestWidth = d;
                    }
                }
                double optimumLoss = HOFFMANN.loss(a.params(), a.tokens());
                assertThat(optimumLoss).as(c + " at " + budget).isLessThanOrEqualTo(bestLoss + 1e-12);
                // between the best member's neighbours (the loss is convex along the budget)
                assertThat(a.params()).as(c + " at " + budget).isBetween(
                        (double) family.shape(Math.max(16, bestWidth - 16)).nonEmbeddingParams(),
                        (double) family.shape(bestWidth + 16).nonEmbeddingParams());
                assertThat(bestWidth).isBetween(32, 8192 - 16);
                // the budget is spent: C = f(N*)·D*
                assertThat(a.tokens() * count.flopsPerToken(a.params())).isCloseTo(budget, within(budget * 1e-9));
                // 6N's answer (which the report gave before the count was the sweep's own) overspends the budget
                double sixN = HOFFMANN.optimalParams(budget, 6);
                assertThat(HOFFMANN.optimalTokens(budget, 6) * count.flopsPerToken(sixN)).as(c + " at " + budget)
                        .isGreaterThan(1.005 * budget);
            }
        }
    }
}
