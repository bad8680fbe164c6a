package dev.scalelab.core.run;

import java.util.Map;

/**
 * The outcome of one training run, written as {@code result.json} in the run's folder.
 *
 * @param runId              content hash of the spec
 * @param spec               the resolved spec
 * @param status             how the run ended
 * @param message            why it ended early, or null
 * @param steps              optimizer steps taken
 * @param tokens             training tokens seen
 * @param flops              training FLOPs under each convention, keyed by the convention's id
 * @param params             parameter counts: non-embedding (Kaplan et al. 2020) and total (Hoffmann et al. 2022)
 * @param finalValLoss       validation loss at the end, nats/token (NaN if diverged before any evaluation)
 * @param bestValLoss        the lowest validation loss seen
 * @param bestStep           the step of the best validation loss
 * @param corpusEntropyNats  the loss no model can beat on the run's windows (the corpus's window floor,
 *                           equal to its entropy rate unless windows start at episode boundaries), or NaN
 * @param validationFloorNats the mean true surprisal of the run's own validation sample (what its
 *                           validation loss approaches on those windows), or NaN when the corpus does not know it
 * @param epochs             passes over a finite corpus's training split (text:FILE), NaN for unbounded streams
 * @param wallSeconds        wall time spent training, over all sessions of a resumed run
 * @param tokensPerSecond    training throughput (tokens / training seconds)
 * @param threads            threads used
 * @param classifier         native build used
 */
public record RunResult(String runId, TrainSpec spec, RunStatus status, String message, long steps, long tokens,
                        Map<String, Double> flops, ParamCounts params, double finalValLoss,
                        double bestValLoss, long bestStep, double corpusEntropyNats, double validationFloorNats, double epochs, double wallSeconds,
                        double tokensPerSecond, int threads, String classifier) {

    /** Parameters outside the embeddings and output layer, and all of them. */
    public record ParamCounts(long nonEmbedding, long total) {
    }
}
