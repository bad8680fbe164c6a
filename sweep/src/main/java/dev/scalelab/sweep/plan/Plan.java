package dev.scalelab.sweep.plan;

import java.util.List;

/**
 * A resolved sweep: every run, the advisor's warnings, and how the time estimate was made. Written
 * as {@code plan.json} in the sweep folder, which {@code status} and {@code collect} read.
 */
public record Plan(String name, String config, String corpus, String flopConvention, List<PlannedRun> runs,
                   List<String> warnings, String estimate) {
    public double totalSeconds() {
        return runs.stream().mapToDouble(PlannedRun::estimatedSeconds).sum();
    }
}
