package dev.scalelab.sweep.plan;

import dev.scalelab.core.run.TrainSpec;

/**
 * One run of a sweep.
 *
 * @param runId            the spec's content hash
 * @param budget           the FLOP budget it belongs to (isoflop), or null
 * @param spec             the resolved training spec
 * @param params           non-embedding parameters
 * @param flops            training FLOPs under the sweep's convention
 * @param estimatedSeconds predicted wall time on this machine
 */
public record PlannedRun(String runId, Double budget, TrainSpec spec, long params, double flops,
                         double estimatedSeconds) {
}
