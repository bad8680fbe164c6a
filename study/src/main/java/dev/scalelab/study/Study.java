package dev.scalelab.study;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.data.Observation;
import dev.scalelab.core.model.ParamCount;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.plots.Charts;
import dev.scalelab.plots.Report;
import dev.scalelab.sweep.plan.Plan;
import dev.scalelab.sweep.run.SweepFolder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The study pipeline over a sweep folder: collect (runs.csv, curves.csv), the fits (approach 3 with E
 * at the exact floor of the validation sample the runs share, or the corpus's expected floor for
 * tables without one, and with E free; approach 2 when the sweep has budgets; approach 1 when
 * asked), the prediction's target, and the report with an optional check run. {@code scalelab report}
 * and {@code scalelab quickstart} are this, and nothing else.
 */
public final class Study {
    /** Titles of the fits, as the report and the quickstart's headline show them. */
    public static final String FIXED_E = "chinchilla (E fixed at the floor)";
    public static final String FREE_E = "chinchilla (E free)";
    public static final String ISOFLOP = "isoflop (approach 2)";
    public static final String ENVELOPE = "envelope (approach 1)";

    /**
     * @param dir         the sweep folder
     * @param bootstrap   resamples for every fit's intervals
     * @param targetFlops the budget to predict; null for 10x the largest budget
     * @param envelope    also fit approach 1 to the training curves
     * @param version     scalelab's version, recorded in each card
     * @param params      what N counts in approaches 2 and 3 (approach 1 reads curves.csv, which holds the
     *                    non-embedding count only); {@link #PARAMS} by default
     */
    public record Options(Path dir, int bootstrap, Double targetFlops, boolean envelope, String version,
                          ParamCount params) {
    }

    /**
     * What N counts in a study's fits unless asked otherwise: every parameter. At the quickstart's sizes
     * embeddings are 30-60% of a model, and laws fitted on non-embedding N forecast the 10x check run too
     * high (Pearce and Song 2024; VALIDATION.md, "The method change": chosen on seeds 11-15 and checked on
     * chinchilla-mini seeds 11-12 and default-design seeds 21-25).
     */
    public static final ParamCount PARAMS = ParamCount.TOTAL;

    /**
     * A collected sweep and its fits, ready for the page.
     *
     * @param floor       the E that the E-fixed fit holds: the validation sample's own floor when the runs
     *                    share one, else the corpus's expected floor; NaN when neither is known
     * @param corpusFloor the corpus's expected floor over windows of the context (NaN when unknown)
     * @param params      what N counts in {@code runs} and the fits of approaches 2 and 3
     * @param bootstrap   resamples of every fit, the report's own (its probed skills' task chains) included
     * @param version     scalelab's version, recorded in each card
     */
    public record Result(Path dir, Plan plan, SweepFolder folder, List<Observation> runs, List<Observation> curves,
                         double floor, double corpusFloor, double targetFlops, Map<String, FitCard> fits, List<String> warnings,
                         List<String> commands, ParamCount params, int bootstrap, String version) {
        /** N of a run with these parameter counts, as this study's fits count it. */
        public double counted(RunResult.ParamCounts counts) {
            return params == ParamCount.TOTAL ? counts.total() : counts.nonEmbedding();
        }
    }

    private Study() {
    }

