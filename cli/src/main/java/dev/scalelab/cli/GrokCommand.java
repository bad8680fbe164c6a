package dev.scalelab.cli;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.fitting.grok.Grokking;
import dev.scalelab.study.GrokStudy;
import dev.scalelab.sweep.grok.GrokSpec;
import dev.scalelab.sweep.run.Shard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

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

    @Mixin
    RunPoolOptions.Jobs jobs;

    @Mixin
    RunPoolOptions.ShardOption shard;

    @Option(names = "--memorised", paramLabel = "ACC", description = "Train accuracy that counts as memorised (default: the config's, else 0.99).")
    Double memorised;

    @Option(names = "--generalised", paramLabel = "ACC", description = "Validation accuracy that counts as generalised (default: the config's, else 0.99).")
    Double generalised;

    @Option(names = "--grok-ratio", paramLabel = "R", description = "Generalising R times later than memorising or more is grokking (default: the config's, else 3).")
    Double grokRatio;

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
            GrokStudy.Result r = GrokStudy.run(s, dir, thresholds, w, true);
            w.printf(Locale.ROOT, "%s%n  %s%n  charts: %s, %s%n", r.events().summary(), summary(r), dir.resolve(RunLayout.ACCURACY_CHART),
                    dir.resolve(RunLayout.LOSS_CHART));
            w.flush();
            return 0;
        }
        if (s.phaseTrainFractions().isEmpty() || s.phaseWeightDecays().isEmpty()) {
            throw new InvalidInputException(config, 0, "phase", "the config has no phase grid",
                    "add phase: {trainFractions: [0.3, 0.5, 0.7], weightDecays: [0, 0.3, 1]}");
        }
        Path dir = out != null ? out : Path.of("runs", s.name() + "-phase");
        Shard sh = Shard.parse(shard.shard);
        List<GrokSpec> cells = GrokStudy.cells(s);
        int j = jobs.jobs != null ? jobs.jobs : Math.max(1, Runtime.getRuntime().availableProcessors() / s.threads());
        w.printf(Locale.ROOT, "grok %s: phase diagram of %d cells (%d train fractions x %d weight decays), %d at once%n",
                s.name(), cells.size(), s.phaseTrainFractions().size(), s.phaseWeightDecays().size(), j);
        w.flush();
        int written = GrokStudy.phase(s, dir, thresholds, j, sh, line -> {
            synchronized (w) {
                w.println(line);
                w.flush();
            }
        });
        w.printf(Locale.ROOT, "phase diagram: %d of %d cells done -> %s, %s%n", written, cells.size(), SweepLayout.phaseCsv(dir),
                SweepLayout.phaseChart(dir));
        w.flush();
        return 0;
    }

    private static String summary(GrokStudy.Result r) {
        return String.format(Locale.ROOT, "p = %d, train fraction %.2f (%d equations), weight decay %s, %d params; "
                        + "%d steps in %.0f s; final train accuracy %.3f, validation accuracy %.3f",
                r.spec().p(), r.spec().trainFraction(), r.trainPairs(), r.spec().weightDecay(), r.params(), r.stepsRun(),
                r.wallSeconds(), r.last().trainAccuracy(), r.last().validationAccuracy());
    }
}
