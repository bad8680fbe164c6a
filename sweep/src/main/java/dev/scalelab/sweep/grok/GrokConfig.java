package dev.scalelab.sweep.grok;

import java.util.List;

/**
 * A grokking experiment (configs/grok-*.yaml): modular arithmetic, the model, AdamW, the detector's
 * thresholds (scalelab's rule; see Grokking), and optionally the grid of a phase diagram over train
 * fraction × weight decay, its phases those Liu et al. (2022, "Towards Understanding Grokking: An
 * Effective Theory of Representation Learning") name.
 */
public record GrokConfig(String name, Task task, Model model, Training training, Detector detector, Phase phase) {

    /** a ∘ b mod p; the pairs split once (by {@code splitSeed}) into a training fraction and the rest. */
    public record Task(Integer p, String op, Double trainFraction, Long splitSeed) {
    }

    /**
     * @param mlpWidth   MLP hidden width (default 4·dModel)
     * @param activation relu or gelu (default relu)
     * @param layerNorm  whether the model has LayerNorms (default true)
     * @param tiedOutput whether the unembedding is the token embedding (default false)
     * @param initScale  multiplies GPT-2's initial standard deviations (default 1); larger initial
     *                   weights make grokking appear (Liu et al. 2023, "Omnigrok")
     */
    public record Model(Integer layers, Integer dModel, Integer heads, Integer mlpWidth, String activation,
                        Boolean layerNorm, Boolean tiedOutput, Double initScale) {
    }

    /**
     * @param batch        equations per step; 0 (the default) for the full training set
     * @param warmupSteps  linear warm-up, then a constant rate (Power et al. 2022)
     * @param logPoints    evaluations at log-spaced steps (default 80)
     * @param stopAfterGeneralised whether a run ends once both thresholds are crossed (default true)
     */
    public record Training(Double lr, Double beta1, Double beta2, Double weightDecay, Integer batch, Long steps,
                           Long warmupSteps, Long seed, Integer threads, Integer logPoints,
                           Boolean stopAfterGeneralised) {
    }

    /**
     * @param memorised   train accuracy that counts as memorised (default 0.99)
     * @param generalised validation accuracy that counts as generalised (default 0.99)
     * @param grokRatio   generalisation at least this many times later than memorisation is grokking
     *                    (default 3); sooner is comprehension
     */
    public record Detector(Double memorised, Double generalised, Double grokRatio) {
    }

    /** The phase diagram's grid; each cell is a run of this config with that fraction and decay. */
    public record Phase(List<Double> trainFractions, List<Double> weightDecays) {
    }
}
