package dev.scalelab.study;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.io.Json;
import dev.scalelab.fitting.grok.Grokking;
import dev.scalelab.plots.ChartFiles;
import dev.scalelab.plots.ChartStyle;
import dev.scalelab.plots.Charts;
import dev.scalelab.sweep.grok.GrokRun;
import dev.scalelab.sweep.grok.GrokSpec;
import dev.scalelab.sweep.run.RunPool;
import dev.scalelab.sweep.run.Shard;
import dev.scalelab.sweep.run.Unit;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A grokking study: one run's training, detection, result.json and charts; or the phase grid's cells
 * through the run pool (threads) and phase.csv. {@code scalelab grok} is this.
 */
public final class GrokStudy {
    /** A cell's claim is taken over after this long without a heartbeat. */
    static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(5);

    private GrokStudy() {
    }

    /** What DIR/result.json holds. */
    public record Result(GrokSpec spec, long params, int trainPairs, int validationPairs, long stepsRun, double wallSeconds,
                  GrokRun.Point last, Grokking.Events events) {
    }

    /** One cell of the phase grid as a unit of the run pool: trained into {@code dir} without charts. */
    record Cell(GrokSpec spec, Path dir, Grokking.Thresholds thresholds) implements Unit {
        @Override
        public String id() {
            return spec.cellId();
        }

        @Override
        public boolean finished() {
            return Files.isRegularFile(RunLayout.result(dir));
        }

        @Override
        public Outcome run() throws IOException {
            return Outcome.completed(GrokStudy.run(spec, dir, thresholds, null, false).events().summary());
        }
    }

    /** Trains (or reads back) one run, detects its events, writes result.json and its charts. */
    public static Result run(GrokSpec s, Path dir, Grokking.Thresholds t, PrintWriter progress, boolean charts)
            throws IOException {
        Path file = RunLayout.result(dir);
        if (Files.isRegularFile(file)) { // finished: detect again, the thresholds may have changed
            Result stored = Json.mapper().readValue(file.toFile(), Result.class);
            List<GrokRun.Point> pts = GrokRun.readPoints(dir);
            Grokking.Events events = detect(pts, t);
            if (events.equals(stored.events()) && (!charts || Files.isRegularFile(dir.resolve(RunLayout.ACCURACY_CHART)))) {
                return stored;
            }
            Result r = new Result(stored.spec(), stored.params(), stored.trainPairs(), stored.validationPairs(),
                    stored.stepsRun(), stored.wallSeconds(), stored.last(), events);
            if (charts) {
                writeCharts(s, dir, pts, events);
            }
            Json.write(file, r);
            return r;
        }
        GrokRun.Trained trained = GrokRun.train(s, dir, p -> {
            if (progress != null) {
                progress.printf(Locale.ROOT, "step %7d  train loss %.4f acc %.3f  validation loss %.4f acc %.3f  |w| %.2f%n",
                        p.step(), p.trainLoss(), p.trainAccuracy(), p.validationLoss(), p.validationAccuracy(), p.weightNorm());
                progress.flush();
            }
        });
        List<GrokRun.Point> pts = trained.points();
        Grokking.Events events = detect(pts, t);
        if (charts) {
            writeCharts(s, dir, pts, events);
        }
        Result r = new Result(s, trained.params(), trained.trainPairs(), trained.validationPairs(), trained.stepsRun(),
                trained.wallSeconds(), pts.get(pts.size() - 1), events);
        Json.write(file, r);
        return r;
    }

    private static Grokking.Events detect(List<GrokRun.Point> pts, Grokking.Thresholds t) {
        return Grokking.detect(pts.stream().mapToLong(GrokRun.Point::step).toArray(),
                pts.stream().mapToDouble(GrokRun.Point::trainAccuracy).toArray(),
                pts.stream().mapToDouble(GrokRun.Point::validationAccuracy).toArray(), t);
    }

