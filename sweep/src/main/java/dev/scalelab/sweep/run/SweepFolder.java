package dev.scalelab.sweep.run;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.core.model.ParamCount;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.core.run.RunStatus;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.plan.PlannedRun;
import dev.scalelab.sweep.train.MetricsLog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a sweep folder: the state of each run ({@code status}) and the tables for fits ({@code collect}). */
public final class SweepFolder {
    public enum State { DONE, DIVERGED, FAILED, RUNNING, STALLED, PENDING }

    /** Counts per state for one budget (or all runs when the sweep has no budgets). */
    public record Counts(Double budget, Map<State, Integer> counts) {
    }

    /** @param etaSeconds remaining estimated seconds over the runs in flight (at least one) */
    public record Status(String sweep, int runs, List<Counts> budgets, Map<State, Integer> totals, double etaSeconds) {
    }

    /** How to mend a run folder's damaged table. */
    private static final String RETRAIN = "delete the run folder to train it again";

    private final Path dir;
    private final Plan plan;

    private SweepFolder(Path dir, Plan plan) {
        this.dir = dir;
        this.plan = plan;
    }

    public static SweepFolder open(Path dir) {
        Path file = dir.resolve(SweepLayout.PLAN);
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(dir, 0, null, "is not a sweep folder (no " + SweepLayout.PLAN + ")",
                    "give the --out folder of 'scalelab sweep'");
        }
        try {
            return new SweepFolder(dir, Json.mapper().readValue(file.toFile(), Plan.class));
        } catch (IOException e) {
            throw new InvalidInputException(file, 0, null, "cannot be read (" + e.getMessage() + ")",
                    "run 'scalelab sweep' again to rewrite it");
        }
    }

    /**
     * The FLOP count of the sweep that {@code input} belongs to (a sweep folder, or its runs.csv or
     * curves.csv), from its plan.json, with N counting {@code params}; null for any other file.
     */
    public static FlopCount flopCountOf(Path input, ParamCount params) {
        Path dir = Files.isDirectory(input) ? input : input.toAbsolutePath().getParent();
        String name = input.getFileName() == null ? "" : input.getFileName().toString();
        boolean table = !Files.isDirectory(input)
                && (name.equals(SweepLayout.RUNS_CSV) || name.equals(SweepLayout.CURVES_CSV));
        if (dir == null || !(Files.isDirectory(input) || table) || !Files.isRegularFile(SweepLayout.plan(dir))) {
            return null;
        }
        try {
            return open(dir).plan().flops(params);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(SweepLayout.plan(dir), 0, "family", e.getMessage(),
                    "run 'scalelab sweep' again to rewrite it");
        }
    }

    public Plan plan() {
        return plan;
    }

    public State state(PlannedRun r, Duration timeout) {
        Path run = SweepLayout.runDir(dir, r.runId());
        RunResult result = result(r);
        if (result != null) {
            return result.status() == RunStatus.COMPLETED ? State.DONE
                    : result.status() == RunStatus.DIVERGED ? State.DIVERGED : State.FAILED;
        }
        if (Files.isRegularFile(run.resolve(RunLayout.FAILED))) {
            return State.FAILED;
        }
        Path claim = run.resolve(RunLayout.CLAIM);
        if (Files.isRegularFile(claim)) {
            try {
                long age = System.currentTimeMillis() - Files.getLastModifiedTime(claim).toMillis();
                return age > timeout.toMillis() ? State.STALLED : State.RUNNING;
            } catch (IOException e) {
                return State.PENDING;
            }
        }
        return State.PENDING;
    }

    private RunResult result(PlannedRun r) {
        Path file = SweepLayout.runDir(dir, r.runId()).resolve(RunLayout.RESULT);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Json.mapper().readValue(file.toFile(), RunResult.class);
        } catch (IOException e) {
            throw new InvalidInputException(file, 0, null, "cannot be read (" + e.getMessage() + ")",
                    "delete the run folder to train it again");
        }
    }

    public Status status(Duration timeout) {
        Map<Double, Map<State, Integer>> byBudget = new LinkedHashMap<>();
        Map<State, Integer> totals = new LinkedHashMap<>();
        for (State s : State.values()) {
            totals.put(s, 0);
        }
        double remaining = 0;
        for (PlannedRun r : plan.runs()) {
            State s = state(r, timeout);
            Map<State, Integer> m = byBudget.computeIfAbsent(r.budget() == null ? Double.NaN : r.budget(), k -> {
                Map<State, Integer> fresh = new LinkedHashMap<>();
                for (State x : State.values()) {
                    fresh.put(x, 0);
                }
                return fresh;
            });
            m.merge(s, 1, Integer::sum);
            totals.merge(s, 1, Integer::sum);
            if (s == State.PENDING || s == State.RUNNING || s == State.STALLED) {
                remaining += r.estimatedSeconds();
            }
        }
        List<Counts> budgets = new ArrayList<>();
        byBudget.forEach((b, m) -> budgets.add(new Counts(Double.isNaN(b) ? null : b, m)));
        double eta = remaining / Math.max(1, totals.get(State.RUNNING));
        return new Status(plan.name(), plan.runs().size(), budgets, totals, eta);
    }

    /** Each completed run's non-embedding parameters and its probe metrics for one skill, from probes.csv. */
    public List<Map.Entry<Long, Map<String, Double>>> probes(String skill) {
        List<Map.Entry<Long, Map<String, Double>>> out = new ArrayList<>();
        for (PlannedRun r : plan.runs()) {
            RunResult res = result(r);
            Path file = RunLayout.probes(SweepLayout.runDir(dir, r.runId()));
            if (res == null || res.status() != RunStatus.COMPLETED || !Files.isRegularFile(file)) {
                continue;
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (CsvTable.Row row : CsvTable.read(file, RETRAIN).rows()) {
                if (row.text("skill").equals(skill)) {
                    metrics.put(row.text("metric"), row.number("value"));
                }
            }
            if (!metrics.isEmpty()) {
                out.add(Map.entry(res.params().nonEmbedding(), metrics));
            }
        }
        return out;
    }

    /**
     * Every completed run's probe results as evaluation rows: family = the sweep's name (with the
     * budget, "name C=1e+11", when the runs have several budgets, so that each family varies size
     * alone), model = the run id, params = non-embedding parameters, task = the skill. The answer
     * length of a skill is its answer tokens over its examples (the n of token_accuracy over the n
     * of exact_match).
     */
    public List<dev.scalelab.core.data.EvalRow> evalRows() {
        long budgets = plan.runs().stream().map(PlannedRun::budget).filter(java.util.Objects::nonNull).distinct().count();
        List<dev.scalelab.core.data.EvalRow> out = new ArrayList<>();
        for (PlannedRun r : plan.runs()) {
            RunResult res = result(r);
            Path file = RunLayout.probes(SweepLayout.runDir(dir, r.runId()));
            if (res == null || res.status() != RunStatus.COMPLETED || !Files.isRegularFile(file)) {
                continue;
            }
            String family = budgets > 1 && r.budget() != null
                    ? plan.name() + String.format(java.util.Locale.ROOT, " C=%.0e", r.budget()) : plan.name();
            List<CsvTable.Row> rows = CsvTable.read(file, RETRAIN).rows();
            Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
            for (CsvTable.Row row : rows) {
                counts.computeIfAbsent(row.text("skill"), k -> new LinkedHashMap<>()).put(row.text("metric"), count(row));
            }
            for (CsvTable.Row row : rows) {
                Map<String, Integer> n = counts.get(row.text("skill"));
                int exact = n.getOrDefault("exact_match", 0);
                int tokens = n.getOrDefault("token_accuracy", 0);
                int answer = exact > 0 && tokens % exact == 0 ? tokens / exact : 0;
                out.add(new dev.scalelab.core.data.EvalRow(family, r.runId(), res.params().nonEmbedding(),
                        row.text("skill"), row.text("metric"), row.number("value"), count(row), answer, res.tokens(),
                        r.flops(), 0));
            }
        }
        return out;
    }

    /** A probe's item count (the n column). */
    private static int count(CsvTable.Row row) {
        return Math.toIntExact(row.whole("n"));
    }

    /**
     * The corpus floor a sweep's runs.csv records (the corpus_floor of its first row), or NaN when the
     * folder has no runs.csv, the table has no rows or no such column, or the floor is not finite.
     */
    public static double corpusFloor(Path sweepDir) {
        return sharedValue(sweepDir, "corpus_floor");
    }

    /**
     * The floor of the validation sample every run of the sweep was scored on (runs.csv's
     * validation_floor_nats), or NaN when the runs do not share one sample (different eval seeds or
     * contexts), the corpus does not know it, or the table predates the column.
     */
    public static double validationFloor(Path sweepDir) {
        return sharedValue(sweepDir, "validation_floor_nats");
    }

    /** The value of {@code column} when every row of runs.csv has the same finite one; NaN otherwise. */
    private static double sharedValue(Path sweepDir, String column) {
        Path file = SweepLayout.runsCsv(sweepDir);
        if (!Files.isRegularFile(file)) {
            return Double.NaN;
        }
        try {
            CsvTable runs = CsvTable.read(file, "run 'scalelab collect' again to rewrite it");
            if (!runs.has(column) || runs.rowCount() == 0) {
                return Double.NaN;
            }
            double v = runs.rows().get(0).number(column);
            for (CsvTable.Row row : runs.rows()) {
                if (Double.compare(row.number(column), v) != 0) {
                    return Double.NaN;
                }
            }
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (InvalidInputException e) {
            return Double.NaN;   // a floor that cannot be read leaves E free
        }
    }

    /** The skills probed in this sweep's runs. */
    public List<String> skills() {
        java.util.Set<String> skills = new java.util.LinkedHashSet<>();
        for (PlannedRun r : plan.runs()) {
            Path file = RunLayout.probes(SweepLayout.runDir(dir, r.runId()));
            try {
                if (Files.isRegularFile(file)) {
                    CsvTable.read(file, RETRAIN).rows().forEach(row -> skills.add(row.text("skill")));
                }
            } catch (InvalidInputException e) {
                // skipped: a run being written or removed
            }
        }
        return new ArrayList<>(skills);
    }

    /**
     * Writes runs.csv (one row per completed or diverged run, with its status; fits leave diverged ones
     * out and list them as excluded) and curves.csv (every evaluation of the completed runs after step 0).
     */
    public int[] collect() {
        FlopConvention convention = plan.flopConvention();
        CsvTable runs = CsvTable.withHeader("run", "budget", "params", "tokens", "flops", "loss", "best_loss",
                "total_params", "layers", "heads", "d_model", "context", "vocab", "flops_6N", "flops_6N+attention",
                "flops_chinchilla", "corpus_floor", "validation_floor_nats", "lr", "batch", "steps", "seed", "eval_seed",
                "threads", "classifier", "precision",
                "wall_seconds", "tokens_per_second", "status");
        CsvTable curves = CsvTable.withHeader("run", "budget", "params", "step", "tokens", "flops", "loss", "train_loss", "lr");
        for (PlannedRun r : plan.runs()) {
            RunResult res = result(r);
            if (res == null || res.status() == RunStatus.FAILED) {
                continue;
            }
            var s = res.spec();
            runs.add(r.runId(), r.budget(), res.params().nonEmbedding(), res.tokens(), res.flops().get(convention.id()),
                    res.finalValLoss(), res.bestValLoss(), res.params().total(), s.shape().layers(), s.shape().heads(),
                    s.shape().dModel(), s.shape().context(), s.shape().vocab(), res.flops().get("6N"),
                    res.flops().get("6N+attention"), res.flops().get("chinchilla"), res.corpusEntropyNats(),
                    res.validationFloorNats(), s.optimizer().learningRate(), s.batch(), res.steps(), s.seed(),
                    s.evalSeed(), s.threads(), s.classifier(), s.precision().label(),
                    res.wallSeconds(), res.tokensPerSecond(), res.status().name());
            if (res.status() != RunStatus.COMPLETED) {
                continue; // a diverged run stays in runs.csv with its status (fits leave it out); its curve does not
            }
            double perToken = s.shape().flopsPerToken(convention);
            for (CsvTable.Row row : MetricsLog.read(SweepLayout.runDir(dir, r.runId())).rows()) {
                long step = row.whole("step");
                if (step == 0) {
                    continue;
                }
                long tokens = row.whole("tokens");
                curves.add(r.runId(), r.budget(), res.params().nonEmbedding(), step, tokens, tokens * perToken,
                        row.number("val_loss"), row.number("train_loss"), row.number("lr"));
            }
        }
        runs.write(SweepLayout.runsCsv(dir));
        curves.write(SweepLayout.curvesCsv(dir));
        return new int[] {runs.rowCount(), curves.rowCount()};
    }
}
