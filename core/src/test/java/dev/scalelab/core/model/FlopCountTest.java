package dev.scalelab.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FlopCountTest {
    private static final ModelFamily KAPLAN_MINI = new ModelFamily(2, null, 16, 128, 512);

    @Test
    void theFamilyContinuedMatchesEveryMemberExactlyCounted() {
        for (FlopConvention c : FlopConvention.values()) {
            for (int d : new int[] {16, 32, 48, 96, 256, 1024}) {
                ModelShape s = KAPLAN_MINI.shape(d);
                double continued = KAPLAN_MINI.flopsPerToken(c, s.nonEmbeddingParams());
                assertThat(continued).as(c + " d=" + d).isCloseTo(s.flopsPerToken(c), within(1e-9 * s.flopsPerToken(c)));
            }
        }
        ModelFamily byAspect = new ModelFamily(null, 32, 16, 64, 256);
        ModelShape s = byAspect.shape(128); // 4 layers
        assertThat(s.layers()).isEqualTo(4);
        assertThat(byAspect.flopsPerToken(FlopConvention.CHINCHILLA, s.nonEmbeddingParams()))
                .isCloseTo(s.flopsPerToken(FlopConvention.CHINCHILLA), within(1e-9 * s.flopsPerToken(FlopConvention.CHINCHILLA)));
    }

    @Test
    void sixNIsProportionalAndTheOthersNeedTheFamily() {
        FlopCount six = FlopCount.of(FlopConvention.SIX_N, null);
        assertThat(six.proportional()).isTrue();
        assertThat(six.tokens(6e12, 1e6)).isEqualTo(1e6);
        assertThat(six.paramsAtRatio(6e12, 20)).isEqualTo(Math.sqrt(6e12 / (6 * 20.0)));
        assertThatThrownBy(() -> FlopCount.of(FlopConvention.SIX_N_ATTENTION, null)).hasMessageContaining("family");
        assertThat(new FlopCount(FlopConvention.SIX_N_ATTENTION, null, null, null).problem()).contains("family missing");
        assertThat(FlopCount.proportional(-6).problem()).contains("not a positive number");
        // a k given by hand is C = k·N·D under no named convention (it is not 6N)
        FlopCount five = FlopCount.proportional(5);
        assertThat(five.convention()).isNull();
        assertThat(five.problem()).isNull();
        assertThat(five.label()).isEqualTo("C = 5·N·D");
        assertThat(five.tokens(5e12, 1e6)).isEqualTo(1e6);
        assertThat(FlopCount.SIX_N.label()).isEqualTo("6N");
    }

    @Test
    void attentionCountsTheContextThatSixNLeavesOut() {
        FlopCount attention = FlopCount.of(FlopConvention.SIX_N_ATTENTION, KAPLAN_MINI);
        ModelShape s = KAPLAN_MINI.shape(64);
        double n = s.nonEmbeddingParams();
        // 6N + 6·layers·context·d (Kaplan et al. 2020, Table 1), written out here
        double perToken = 6 * n + 6.0 * 2 * 128 * 64;
        assertThat(attention.tokens(1e12, n)).isCloseTo(1e12 / perToken, within(1e-6 * 1e12 / perToken));
        // the budget at which D = 20·N holds, solved by bisection, satisfies its definition
        double at = attention.paramsAtRatio(3e13, 20);
        assertThat(attention.flopsPerToken(at) * 20 * at).isCloseTo(3e13, within(3e13 * 1e-9));
        assertThat(at).isLessThan(FlopCount.SIX_N.paramsAtRatio(3e13, 20));
        assertThat(attention.flopsPerToken(attention.maxParams(1e12))).isCloseTo(1e12, within(1e12 * 1e-9));
    }

    @Test
    void aCountOverTotalParametersMatchesEveryMemberAndChargesTheBudgetOnNonEmbedding() {
        int perWidth = 512 + 128; // tied output: token and position embeddings
        FlopCount six = FlopCount.SIX_N.over(ParamCount.TOTAL, KAPLAN_MINI, perWidth);
        assertThat(six.params()).isEqualTo(ParamCount.TOTAL);
        assertThat(six.proportional()).isFalse();
        assertThat(six.problem()).isNull();
        for (int d : new int[] {16, 32, 48, 96, 256}) {
            ModelShape s = KAPLAN_MINI.shape(d);
            double total = s.totalParams(true);
            assertThat(six.nonEmbedding(total)).as("d=" + d)
                    .isCloseTo(s.nonEmbeddingParams(), within(1e-9 * s.nonEmbeddingParams()));
            // the budget is 6N' D, N' the non-embedding count: the count the sweep planned with
            assertThat(six.flopsPerToken(total)).isCloseTo(6.0 * s.nonEmbeddingParams(), within(1e-6 * s.nonEmbeddingParams()));
        }
        // tokens at a budget and its inverse agree at a total-parameter N
        double n = six.paramsAtRatio(3e13, 20);
        assertThat(six.tokens(3e13, n)).isCloseTo(20 * n, within(20 * n * 1e-9));
        assertThat(six.describe()).contains("N = N' + 640·d").contains("C = 6·N'·D");
        assertThat(FlopCount.SIX_N.over(ParamCount.NON_EMBEDDING, KAPLAN_MINI, perWidth)).isSameAs(FlopCount.SIX_N);
        assertThatThrownBy(() -> FlopCount.proportional(5).over(ParamCount.TOTAL, KAPLAN_MINI, perWidth))
                .hasMessageContaining("no model family");
        assertThat(new FlopCount(FlopConvention.SIX_N, null, null, perWidth).problem()).contains("family missing");
        assertThat(ParamCount.parse("total")).isEqualTo(ParamCount.TOTAL);
        assertThat(ParamCount.parse("non-embedding")).isEqualTo(ParamCount.NON_EMBEDDING);
        assertThatThrownBy(() -> ParamCount.parse("all")).hasMessageContaining("give non-embedding or total");
    }
}