    /** accuracy.png and loss.png, on a log step axis, with the events marked. */
    private static void writeCharts(GrokSpec s, Path dir, List<GrokRun.Point> pts, Grokking.Events events)
            throws IOException {
        {
            List<GrokRun.Point> shown = pts.stream().filter(p -> p.step() > 0).toList();   // log axis
            double[] steps = shown.stream().mapToDouble(GrokRun.Point::step).toArray();
            Map<Double, String> marks = new LinkedHashMap<>();
            if (events.memorisedStep() != null) {
                marks.put((double) Math.max(1, events.memorisedStep()), "memorised");
            }
            if (events.generalisedStep() != null) {
                marks.put((double) Math.max(1, events.generalisedStep()), "generalised");
            }
            String title = s.name() + ": " + events.phase().id();
            ChartFiles.write(Charts.grokking(title, steps, shown.stream().mapToDouble(GrokRun.Point::trainAccuracy).toArray(),
                    shown.stream().mapToDouble(GrokRun.Point::validationAccuracy).toArray(), marks, ChartStyle.WIDTH,
                    ChartStyle.HEIGHT), dir.resolve(RunLayout.ACCURACY_CHART));
            ChartFiles.write(Charts.dynamics(title, steps, shown.stream().mapToDouble(GrokRun.Point::trainLoss).toArray(),
                    shown.stream().mapToDouble(GrokRun.Point::validationLoss).toArray(), marks, ChartStyle.WIDTH,
                    ChartStyle.HEIGHT), dir.resolve(RunLayout.LOSS_CHART));
        }
    }

    /**
     * phase.csv and phase.png from every finished cell, whichever process trained it, each detected
     * again from its metrics.csv with {@code t}; returns how many there were.
     */
    /**
     * The phase grid of {@code s}: every cell of this shard trained into DIR/cells/ID by {@code jobs}
     * threads (finished cells skipped, claims shared with other processes), then phase.csv and
     * phase.png from every finished cell; {@code cellDone} hears each cell trained here. Returns how
     * many cells phase.csv holds.
     */
    public static int phase(GrokSpec s, Path dir, Grokking.Thresholds t, int jobs, Shard shard,
                            java.util.function.Consumer<String> cellDone) throws IOException, InterruptedException {
        List<GrokSpec> cells = cells(s);
        // finished cells are skipped by the pool; phase.csv detects them again below
        RunPool.run(new RunPool.Options(jobs, shard, CLAIM_TIMEOUT, new RunPool.Threads(), Instant.now()),
                () -> cells.stream().map(c -> new Cell(c, SweepLayout.cellDir(dir, c.cellId()), t)).toList(),
                new RunPool.Listener<Cell>() {
                    @Override
                    public void onUnitEnd(String owner, Cell cell, Unit.Outcome outcome, double seconds,
                                          double remaining) {
                        if (outcome.kind() == Unit.Outcome.Kind.COMPLETED) {
                            cellDone.accept(String.format(Locale.ROOT, "cell %-16s %s", cell.id(), outcome.text()));
                        }
                    }
                });
        return writePhase(dir, cells, t);
    }

    /** The grid's cells: every train fraction with every weight decay. */
    public static List<GrokSpec> cells(GrokSpec s) {
        List<GrokSpec> cells = new ArrayList<>();
        for (double f : s.phaseTrainFractions()) {
            for (double d : s.phaseWeightDecays()) {
                cells.add(s.withCell(f, d));
            }
        }
        return cells;
    }

    static int writePhase(Path dir, List<GrokSpec> cells, Grokking.Thresholds t) throws IOException {
        CsvTable table = CsvTable.withHeader("train_fraction", "weight_decay", "phase", "memorised_step",
                "generalised_step", "ratio", "steps_run", "train_accuracy", "validation_accuracy");
        List<double[]> xy = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (GrokSpec cell : cells) {
            Path file = RunLayout.result(SweepLayout.cellDir(dir, cell.cellId()));
            if (!Files.isRegularFile(file)) {
                continue;
            }
            Result r = Json.mapper().readValue(file.toFile(), Result.class);
            Grokking.Events e = detect(GrokRun.readPoints(file.getParent()), t);
            table.add(cell.trainFraction(), cell.weightDecay(), e.phase().id(), e.memorisedStep() == null ? "" : e.memorisedStep(),
                    e.generalisedStep() == null ? "" : e.generalisedStep(), e.ratio() == null ? "" : e.ratio(), r.stepsRun(),
                    r.last().trainAccuracy(), r.last().validationAccuracy());
            xy.add(new double[] {cell.trainFraction(), cell.weightDecay()});
            classes.add(e.phase().id());
        }
        table.write(SweepLayout.phaseCsv(dir));
        if (!xy.isEmpty()) {
            ChartFiles.write(Charts.heatmap("Grokking phases (Liu et al. 2022's names, scalelab's rule)", "train fraction", "weight decay",
                    xy.stream().mapToDouble(v -> v[0]).toArray(), xy.stream().mapToDouble(v -> v[1]).toArray(),
                    classes.toArray(String[]::new), false, false, ChartStyle.WIDTH, ChartStyle.HEIGHT), SweepLayout.phaseChart(dir));
        }
        return xy.size();
    }
}
