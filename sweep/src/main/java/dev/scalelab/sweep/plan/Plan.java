package dev.scalelab.sweep.plan;

import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.core.model.ModelFamily;
import dev.scalelab.core.model.ParamCount;
import dev.scalelab.core.run.TrainSpec;

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

    /**
     * The same count with N read as {@code params}: for total parameters, N = N' + e·d with e = vocab +
     * context (+ vocab when the output layer is untied), the embeddings of this sweep's members.
     */
    public FlopCount flops(ParamCount params) {
        if (params == ParamCount.NON_EMBEDDING) {
            return flops();
        }
        if (family == null || runs.isEmpty()) {
            throw new IllegalArgumentException("a plan.json without a model family or runs cannot count total parameters");
        }
        TrainSpec spec = runs.get(0).spec();
        int vocab = spec.shape().vocab();
        int perWidth = vocab + spec.shape().context() + (spec.tiedOutput() ? 0 : vocab);
        return flops().over(params, family, perWidth);
    }

    public double totalSeconds() {
        return runs.stream().mapToDouble(PlannedRun::estimatedSeconds).sum();
    }
}
