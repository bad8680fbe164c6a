package dev.scalelab.cli;

import dev.scalelab.core.model.ParamCount;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.study.Quickstart;
import dev.scalelab.study.QuickstartConfig;
import dev.scalelab.sweep.run.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** The whole loop on the built-in corpus ({@link Quickstart}): sweep, fits, prediction, check run, report. */
@Command(name = "quickstart", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Sweep, fit, predict a 10x larger budget, train there to check, and write the report.",
        descriptionHeading = "%n",
        description = {"On the built-in synthetic corpus (exact entropy floor known), with nothing else to give:",
                "1. an IsoFLOP sweep (DIR/sweep; the config is DIR/quickstart.yaml);",
                "2. approach 3 with E free and with E fixed at the validation sample's floor, N counting every parameter (--param-count), approach 2, and approach 1 "
                        + "from the loss curves, with bootstrap intervals (DIR/sweep/fits/);",
                "3. the compute-optimal N, D and loss at 10x the largest budget (or --target);",
                "4. the check: that model trained at that budget (DIR/check, its config DIR/check.yaml);",
                "5. DIR/sweep/report/index.html, with the check on the loss-vs-compute chart;",
                "then a headline (also DIR/quickstart.json): predicted and actual loss, the error, and the free "
                        + "fit's E beside the exact floor. Run again with the same --out to resume.",
                "Sizes: tiny (under a minute), default (about 6 minutes), large (about 20 minutes); all measured on "
                        + "2 cores. --config FILE runs the same loop on any IsoFLOP config on the synthetic corpus, "
                        + "e.g. configs/chinchilla-mini.yaml."})
final class QuickstartCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--size", defaultValue = "default", paramLabel = "SIZE", description = "tiny, default or large (default: ${DEFAULT-VALUE}).")
    QuickstartConfig.Size size;

    @Option(names = "--config", paramLabel = "FILE", description = "An IsoFLOP sweep config to use instead of "
            + "the built-in --size (the corpus must have a known floor: synthetic).")
    Path configFile;

    @Option(names = "--target", paramLabel = "C", description = "The budget to predict and train the check run at, "
            + "in FLOPs of the config's count (default: 10x the largest budget). A folder whose sweep is done only "
            + "refits and trains the new check run in DIR/check beside any earlier one.")
    Double targetFlops;

    @Mixin
    RunPoolOptions.Jobs jobs;

    @Mixin
    BootstrapOption bootstrap;

    @Mixin
    PrecisionOption precision;

    @Mixin
    ParamsOption params;

    @Override
    public Integer call() throws Exception {
        int b = bootstrap.resamples();
        PrintWriter w = spec.commandLine().getOut();
        String label = configFile != null ? configFile.toString() : size.name().toLowerCase(Locale.ROOT);
        Path config = QuickstartConfig.write(out, size, configFile);
        if (targetFlops != null && !(targetFlops > 0 && Double.isFinite(targetFlops))) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--target must be a positive number of FLOPs, got " + targetFlops);
        }
        ParamCount count = params.or(dev.scalelab.study.Study.PARAMS);
        Quickstart.Options o = new Quickstart.Options(out, config, label, jobs.jobs, b, targetFlops, "scalelab quickstart "
                + (configFile != null ? "--config " + configFile : "--size " + label)
                + (targetFlops != null ? String.format(Locale.ROOT, " --target %.3g", targetFlops) : "") + " --out " + out
                + " --bootstrap " + b + " --param-count " + count.id()
                + (precision.given() != null ? " --precision " + precision.given() : ""), VersionProvider.version(), count);
        Quickstart.Outcome outcome = Quickstart.run(o, this::sweep, line -> {
            w.println("quickstart " + line);
            w.flush();
        });
        if (outcome.headline() != null) {
            print(w, outcome.headline());
        }
        return outcome.exitCode();
    }

    /** A sweep with {@code scalelab sweep}'s defaults (its log on stderr). */
    private int sweep(Path config, Path dir, Integer j, boolean advice) throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Progress bar = SweepCommand.bar(err);
        return Sweep.run(SweepCommand.options(config, dir, j, null, null, precision.given(), 300, 5, true, advice, false,
                java.time.Instant.now()), err, bar, bar::finish);
    }

    private static void print(PrintWriter w, Quickstart.Headline h) {
        w.println();
        w.printf(Locale.ROOT, "quickstart: prediction at %.3g FLOPs, checked by training N = %.3g params (%.3g "
                        + "non-embedding; the fits count %s parameters) on D = %.3g tokens%n", h.targetFlops(),
                (double) h.checkTotalParams(), (double) h.checkParams(), h.paramCount(), (double) h.checkTokens());
        w.printf(Locale.ROOT, "  actual loss of the check run: %.4f nats/token%n", h.actualLoss());
        for (Map.Entry<String, FitCard.Estimate> e : h.predictedLoss().entrySet()) {
            Boolean inPrediction = h.insidePredictionInterval().get(e.getKey());
            double error = h.relativeError().get(e.getKey());
            w.printf(Locale.ROOT, "  %s: predicted %s%n", e.getKey(), Quickstart.estimate(e.getValue()));
            w.printf(Locale.ROOT, "      error %+.2f%% (absolute relative error %.2f%%); the check run is %s%n",
                    100 * error, 100 * Math.abs(error), dev.scalelab.plots.CheckVerdict.of(inPrediction,
                            h.insideInterval().get(e.getKey()), w2 -> w2.toUpperCase(Locale.ROOT)));
        }
        if (h.freeE() != null) {
            w.printf(Locale.ROOT, "  free fit's E %s beside the validation sample's exact floor %.4f (the corpus's "
                    + "expected floor %.4f)%n", Quickstart.estimate(h.freeE()), h.validationFloor(), h.corpusFloor());
        }
        w.printf(Locale.ROOT, "  report: %s%n", h.report());
        w.flush();
    }
}
