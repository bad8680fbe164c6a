package dev.scalelab.sweep.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.scalelab.core.io.AtomicFiles;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The config of a run that checks a prediction: a sweep's own config with one budget (the target)
 * and one size, the member nearest the predicted optimum at its tokens per parameter, chosen among
 * every multiple of the head size within the family's widths.
 */
public final class CheckRunConfig {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    private CheckRunConfig() {
    }

    /**
     * @param sweep          the sweep's config
     * @param targetFlops    the budget the prediction is for
     * @param tokensPerParam the predicted optimum's tokens per parameter, D* over N*
     * @param threads        threads for the one run
     */
    public static SweepConfig of(SweepConfig sweep, double targetFlops, double tokensPerParam, int threads) {
        SweepConfig.Family f = sweep.family();
        List<Integer> widths = f.widths();
        if (f.headSize() != null && f.headSize() > 0 && widths != null && !widths.isEmpty()) {
            int smallest = widths.stream().mapToInt(Integer::intValue).min().orElseThrow();
            int largest = widths.stream().mapToInt(Integer::intValue).max().orElseThrow();
            widths = new ArrayList<>();
            for (int w = smallest; w <= largest; w += f.headSize()) {
                widths.add(w);
            }
        }
        SweepConfig.Family family = new SweepConfig.Family(widths, f.layers(), f.aspectRatio(), f.headSize(), f.context(),
                f.untied());
        SweepConfig.Grid grid = new SweepConfig.Grid("isoflop", List.of(targetFlops), 1, null, tokensPerParam, null,
                null, null, null);
        SweepConfig.Training t = sweep.training() == null ? SweepConfig.Training.DEFAULTS : sweep.training();
        SweepConfig.Training training = new SweepConfig.Training(t.lr(), t.lrWidth(), t.lrExponent(), t.batch(),
                t.schedule(), t.warmup(), t.weightDecay(), t.seed(), threads, t.evals(), t.evalBatches(), t.evalSeed(),
                t.gradClip(), t.precision());
        String name = (sweep.name() == null ? "quickstart" : sweep.name()) + "-check";
        return new SweepConfig(name, sweep.corpus(), family, grid, training, sweep.flopConvention());
    }

    /** Writes a config as YAML that {@link ConfigLoader#load} reads back to the same record, atomically. */
    public static void write(Path file, SweepConfig config) {
        try {
            AtomicFiles.writeString(file, YAML.writeValueAsString(config));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
