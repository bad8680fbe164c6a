package dev.scalelab.study;

import dev.scalelab.core.data.EvalRow;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.io.AtomicFiles;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.Predictor;
import dev.scalelab.fitting.fit.Approach3;
import dev.scalelab.fitting.law.Variable;
import dev.scalelab.plots.ChartStyle;
import dev.scalelab.plots.LawCharts;
import dev.scalelab.plots.Report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two-step task chain of Bhagia et al. (2024) on a sweep's own probes, per probed skill: step 1 fits
 * the skill's answer loss (−answer_logprob, nats per answer token) to the runs' non-embedding N and D with
 * the Chinchilla surface; step 2 fits the exact match to that loss with the task sigmoid, with the authors'
 * ideal point (loss 0, every answer exact) beside the runs; the chain then
 * predicts the exact match of the check run's model, with both intervals. Written to the report as
 * {@code task-chains.json} and one chart per skill; a skill whose step fails is named with the reason.
 */
final class TaskChains {
    /**
     * Runs whose exact matches span less than this leave step 2's sigmoid unidentified (its step lies beyond
     * them), and the caption says so.
     */
    static final double NARROW = 0.05;

    /** The report's file of every skill's chain. */
    static final String FILE = "task-chains.json";

    /**
     * One skill's chain: its two cards and, with a check run, the chained prediction there; or why none.
     *
     * @param runs    per completed run: its non-embedding N, its tokens, its answer loss and its exact match
     * @param atCheck the check model's predicted answer loss and exact match (null without a check run)
     * @param checkExactMatch the check run's own measured exact match (null when its probes are not at hand)
     * @param checkAnswerLoss the check run's own measured answer loss (null likewise)
     * @param skipped why the chain could not be fitted (null when it was)
     */
    record Chain(String skill, List<Run> runs, FitCard lossCard, FitCard taskCard, Predictor.Prediction atCheck,
                 Double checkExactMatch, Double checkAnswerLoss, String skipped) {
    }

    /** A run's point of a chain. */
    record Run(double params, double tokens, double answerLoss, double exactMatch) {
    }

    private TaskChains() {
    }

    /** Each probed skill's chain, from the sweep's evaluation rows (non-embedding N, tokens, metrics). */
    static List<Chain> fit(List<EvalRow> rows, RunResult check, Path checkRun, int bootstrap, String version) {
        Map<String, Double> measured = measured(checkRun, "exact_match");
        Map<String, Double> logprob = measured(checkRun, "answer_logprob");
        Map<String, Map<String, double[]>> byRun = new LinkedHashMap<>(); // skill -> run -> {N, D, loss, exact}
        for (EvalRow r : rows) {
            double[] v = byRun.computeIfAbsent(r.task(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.model(), k -> new double[] {r.params(), r.tokens(), Double.NaN, Double.NaN});
            if (r.metric().equals("answer_logprob")) {
                v[2] = -r.value();
            } else if (r.metric().equals("exact_match")) {
                v[3] = r.value();
            }
        }
        List<Chain> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, double[]>> skill : byRun.entrySet()) {
            List<Observation> loss = new ArrayList<>();
            List<Observation> task = new ArrayList<>();
            List<Run> points = new ArrayList<>();
            for (double[] v : skill.getValue().values()) {
                if (v[2] > 0 && Double.isFinite(v[2]) && !Double.isNaN(v[3])) {
                    points.add(new Run(v[0], v[1], v[2], v[3]));
                    loss.add(Observation.of(v[0], v[1], 6 * v[0] * v[1], v[2]));
                    task.add(new Observation(Double.NaN, Double.NaN, Double.NaN, v[2], null, null, null, null, null,
                            Map.of("accuracy", v[3])));
                }
            }
            if (points.stream().mapToDouble(Run::exactMatch).distinct().count() < 2) {
                out.add(new Chain(skill.getKey(), points, null, null, null, null, null, "every run's exact match is "
                        + (points.isEmpty() ? "missing" : points.get(0).exactMatch()) + ", so the runs cannot say how it "
                        + "moves with the loss"));
                continue;
            }
            // Bhagia et al.'s ideal point: a model of answer loss 0 answers every example exactly
            task.add(new Observation(Double.NaN, Double.NaN, Double.NaN, 0, null, null, null, null, null,
                    Map.of("accuracy", 1.0)));
            String source = "probes of " + skill.getKey();
            try {
                FitCard one = Fitter.fit(new ObservationTable(source, loss, null),
                        options(Fitter.Law.CHINCHILLA, bootstrap, version, "answer loss of " + skill.getKey()));
                FitCard two = Fitter.fit(new ObservationTable(source, task, null),
                        options(Fitter.Law.TASK, bootstrap, version, "exact match of " + skill.getKey()));
                Predictor.Prediction at = check == null ? null : new Predictor(one, source).chain(new Predictor(two,
                        source), true, check.params().nonEmbedding(), check.tokens(), Double.NaN, Double.NaN);
                Double answerLoss = logprob.containsKey(skill.getKey()) ? -logprob.get(skill.getKey()) : null;
                out.add(new Chain(skill.getKey(), points, one, two, at, measured.get(skill.getKey()), answerLoss, null));
            } catch (RuntimeException e) { // one skill's failure is named in its place, the report goes on
                out.add(new Chain(skill.getKey(), points, null, null, null, null, null, e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()));
            }
        }
        return out;
    }

