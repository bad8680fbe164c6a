package dev.scalelab.core.run;

import java.nio.file.Path;

/**
 * The files of a sweep's folder ({@code scalelab sweep --out}) and of a grokking phase diagram's
 * folder ({@code scalelab grok --phase}); each run inside has the {@link RunLayout}.
 */
public final class SweepLayout {
    /** The resolved runs, written first; status and collect read it. */
    public static final String PLAN = "plan.json";
    /** The folder of the run folders, one per run id. */
    public static final String RUNS = "runs";
    /** One row per completed or diverged run, by {@code scalelab collect}. */
    public static final String RUNS_CSV = "runs.csv";
    /** Every evaluation of the completed runs, by {@code scalelab collect}. */
    public static final String CURVES_CSV = "curves.csv";
    /** The report's predictions at its target budget, one row per fit that allocates compute. */
    public static final String PREDICTIONS_CSV = "predictions.csv";
    /** The fit cards of {@code scalelab report} and the Slurm follow-up job, in {@link #FITS}. */
    public static final String FITS = "fits";
    public static final String CHINCHILLA_CARD = "chinchilla.json";
    public static final String CHINCHILLA_FIXED_E_CARD = "chinchilla-fixed-e.json";
    public static final String ISOFLOP_CARD = "isoflop.json";
    public static final String ENVELOPE_CARD = "envelope.json";
    /** The HTML report and its charts. */
    public static final String REPORT = "report";
    public static final String REPORT_PAGE = "index.html";
    /** The emergence analysis of the sweep's probes, in {@link #REPORT}. */
    public static final String EMERGENCE_JSON = "emergence.json";
    /** The Slurm scripts' logs. */
    public static final String SLURM_LOGS = "slurm";
    /** A phase diagram's cells (one run folder each), its table and its heatmap. */
    public static final String CELLS = "cells";
    public static final String PHASE_CSV = "phase.csv";
    public static final String PHASE_CHART = "phase.png";

    private SweepLayout() {
    }

    public static Path plan(Path sweepDir) {
        return sweepDir.resolve(PLAN);
    }

    public static Path runs(Path sweepDir) {
        return sweepDir.resolve(RUNS);
    }

    public static Path runDir(Path sweepDir, String runId) {
        return runs(sweepDir).resolve(runId);
    }

    public static Path runsCsv(Path sweepDir) {
        return sweepDir.resolve(RUNS_CSV);
    }

    public static Path curvesCsv(Path sweepDir) {
        return sweepDir.resolve(CURVES_CSV);
    }

    public static Path fitCard(Path sweepDir, String file) {
        return sweepDir.resolve(FITS).resolve(file);
    }

    public static Path report(Path sweepDir) {
        return sweepDir.resolve(REPORT);
    }

    public static Path slurmLogs(Path sweepDir) {
        return sweepDir.resolve(SLURM_LOGS);
    }

    public static Path cellDir(Path phaseDir, String cellId) {
        return phaseDir.resolve(CELLS).resolve(cellId);
    }

    public static Path phaseCsv(Path phaseDir) {
        return phaseDir.resolve(PHASE_CSV);
    }

    public static Path phaseChart(Path phaseDir) {
        return phaseDir.resolve(PHASE_CHART);
    }

    public static Path predictionsCsv(Path sweepDir) {
        return sweepDir.resolve(PREDICTIONS_CSV);
    }
}
