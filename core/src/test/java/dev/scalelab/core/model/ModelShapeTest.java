package dev.scalelab.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelShapeTest {
    // Hand-computed: d=64, 2 layers: per block 12·64² + 13·64 = 49,984; two blocks plus the final norm (128).
    private final ModelShape small = new ModelShape(2, 2, 64, 128, 256);

    @Test
    void countsParametersOfASmallModelExactly() {
        assertThat(small.nonEmbeddingParams()).isEqualTo(100_096L);
        assertThat(small.embeddingParams()).isEqualTo(256 * 64 + 128 * 64);
        assertThat(small.totalParams(true)).isEqualTo(124_672L);
        assertThat(small.totalParams(false)).isEqualTo(141_056L);
        assertThat(small.headDim()).isEqualTo(32);
        assertThat(small.mlpWidth()).isEqualTo(256);
    }

    @Test
    void nonEmbeddingCountApproachesKaplansTwelveLayerDSquared() {
        ModelShape big = new ModelShape(24, 16, 2048, 1024, 50_257);
        double kaplan = 12.0 * 24 * 2048 * 2048;
        assertThat(big.nonEmbeddingParams() / kaplan).isCloseTo(1.0, within(0.001));
    }

    @Test
    void pinsFlopsPerTokenUnderEachConvention() {
        assertThat(small.flopsPerToken(FlopConvention.SIX_N)).isEqualTo(600_576.0);
        // adds 6·layers·context·dModel = 6·2·128·64 = 98,304
        assertThat(small.flopsPerToken(FlopConvention.SIX_N_ATTENTION)).isEqualTo(698_880.0);
        // forward: embeddings 32,768 + 2 × 131,840 per layer + logits 32,768 = 329,216; ×3 with backward
        assertThat(small.flopsPerToken(FlopConvention.CHINCHILLA)).isEqualTo(987_648.0);

        ModelShape medium = new ModelShape(4, 4, 256, 128, 512);
        assertThat(medium.flopsPerToken(FlopConvention.SIX_N)).isEqualTo(18_957_312.0);
        assertThat(medium.flopsPerToken(FlopConvention.SIX_N_ATTENTION)).isEqualTo(19_743_744.0);
        assertThat(medium.flopsPerToken(FlopConvention.CHINCHILLA)).isEqualTo(22_038_528.0);
    }

    @Test
    void conventionsConvergeForWideModelsAndDivergeForSmallOnes() {
        // Small models: embeddings and logits dominate what 6N leaves out.
        double smallRatio = small.flopsPerToken(FlopConvention.CHINCHILLA) / small.flopsPerToken(FlopConvention.SIX_N);
        assertThat(smallRatio).isCloseTo(1.6445, within(1e-4));
        // Wide models: 72·d² per layer under both, so the ratio tends to 1 (Hoffmann et al. 2022, Table A4).
        ModelShape wide = new ModelShape(32, 32, 4096, 128, 256);
        double wideRatio = wide.flopsPerToken(FlopConvention.CHINCHILLA) / wide.flopsPerToken(FlopConvention.SIX_N);
        assertThat(wideRatio).isCloseTo(1.0053, within(1e-4));
        assertThat(wide.flopsPerToken(FlopConvention.SIX_N_ATTENTION))
                .isGreaterThan(wide.flopsPerToken(FlopConvention.SIX_N));
    }

    @Test
    void rejectsImpossibleShapesWithTheOffendingValue() {
        assertThatThrownBy(() -> new ModelShape(2, 3, 64, 128, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heads (3) must divide dModel (64)");
        assertThatThrownBy(() -> new ModelShape(0, 2, 64, 128, 256)).hasMessageContaining("layers must be positive, got 0");
        assertThatThrownBy(() -> new ModelShape(2, 2, 64, -1, 256)).hasMessageContaining("context must be positive, got -1");
        assertThatThrownBy(() -> new ModelShape(2, 2, 64, 128, 0)).hasMessageContaining("vocab");
        assertThatThrownBy(() -> new ModelShape(2, 0, 64, 128, 256)).hasMessageContaining("heads");
    }

    @Test
    void parsesConventionNamesAndAliases() {
        assertThat(FlopConvention.fromId("6N")).isEqualTo(FlopConvention.SIX_N);
        assertThat(FlopConvention.fromId("6nd")).isEqualTo(FlopConvention.SIX_N);
        assertThat(FlopConvention.fromId("6N+attention")).isEqualTo(FlopConvention.SIX_N_ATTENTION);
        assertThat(FlopConvention.fromId(" Chinchilla-Exact ")).isEqualTo(FlopConvention.CHINCHILLA);
        assertThat(FlopConvention.CHINCHILLA.toString()).isEqualTo("chinchilla");
        assertThatThrownBy(() -> FlopConvention.fromId("8N"))
                .hasMessageContaining("unknown FLOP convention '8N'").hasMessageContaining("6N, 6N+attention, chinchilla");
    }
}