    /** Collects the folder and fits it; cards in DIR/fits/. No completed run yet is exit 4. */
    public static Result fit(Options o) {
        SweepFolder folder = SweepFolder.open(o.dir());
        folder.collect();
        Plan plan = folder.plan();
        Path runsCsv = SweepLayout.runsCsv(o.dir());
        Path curvesCsv = SweepLayout.curvesCsv(o.dir());
        List<Observation> runs = Tables.observations(runsCsv, o.params());
        if (runs.isEmpty()) {
            throw new NoUsableFitException("no completed runs in " + o.dir() + " yet; run 'scalelab sweep' first");
        }
        List<Observation> curves = Tables.observations(curvesCsv, ParamCount.NON_EMBEDDING);
        double corpusFloor = SweepFolder.corpusFloor(o.dir());
        double sampleFloor = SweepFolder.validationFloor(o.dir());
        double floor = Double.isNaN(sampleFloor) ? corpusFloor : sampleFloor;
        double largest = runs.stream().mapToDouble(r -> r.budget() != null ? r.budget() : r.flops()).max().orElse(1);
        double target = o.targetFlops() != null ? o.targetFlops() : 10 * largest;
        List<String> warnings = new ArrayList<>(plan.warnings());
        List<String> commands = new ArrayList<>(List.of("scalelab sweep " + plan.config() + " --out " + o.dir()));
        Map<String, FitCard> fits = new LinkedHashMap<>();
        StudyFit fitter = new StudyFit(o.dir(), plan.flops(o.params()), o.params(), o.bootstrap(), o.version(), fits,
                warnings, commands);
        StudyFit envelope = new StudyFit(o.dir(), plan.flops(), ParamCount.NON_EMBEDDING, o.bootstrap(), o.version(),
                fits, warnings, commands);
        if (!Double.isNaN(floor)) {
            fitter.fit(runsCsv, FIXED_E, Fitter.Law.CHINCHILLA, Map.of("E", floor), SweepLayout.CHINCHILLA_FIXED_E_CARD);
        }
        fitter.fit(runsCsv, FREE_E, Fitter.Law.CHINCHILLA, Map.of(), SweepLayout.CHINCHILLA_CARD);
        if (runs.stream().anyMatch(r -> r.budget() != null)) {
            fitter.fit(runsCsv, ISOFLOP, Fitter.Law.ISOFLOP, Map.of(), SweepLayout.ISOFLOP_CARD);
        }
        if (o.envelope()) { // approach 1: the lower envelope of every run's loss curve (Hoffmann et al. 2022, 3.1)
            envelope.fit(curvesCsv, ENVELOPE, Fitter.Law.ENVELOPE, Map.of(), SweepLayout.ENVELOPE_CARD);
        }
        return new Result(o.dir(), plan, folder, runs, curves, floor, corpusFloor, target, fits, warnings, commands,
                o.params(), o.bootstrap(), o.version());
    }

    /** The run-to-run spread the sweep's replicates measure, beside the main fit's residual spread (or none). */
    static List<String> spread(Result s) {
        RunToRunSpread spread = RunToRunSpread.of(s.runs());
        if (spread == null) {
            return List.of();
        }
        String title = s.fits().containsKey(FIXED_E) ? FIXED_E : FREE_E;
        return List.of(spread.describe(title, RunToRunSpread.residualSd(s.fits().get(title))));
    }

    /**
     * Writes DIR/report/index.html and its charts and DIR/predictions.csv, with {@code check} (a run
     * trained at the target, or null) beside the prediction; returns the page.
     */
    public static Path report(Result s, RunResult check, List<String> extraCommands) {
        return report(s, check, null, extraCommands);
    }

    /**
     * As above, with the check run's folder ({@code checkRun}, or null): its probes are the measured exact
     * match beside each skill's task-chain prediction.
     */
    public static Path report(Result s, RunResult check, Path checkRun, List<String> extraCommands) {
        Path out = SweepLayout.report(s.dir());
        Map<String, List<Charts.ProbePoint>> probes = new LinkedHashMap<>();
        for (String skill : s.folder().skills()) {
            probes.put(skill, s.folder().probes(skill).stream()
                    .map(e -> new Charts.ProbePoint(e.getKey(), e.getValue())).toList());
        }
        List<String> commands = new ArrayList<>(s.commands());
        commands.addAll(extraCommands);
        Report.Check checkPoint = check == null ? null : new Report.Check(s.targetFlops(), s.counted(check.params()),
                check.tokens(), check.finalValLoss());
        Predictions.table(s, check).write(SweepLayout.predictionsCsv(s.dir()));
        List<dev.scalelab.core.data.EvalRow> evalRows = s.folder().evalRows();
        Map<String, String> notes = EmergenceNotes.write(evalRows, out);
        List<TaskChains.Chain> chains = TaskChains.fit(evalRows, check, checkRun, s.bootstrap(), s.version());
        for (TaskChains.Chain c : chains) {
            if (c.skipped() != null) {
                notes.merge(c.skill(), "Task chain (" + TaskChains.FILE + "): not fitted, " + c.skipped() + ".",
                        (a, b) -> a + " " + b);
            }
        }
        List<String> files = new ArrayList<>(List.of("../" + SweepLayout.RUNS_CSV, "../" + SweepLayout.CURVES_CSV,
                "../" + SweepLayout.PREDICTIONS_CSV));
        if (!notes.isEmpty()) {
            files.add(SweepLayout.EMERGENCE_JSON);
            commands.add("scalelab emergence " + s.dir() + " --format json");
        }
        List<Report.Figure> figures = TaskChains.write(chains, out);
        if (!chains.isEmpty()) {
            files.add(TaskChains.FILE);
        }
        Report.write(new Report.Input("Scaling study: " + s.plan().name(), s.runs(), s.curves(), s.fits(),
                s.targetFlops(), s.floor(), s.plan().corpus(), s.plan().flopConvention().id(), s.warnings(), commands,
                files, probes, checkPoint, notes, spread(s), figures), out);
        return out.resolve("index.html");
    }
}
