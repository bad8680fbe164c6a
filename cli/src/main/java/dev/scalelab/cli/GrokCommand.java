package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.io.Json;
import dev.scalelab.fitting.grok.Grokking;
import dev.scalelab.plots.ChartFiles;
import dev.scalelab.plots.ChartStyle;
import dev.scalelab.plots.Charts;
import dev.scalelab.sweep.grok.GrokRun;
import dev.scalelab.sweep.grok.GrokSpec;
import dev.scalelab.sweep.run.Claims;
import dev.scalelab.sweep.run.SweepRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Grokking runs on modular arithmetic, their detector, and the phase diagram. */
@Command(name = "grok", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Train on modular arithmetic, detect grokking, and map its phases over train fraction x weight decay.",
        descriptionHeading = "%n",
        description = {
                "Trains the config's model (configs/grok-*.yaml) on the equations a o b = c mod p, the loss on c alone, "
                        + "with AdamW at a constant rate after warm-up, and logs at log-spaced steps the train and "
                        + "validation loss and accuracy, the weight norm and the learning rate (DIR/metrics.csv).",
                "The detector (grokking as Power et al. 2022 describe it): the memorisation step (train accuracy first >= --memorised), the "
                        + "generalisation step (validation accuracy first >= --generalised), the delay and ratio, and "
                        + "the phase, named as in Liu et al. 2022, by scalelab's rule (the thresholds are not the "
                        + "paper's): comprehension (generalised within --grok-ratio times the memorisation step), "
                        + "grokking (later), memorisation (never generalised within budget), confusion (never fitted "
                        + "the training set). Printed, and written to DIR/result.json; charts "
                        + "DIR/accuracy.png and DIR/loss.png mark the events.",
                "--phase runs the config's phase grid (phase.trainFractions x phase.weightDecays), one run per cell in "
                        + "DIR/cells/, resumable, shardable (--shard K/N, several processes may share DIR) and parallel "
                        + "(--jobs), then writes DIR/phase.csv and the heatmap DIR/phase.png.",
                "A finished run (its result.json) is not trained again: its events are detected again from its "
                        + "metrics.csv with the thresholds given now (a run that stopped at its generalisation, "
                        + "training.stopAfterGeneralised, cannot show a later one); so are the cells behind phase.csv. An "
                        + "interrupted run starts over."})
