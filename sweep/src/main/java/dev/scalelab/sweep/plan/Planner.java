package dev.scalelab.sweep.plan;

import dev.scalelab.core.InvalidInputException;

import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.core.model.ModelFamily;
import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.Precision;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.core.run.TrainingDefaults;
import dev.scalelab.sweep.corpus.Corpora;
import dev.scalelab.sweep.corpus.Corpus;
import dev.scalelab.sweep.tensor.PrecisionChoice;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a sweep config into runs: resolves defaults, builds the family's shapes, lays out the grid,
 * and checks the design before any compute is spent (the advisor).
 */
public final class Planner {
    private Planner() {
    }

    /** A candidate model of the family. */
    record Candidate(ModelShape shape, long params) {
    }

    /** The plan in the config's training.precision (fp32 when it gives none). */
    public static Plan plan(ConfigLoader.Loaded loaded, int threads, String classifier, Throughput throughput) {
        return plan(loaded, threads, null, classifier, throughput);
    }

    /**
     * @param threads    threads per run (recorded in each spec)
     * @param precision  fp32, bf16 or auto, resolved on this machine and recorded in each spec; null for the
     *                   config's training.precision (fp32 when it gives none)
     * @param classifier the native build (recorded in each spec)
     * @param throughput estimates each run's training speed
     */
    public static Plan plan(ConfigLoader.Loaded loaded, int threads, String precision, String classifier,
                            Throughput throughput) {
        SweepConfig c = loaded.config();
        String name = c.name() == null ? loaded.file().getFileName().toString().replaceFirst("\\.ya?ml$", "") : c.name();
        String corpusId = c.corpus() == null ? "synthetic" : c.corpus();
        FlopConvention convention;
        try {
            convention = FlopConvention.fromId(c.flopConvention() == null ? "6N" : c.flopConvention());
        } catch (IllegalArgumentException e) {
            throw loaded.error("flopConvention", e.getMessage(), null);
        }
        if (c.family() == null) {
            throw loaded.error("family", "missing", "give family.widths and family.layers (or aspectRatio)");
        }
        if (c.grid() == null || c.grid().kind() == null) {
            throw loaded.error("grid.kind", "missing", "one of isoflop, grid, ladder, curves");
        }
        noEmptyEntries(loaded, "family.widths", c.family().widths());
        noEmptyEntries(loaded, "grid.budgets", c.grid().budgets());
        noEmptyEntries(loaded, "grid.tokens", c.grid().tokens());
        noEmptyEntries(loaded, "grid.widths", c.grid().widths());
        int context = c.family().context() == null ? 128 : c.family().context();
        Corpus corpus;
        try {
            corpus = Corpora.open(corpusId, context);
        } catch (InvalidInputException e) {
            throw e.within(loaded.file(), loaded.lineOf("corpus"));
        }
        ModelFamily shapes = shapes(loaded, context, corpus.vocabSize());
        List<Candidate> family = family(loaded, shapes);
        FlopCount count = FlopCount.of(convention, shapes);
        SweepConfig.Training t = c.training() == null
                ? SweepConfig.Training.DEFAULTS
                : c.training();
        Precision products;
        try {
            products = PrecisionChoice.resolve(precision != null ? precision : t.precision());
        } catch (IllegalArgumentException e) {
            if (precision != null) {
                throw new InvalidInputException((String) null, 0, "--precision", e.getMessage(), null);
            }
            throw loaded.error("training.precision", e.getMessage(), null);
        }
        List<String> warnings = new ArrayList<>();
        List<Sized> sized = switch (c.grid().kind()) {
            case "isoflop" -> isoflop(loaded, family, convention, count, t, warnings);
            case "grid", "curves" -> grid(loaded, family);
            case "ladder" -> ladder(loaded, family);
            default -> throw loaded.error("grid.kind", "unknown grid kind '" + c.grid().kind() + "'",
                    "use isoflop, grid, ladder or curves");
        };
        int replicates = c.grid().replicates() == null ? 1 : c.grid().replicates();
        if (replicates < 1) {
            throw loaded.error("grid.replicates", replicates + " is below 1", "seeds per replicated point, e.g. 3 (1: none)");
        }
        long seed = t.seed() == null ? TrainingDefaults.SEED : t.seed();
        List<PlannedRun> runs = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (Sized s : sized) {
            for (int r = 0; r < (s.replicated() ? replicates : 1); r++) {
                // a replicate differs only in its training seed: the same model, tokens and validation sample
                TrainSpec spec = spec(loaded, c, corpusId, s.candidate().shape(), s.tokens(),
                        r == 0 ? t : t.withSeed(seed + r), threads, classifier, warnings).withPrecision(products);
                if (seen.putIfAbsent(spec.runId(), true) != null) {
                    continue;
                }
                double flops = spec.tokens() * spec.shape().flopsPerToken(convention);
                runs.add(new PlannedRun(spec.runId(), s.budget(), spec, spec.shape().nonEmbeddingParams(), flops,
                        throughput.estimateSeconds(spec)));
            }
        }
        advise(runs, c.grid(), warnings);
        return new Plan(name, loaded.file().toString(), corpusId, convention, shapes, runs, warnings,
                throughput.describe());
    }

