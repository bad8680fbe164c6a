package dev.scalelab.sweep.plan;

import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.core.model.ModelFamily;

import java.util.List;

/**
 * A resolved sweep: every run, the advisor's warnings, and how the time estimate was made. Written
 * as {@code plan.json} in the sweep folder, which {@code status}, {@code collect} and {@code report} read.
 *
 * @param family the family's shape rule, which the 6N+attention and Chinchilla FLOP counts need
 */
public record Plan(String name, String config, String corpus, FlopConvention flopConvention, ModelFamily family,
                   List<PlannedRun> runs, List<String> warnings, String estimate) {
    /** How this sweep's compute becomes parameters and tokens (a plan.json from before families: 6N only). */
    public FlopCount flops() {
        return FlopCount.of(flopConvention, family);
    }

    public double totalSeconds() {
        return runs.stream().mapToDouble(PlannedRun::estimatedSeconds).sum();
    }
}