    /** The check run's {@code metric} per skill, from its probes.csv; empty without one. */
    private static Map<String, Double> measured(Path checkRun, String metric) {
        Map<String, Double> out = new LinkedHashMap<>();
        Path file = checkRun == null ? null : dev.scalelab.core.run.RunLayout.probes(checkRun);
        if (file == null || !java.nio.file.Files.isRegularFile(file)) {
            return out;
        }
        for (dev.scalelab.core.io.CsvTable.Row row : dev.scalelab.core.io.CsvTable.read(file, null).rows()) {
            if (row.text("metric").equals(metric) && Double.isFinite(row.number("value"))) {
                out.put(row.text("skill"), row.number("value"));
            }
        }
        return out;
    }

    private static Fitter.Options options(Fitter.Law law, int bootstrap, String version, String what) {
        return new Fitter.Options(law, Variable.PARAMS, bootstrap, 0, 0.95, Map.of(), Approach3.Options.defaults(), 0,
                FlopCount.SIX_N, version, "report: " + law.id() + " fit of the " + what, null);
    }

    /** Writes {@link #FILE} into the report folder and returns one chart per fitted skill. */
    static List<Report.Figure> write(List<Chain> chains, Path out) {
        if (chains.isEmpty()) {
            return List.of();
        }
        AtomicFiles.writeString(out.resolve(FILE), Json.toText(chains));
        List<Report.Figure> figures = new ArrayList<>();
        for (Chain c : chains) {
            if (c.taskCard() == null) {
                continue;
            }
            double[] x = c.runs().stream().mapToDouble(Run::answerLoss).toArray();
            double[] y = c.runs().stream().mapToDouble(Run::exactMatch).toArray();
            figures.add(new Report.Figure("task-chain-" + c.skill(), LawCharts.response("Task chain, " + c.skill()
                            + ": exact match from answer loss", "loss", "accuracy", "answer loss (nats/answer token)",
                    "exact match", List.of(new LawCharts.Group(c.skill(), x, y, c.taskCard())), false, false,
                    ChartStyle.WIDTH, ChartStyle.HEIGHT), caption(c)));
        }
        return figures;
    }

    /** The chart's caption: the two steps' laws and the chained prediction at the check run. */
    static String caption(Chain c) {
        StringBuilder s = new StringBuilder("Task chain of the " + c.skill() + " skill (Bhagia et al. 2024; "
                + FILE + "): step 1 " + c.lossCard().formula() + " for its answer loss against N and D, step 2 "
                + c.taskCard().formula() + " for its exact match against that loss, over " + c.runs().size() + " runs and the ideal point (loss 0, exact "
                + "match 1).");
        double lo = c.runs().stream().mapToDouble(Run::exactMatch).min().orElse(0);
        double hi = c.runs().stream().mapToDouble(Run::exactMatch).max().orElse(0);
        if (hi - lo < NARROW) {
            s.append(String.format(Locale.ROOT, " The runs' exact match spans only %.3f to %.3f: the sigmoid's step "
                    + "lies beyond them, so the chain says little here.", lo, hi));
        }
        if (c.atCheck() != null) {
            FitCard.Estimate e = c.atCheck().outputs().get("accuracy");
            s.append(String.format(Locale.ROOT, " At the check run's size the chain predicts exact match %.3f", e.value()));
            if (e.confidence() != null) {
                s.append(String.format(Locale.ROOT, " (95%% confidence [%.3f, %.3f]", e.confidence().get(0),
                        e.confidence().get(1)));
                s.append(e.prediction() == null ? ")" : String.format(Locale.ROOT, ", prediction [%.3f, %.3f])",
                        e.prediction().get(0), e.prediction().get(1)));
            }
            s.append('.');
            if (c.checkExactMatch() != null) {
                double m = c.checkExactMatch();
                s.append(String.format(Locale.ROOT, " The check run's own probes measured %.3f%s.", m,
                        e.prediction() == null ? "" : m >= e.prediction().get(0) && m <= e.prediction().get(1)
                                ? ", inside the prediction interval" : ", outside the prediction interval"));
            }
            if (c.checkAnswerLoss() != null) {
                s.append(String.format(Locale.ROOT, " Step 1 predicted its answer loss %.3f; it measured %.3f.",
                        c.atCheck().outputs().get("loss").value(), c.checkAnswerLoss()));
            }
        }
        return s.toString();
    }
}
