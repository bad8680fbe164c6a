package dev.scalelab.sweep.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A sweep, as written in {@code configs/*.yaml}: the corpus, the model family, the grid of runs,
 * and the training defaults. Unknown keys are errors; numbers may be written as 1e18.
 *
 * @param name           the sweep's name
 * @param corpus         a corpus id (synthetic, arithmetic[:...], modular[:...], markov, text:FILE)
 * @param family         how shapes grow with size
 * @param grid           which (size, tokens) pairs to train
 * @param training       optimiser and evaluation settings shared by every run
 * @param flopConvention 6N, 6N+attention or chinchilla: how budgets become tokens
 */
public record SweepConfig(String name, String corpus, Family family, Grid grid, Training training,
                          String flopConvention) {
    /**
     * The model family: candidate widths, depth by a fixed count or an aspect ratio (layers =
     * width / aspectRatio, at least 1), heads of {@code headSize} dimensions.
     */
    public record Family(List<Integer> widths, Integer layers, Integer aspectRatio, Integer headSize, Integer context,
                         Boolean untied) {
    }

    /**
     * @param kind           isoflop, grid, ladder or curves
     * @param budgets        FLOP budgets (isoflop)
     * @param sizesPerBudget model sizes per budget (isoflop)
     * @param spread         the sizes of a budget span this factor around its predicted optimum (isoflop)
     * @param tokensPerParam the predicted optimum's D/N (isoflop), or every run's (ladder)
     * @param tokens         token counts (grid, curves)
     * @param widths         the family widths to use (grid, ladder, curves); all when absent
     * @param evals          evaluations per run (curves: their logged checkpoints)
     * @param replicates     seeds per replicated point (default 1, none): each isoflop budget's size nearest its
     *                       predicted optimum, or every point of another grid, is trained with training seeds
     *                       seed, seed+1, ..., seed+K−1 (the validation sample stays), so the run-to-run spread
     *                       is measured
     */
    public record Grid(String kind, List<Double> budgets, Integer sizesPerBudget, Double spread, Double tokensPerParam,
                       List<Double> tokens, List<Integer> widths, Integer evals, Integer replicates) {
    }

    /**
     * @param lr            peak learning rate at {@code lrWidth}, scaled by (lrWidth/width)^lrExponent; or
     *                      {@code law FILE}, a fitted learning-rate law that sets each run's ({@link LrLaw})
     * @param warmup        warm-up as a fraction of the run's steps
     * @param evals         evaluations per run
     * @param evalBatches   validation batches of 16 windows per evaluation
     * @param evalSeed      seeds the study's validation sample (default 0), apart from {@code seed}
     * @param precision     of the matrix multiplies: fp32 (default), bf16 or auto ({@code PrecisionChoice})
     */
    public record Training(LearningRate lr, Integer lrWidth, Double lrExponent, Integer batch, String schedule,
                           Double warmup, @JsonProperty("weightDecay") Double weightDecay, Long seed, Integer threads,
                           Integer evals, Integer evalBatches, Long evalSeed, Double gradClip, String precision) {
        /** No training section: every default. */
        public static final Training DEFAULTS = new Training(null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);

        /** This section with the study's seed replaced. */
        public Training withSeed(long s) {
            return new Training(lr, lrWidth, lrExponent, batch, schedule, warmup, weightDecay, s, threads, evals,
                    evalBatches, evalSeed, gradClip, precision);
        }

        /** This section with its learning rate replaced. */
        public Training withLr(LearningRate rate) {
            return new Training(rate, lrWidth, lrExponent, batch, schedule, warmup, weightDecay, seed, threads, evals,
                    evalBatches, evalSeed, gradClip, precision);
        }
    }
}