final class GrokCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "A grokking config, e.g. configs/grok-quick.yaml.")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/NAME, NAME-phase with --phase).")
    Path out;

    @Option(names = "--phase", description = "Run the phase diagram over the config's phase grid.")
    boolean phase;

    @Option(names = "--jobs", paramLabel = "J", description = "Phase cells at once (default: one per CPU / threads per run).")
    Integer jobs;

    @Option(names = "--shard", paramLabel = "K/N", description = "Run only phase cells K, K+N, ... (1-based), e.g. 2/4.")
    String shard;

    @Option(names = "--memorised", paramLabel = "ACC", description = "Train accuracy that counts as memorised (default: the config's, else 0.99).")
    Double memorised;

    @Option(names = "--generalised", paramLabel = "ACC", description = "Validation accuracy that counts as generalised (default: the config's, else 0.99).")
    Double generalised;

    @Option(names = "--grok-ratio", paramLabel = "R", description = "Generalising R times later than memorising or more is grokking (default: the config's, else 3).")
    Double grokRatio;

    /** What DIR/result.json holds. */
    record Result(GrokSpec spec, long params, int trainPairs, int validationPairs, long stepsRun, double wallSeconds,
                  GrokRun.Point last, Grokking.Events events) {
    }

    @Override
    public Integer call() throws Exception {
        GrokSpec s = GrokSpec.load(config);
        Grokking.Thresholds thresholds;
        try {
            thresholds = new Grokking.Thresholds(memorised != null ? memorised : s.memorised(),
                    generalised != null ? generalised : s.generalised(), grokRatio != null ? grokRatio : s.grokRatio());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("command line", 0, "--memorised", e.getMessage(), "accuracies in (0, 1], a ratio of 1 or more");
        }
        PrintWriter w = spec.commandLine().getOut();
        if (!phase) {
            Path dir = out != null ? out : Path.of("runs", s.name());
            Result r = run(s, dir, thresholds, w, true);
            w.printf(Locale.ROOT, "%s%n  %s%n  charts: %s, %s%n", r.events().summary(), summary(r), dir.resolve("accuracy.png"),
                    dir.resolve("loss.png"));
            w.flush();
            return 0;
        }
        if (s.phaseTrainFractions().isEmpty() || s.phaseWeightDecays().isEmpty()) {
            throw new InvalidInputException(config, 0, "phase", "the config has no phase grid",
                    "add phase: {trainFractions: [0.3, 0.5, 0.7], weightDecays: [0, 0.3, 1]}");
        }
        Path dir = out != null ? out : Path.of("runs", s.name() + "-phase");
        int[] kn = SweepCommand.parseShard(shard);
        List<GrokSpec> cells = new ArrayList<>();
        for (double f : s.phaseTrainFractions()) {
            for (double d : s.phaseWeightDecays()) {
                cells.add(s.withCell(f, d));
            }
        }
        int j = jobs != null ? jobs : Math.max(1, Runtime.getRuntime().availableProcessors() / s.threads());
        w.printf(Locale.ROOT, "grok %s: phase diagram of %d cells (%d train fractions x %d weight decays), %d at once%n",
                s.name(), cells.size(), s.phaseTrainFractions().size(), s.phaseWeightDecays().size(), j);
        w.flush();
        try (Claims claims = SweepRunner.claims(Duration.ofMinutes(5))) {
            ExecutorService pool = Executors.newFixedThreadPool(j);
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < cells.size(); i++) {
                if (i % kn[1] != kn[0] - 1) {
                    continue;
                }
                GrokSpec cell = cells.get(i);
                Path cellDir = dir.resolve("cells").resolve(cell.cellId());
                futures.add(pool.submit(() -> {
                    if (Files.isRegularFile(cellDir.resolve("result.json")) || !claims.tryClaim(cellDir)) {
                        return null; // finished (phase.csv detects it again below) or another process's
                    }
                    try {
                        Result r = run(cell, cellDir, thresholds, null, false);
                        synchronized (w) {
                            w.printf(Locale.ROOT, "cell %-16s %s%n", cell.cellId(), r.events().summary());
                            w.flush();
                        }
                    } finally {
                        claims.release(cellDir);
                    }
                    return null;
                }));
            }
            pool.shutdown();
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r; // a cell's own error (exit 3 for a damaged folder or a full disk), not a wrapper
                    }
                    throw e;
                }
            }
        }
        int written = writePhase(dir, cells, thresholds);
        w.printf(Locale.ROOT, "phase diagram: %d of %d cells done -> %s, %s%n", written, cells.size(), dir.resolve("phase.csv"),
                dir.resolve("phase.png"));
        w.flush();
        return 0;
    }

    private static String summary(Result r) {
        return String.format(Locale.ROOT, "p = %d, train fraction %.2f (%d equations), weight decay %s, %d params; "
                        + "%d steps in %.0f s; final train accuracy %.3f, validation accuracy %.3f",
                r.spec().p(), r.spec().trainFraction(), r.trainPairs(), r.spec().weightDecay(), r.params(), r.stepsRun(),
                r.wallSeconds(), r.last().trainAccuracy(), r.last().validationAccuracy());
    }

    /** Trains (or reads back) one run, detects its events, writes result.json and its charts. */
    private static Result run(GrokSpec s, Path dir, Grokking.Thresholds t, PrintWriter progress, boolean charts)
            throws IOException {
        Path file = dir.resolve("result.json");
        if (Files.isRegularFile(file)) { // finished: detect again, the thresholds may have changed
            Result stored = Json.mapper().readValue(file.toFile(), Result.class);
            List<GrokRun.Point> pts = GrokRun.readPoints(dir);
            Grokking.Events events = detect(pts, t);
            if (events.equals(stored.events()) && (!charts || Files.isRegularFile(dir.resolve("accuracy.png")))) {
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
                    ChartStyle.HEIGHT), dir.resolve("accuracy.png"));
            ChartFiles.write(Charts.dynamics(title, steps, shown.stream().mapToDouble(GrokRun.Point::trainLoss).toArray(),
                    shown.stream().mapToDouble(GrokRun.Point::validationLoss).toArray(), marks, ChartStyle.WIDTH,
                    ChartStyle.HEIGHT), dir.resolve("loss.png"));
        }
    }

    /**
     * phase.csv and phase.png from every finished cell, whichever process trained it, each detected
     * again from its metrics.csv with {@code t}; returns how many there were.
     */
    private static int writePhase(Path dir, List<GrokSpec> cells, Grokking.Thresholds t) throws IOException {
        CsvTable table = CsvTable.withHeader("train_fraction", "weight_decay", "phase", "memorised_step",
                "generalised_step", "ratio", "steps_run", "train_accuracy", "validation_accuracy");
        List<double[]> xy = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (GrokSpec cell : cells) {
            Path file = dir.resolve("cells").resolve(cell.cellId()).resolve("result.json");
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
        table.write(dir.resolve("phase.csv"));
        if (!xy.isEmpty()) {
            ChartFiles.write(Charts.heatmap("Grokking phases (Liu et al. 2022's names, scalelab's rule)", "train fraction", "weight decay",
                    xy.stream().mapToDouble(v -> v[0]).toArray(), xy.stream().mapToDouble(v -> v[1]).toArray(),
                    classes.toArray(String[]::new), false, false, ChartStyle.WIDTH, ChartStyle.HEIGHT), dir.resolve("phase.png"));
        }
        return xy.size();
    }
}