    /** A planned point: its model and tokens, its budget (isoflop), and whether {@code replicates} applies to it. */
    record Sized(Candidate candidate, double tokens, Double budget, boolean replicated) {
    }

    /** A list entry with no value (`[, 3e11]`, a bare YAML anchor) is an error that names it. */
    private static void noEmptyEntries(ConfigLoader.Loaded loaded, String field, List<?> values) {
        if (values == null) {
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw loaded.error(field + "[" + i + "]", "has no value", "give a number there, or remove the entry");
            }
        }
    }

    /** The family's shape rule (depth, head size, context, vocabulary). */
    private static ModelFamily shapes(ConfigLoader.Loaded loaded, int context, int vocab) {
        SweepConfig.Family f = loaded.config().family();
        if (f.layers() != null && f.aspectRatio() != null) {
            throw loaded.error("family.aspectRatio", "give layers or aspectRatio, not both", null);
        }
        int headSize = f.headSize() == null ? 16 : f.headSize();
        if (headSize <= 0) {
            throw loaded.error("family.headSize", headSize + " is not positive", "e.g. 16");
        }
        try {
            return new ModelFamily(f.layers(), f.aspectRatio(), headSize, context, vocab);
        } catch (IllegalArgumentException e) {
            throw loaded.error("family", e.getMessage(), null);
        }
    }

    private static List<Candidate> family(ConfigLoader.Loaded loaded, ModelFamily shapes) {
        SweepConfig.Family f = loaded.config().family();
        if (f.widths() == null || f.widths().isEmpty()) {
            throw loaded.error("family.widths", "missing or empty", "list the model widths, e.g. [32, 64, 128]");
        }
        int headSize = shapes.headSize();
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < f.widths().size(); i++) {
            int d = f.widths().get(i);
            if (d <= 0 || d % headSize != 0) {
                throw loaded.error("family.widths[" + i + "]", "width " + d + " is not a positive multiple of the head size "
                        + headSize, "use multiples of family.headSize");
            }
            try {
                ModelShape shape = shapes.shape(d);
                out.add(new Candidate(shape, shape.nonEmbeddingParams()));
            } catch (IllegalArgumentException e) {
                throw loaded.error("family", e.getMessage(), null);
            }
        }
        out.sort((a, b) -> Long.compare(a.params(), b.params()));
        return out;
    }

    private static List<Sized> isoflop(ConfigLoader.Loaded loaded, List<Candidate> family, FlopConvention convention,
                                       FlopCount count, SweepConfig.Training t, List<String> warnings) {
        SweepConfig.Grid g = loaded.config().grid();
        if (g.budgets() == null || g.budgets().isEmpty()) {
            throw loaded.error("grid.budgets", "missing", "list FLOP budgets, e.g. [1e13, 3e13, 1e14]");
        }
        int sizes = g.sizesPerBudget() == null ? 5 : g.sizesPerBudget();
        double spread = g.spread() == null ? 10 : g.spread();
        double ratio = g.tokensPerParam() == null ? 20 : g.tokensPerParam();
        if (sizes < 1) {
            throw loaded.error("grid.sizesPerBudget", sizes + " is not positive", "e.g. 5 sizes per budget");
        }
        if (!(spread >= 1)) {
            throw loaded.error("grid.spread", spread + " is below 1", "the largest size over the smallest, e.g. 10");
        }
        if (!(ratio > 0)) {
            throw loaded.error("grid.tokensPerParam", ratio + " is not positive", "e.g. 20 (Chinchilla's ratio)");
        }
        int batch = t.batch() == null ? TrainingDefaults.SWEEP_BATCH : t.batch();
        List<Sized> out = new ArrayList<>();
        for (int i = 0; i < g.budgets().size(); i++) {
            double c = g.budgets().get(i);
            // predicted optimum where D = ratio·N (Hoffmann et al. 2022: about 20 tokens per parameter), under
            // the sweep's own FLOP count (C = 6·N·D gives N = sqrt(C / (6·ratio)))
            double optimum = count.paramsAtRatio(c, ratio);
            List<Candidate> chosen = new ArrayList<>();
            for (int k = 0; k < sizes; k++) {
                double target = optimum * Math.pow(spread, sizes == 1 ? 0 : k / (double) (sizes - 1) - 0.5);
                Candidate best = nearest(family, target);
                if (!chosen.contains(best)) {
                    chosen.add(best);
                }
            }
            List<Sized> budgetRuns = new ArrayList<>();
            Candidate middle = nearest(chosen, optimum);
            for (Candidate cand : chosen) {
                double tokens = c / cand.shape().flopsPerToken(convention);
                if (tokens >= batch * (double) cand.shape().context()) {
                    budgetRuns.add(new Sized(cand, tokens, c, cand == middle));
                }
            }
            if (budgetRuns.isEmpty()) {
                throw loaded.error("grid.budgets[" + i + "]", String.format(Locale.ROOT,
                        "budget %.3g is too small for any size: not one optimizer step", c),
                        "raise it or add smaller widths");
            }
            if (budgetRuns.size() < chosen.size()) {
                warnings.add(String.format(Locale.ROOT, "budget %.3g: %d sizes dropped, too large for one optimizer step",
                        c, chosen.size() - budgetRuns.size()));
            }
            double lo = budgetRuns.get(0).candidate().params();
            double hi = budgetRuns.get(budgetRuns.size() - 1).candidate().params();
            if (optimum < lo || optimum > hi) {
                warnings.add(String.format(Locale.ROOT, "budget %.3g: its predicted optimum (%.3g params) lies outside its "
                        + "sizes [%.3g, %.3g]; the parabola will not bracket it (add widths)", c, optimum, lo, hi));
            }
            out.addAll(budgetRuns);
        }
        return out;
    }

    private static Candidate nearest(List<Candidate> family, double params) {
        Candidate best = family.get(0);
        for (Candidate c : family) {
            if (Math.abs(Math.log(c.params() / params)) < Math.abs(Math.log(best.params() / params))) {
                best = c;
            }
        }
        return best;
    }

    private static List<Candidate> selected(ConfigLoader.Loaded loaded, List<Candidate> family) {
        List<Integer> widths = loaded.config().grid().widths();
        if (widths == null) {
            return family;
        }
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < widths.size(); i++) {
            int w = widths.get(i);
            Candidate found = family.stream().filter(c -> c.shape().dModel() == w).findFirst().orElseThrow(() ->
                    loaded.error("grid.widths[" + out.size() + "]", "width " + w + " is not in family.widths", null));
            out.add(found);
        }
        return out;
    }

    private static List<Sized> grid(ConfigLoader.Loaded loaded, List<Candidate> family) {
        List<Double> tokens = loaded.config().grid().tokens();
        if (tokens == null || tokens.isEmpty()) {
            throw loaded.error("grid.tokens", "missing", "list token counts, e.g. [2e5, 8e5]");
        }
        List<Sized> out = new ArrayList<>();
        for (Candidate c : selected(loaded, family)) {
            for (int i = 0; i < tokens.size(); i++) {
                if (!(tokens.get(i) > 0)) {
                    throw loaded.error("grid.tokens[" + i + "]", "must be positive, got " + tokens.get(i), null);
                }
                out.add(new Sized(c, tokens.get(i), null, true));
            }
        }
        return out;
    }

    private static List<Sized> ladder(ConfigLoader.Loaded loaded, List<Candidate> family) {
        Double ratio = loaded.config().grid().tokensPerParam();
        if (ratio == null || !(ratio > 0)) {
            throw loaded.error("grid.tokensPerParam", "missing or not positive", "e.g. 20 (Chinchilla's ratio)");
        }
        List<Sized> out = new ArrayList<>();
        for (Candidate c : selected(loaded, family)) {
            out.add(new Sized(c, ratio * c.params(), null, true));
        }
        return out;
    }

    /**
     * A run's peak learning rate: the fitted law's where {@code training.lr} is {@code law FILE}, else the
     * width rule lr·(lrWidth/width)^lrExponent.
     */
    private static double learningRate(ConfigLoader.Loaded loaded, SweepConfig.Training t, ModelShape shape,
                                       double tokens) {
        if (t.lr() != null && t.lr().law() != null) {
            if (t.lrWidth() != null || t.lrExponent() != null) {
                throw loaded.error("training.lr", "a learning-rate law replaces the width rule, but lrWidth or "
                        + "lrExponent is also given", "remove lrWidth and lrExponent, or give lr as a number");
            }
            Path file = loaded.file().toAbsolutePath().getParent().resolve(t.lr().law());
            double lr = LrLaw.read(file, loaded.file()).lr(shape, tokens);
            if (!(lr > 0) || !Double.isFinite(lr)) {
                throw loaded.error("training.lr", "the law in " + file + " gives " + lr + " for " + shape.label(),
                        "refit the law on runs that span these sizes");
            }
            return lr;
        }
        double lr0 = t.lr() == null ? TrainingDefaults.SWEEP_LR : t.lr().value();
        int lrWidth = t.lrWidth() == null ? TrainingDefaults.SWEEP_LR_WIDTH : t.lrWidth();
        double lrExponent = t.lrExponent() == null ? TrainingDefaults.SWEEP_LR_EXPONENT : t.lrExponent();
        return lr0 * Math.pow(lrWidth / (double) shape.dModel(), lrExponent);
    }

    private static TrainSpec spec(ConfigLoader.Loaded loaded, SweepConfig c, String corpus, ModelShape shape,
                                  double tokens, SweepConfig.Training t, int threads, String classifier,
                                  List<String> warnings) {
        int batch = t.batch() == null ? TrainingDefaults.SWEEP_BATCH : t.batch();
        long steps = Math.max(1, Math.round(tokens / (batch * (double) shape.context())));
        double lr = learningRate(loaded, t, shape, steps * batch * (double) shape.context()); // the tokens it trains on
        double warmupFraction = t.warmup() == null ? TrainingDefaults.WARMUP_FRACTION : t.warmup();
        if (!(warmupFraction >= 0 && warmupFraction < 1)) {
            throw loaded.error("training.warmup", warmupFraction + " is not in [0, 1)", "a fraction of each run's steps, e.g. 0.05");
        }
        long warmup = Math.max(1, Math.round(warmupFraction * steps));
        if (steps <= warmup) {
            warnings.add(String.format(Locale.ROOT, "%s at %.3g tokens: %d steps, not longer than its warm-up (%d)",
                    shape.label(), tokens, steps, warmup));
        }
        int evals = c.grid().evals() != null ? c.grid().evals() : t.evals() == null ? TrainingDefaults.EVALS : t.evals();
        if (steps < evals) {
            warnings.add(String.format(Locale.ROOT, "%s at %.3g tokens: %d steps, too few for %d evaluations",
                    shape.label(), tokens, steps, evals));
        }
        LrSchedule schedule;
        try {
            schedule = LrSchedule.fromId(t.schedule() == null ? TrainingDefaults.SCHEDULE : t.schedule());
        } catch (IllegalArgumentException e) {
            throw loaded.error("training.schedule", e.getMessage(), null);
        }
        try {
            TrainSpec.Optimizer opt = TrainingDefaults.adamW(lr, schedule, warmup,
                    t.weightDecay() == null ? TrainingDefaults.WEIGHT_DECAY : t.weightDecay(),
                    t.gradClip() == null ? TrainingDefaults.GRAD_CLIP : t.gradClip());
            boolean untied = c.family().untied() != null && c.family().untied();
            return new TrainSpec(shape, !untied, corpus, t.seed() == null ? TrainingDefaults.SEED : t.seed(), batch, steps, opt,
                    Math.max(1, steps / Math.max(1, evals)), t.evalBatches() == null ? TrainingDefaults.EVAL_BATCHES : t.evalBatches(),
                    t.evalSeed() == null ? TrainingDefaults.EVAL_SEED : t.evalSeed(), threads,
                    classifier);
        } catch (IllegalArgumentException e) {
            throw loaded.error("training", e.getMessage(), null);
        }
    }

    /** The design advisor's warnings about the whole grid. */
    private static void advise(List<PlannedRun> runs, SweepConfig.Grid grid, List<String> warnings) {
        if (runs.isEmpty()) {
            return;
        }
        long lo = runs.stream().mapToLong(PlannedRun::params).min().orElse(1);
        long hi = runs.stream().mapToLong(PlannedRun::params).max().orElse(1);
        if (hi < 10 * lo) {
            warnings.add(String.format(Locale.ROOT, "sizes span %.3g to %.3g params, less than a decade: exponents "
                    + "will be poorly determined", (double) lo, (double) hi));
        }
        if ("isoflop".equals(grid.kind())) {
            Map<Double, Integer> perBudget = new LinkedHashMap<>();
            for (PlannedRun r : runs) {
                perBudget.merge(r.budget(), 1, Integer::sum);
            }
            perBudget.forEach((b, n) -> {
                if (n < 3) {
                    warnings.add(String.format(Locale.ROOT, "budget %.3g has %d sizes: a parabola needs at least 3", b, n));
                }
            });
        }
    }

}
