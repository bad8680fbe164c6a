package dev.scalelab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.scalelab.core.ExitCode;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.io.AtomicFiles;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.Predictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The whole loop on the built-in corpus: an IsoFLOP sweep, approaches 1-3 (Hoffmann et al. 2022),
 * a prediction at 10x the largest budget, a run trained there to check it, and the report.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        header = "Sweep, fit, predict a 10x larger budget, train there to check, and write the report.",
        descriptionHeading = "%n",
        description = {"On the built-in synthetic corpus (exact entropy floor known), with nothing else to give:",
                "1. an IsoFLOP sweep (DIR/sweep; the config is DIR/quickstart.yaml);",
                "2. approach 3 with E free and with E fixed at the corpus's floor, approach 2, and approach 1 "
                        + "from the loss curves, with bootstrap intervals (DIR/sweep/fits/);",
                "3. the compute-optimal N, D and loss at 10x the largest budget;",
                "4. the check: that model trained at that budget (DIR/check);",
                "5. DIR/sweep/report/index.html, with the check on the loss-vs-compute chart;",
                "then a headline (also DIR/quickstart.json): predicted and actual loss, the error, and the free "
                        + "fit's E beside the exact floor. Run again with the same --out to resume.",
                "Sizes: tiny (under a minute), default (about 6 minutes), large (about 20 minutes); all measured on "
                        + "2 cores. --config FILE runs the same loop on any IsoFLOP config on the synthetic corpus, "
                        + "e.g. configs/chinchilla-mini.yaml."})
final class QuickstartCommand implements Callable<Integer> {
    enum Size { TINY, DEFAULT, LARGE }

    static final String FIXED = "chinchilla (E fixed at the corpus floor)";
    static final String FREE = "chinchilla (E free)";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--size", defaultValue = "default", paramLabel = "SIZE", description = "tiny, default or large (default: ${DEFAULT-VALUE}).")
    Size size;

    @Option(names = "--config", paramLabel = "FILE", description = "An IsoFLOP sweep config to use instead of "
            + "the built-in --size (the corpus must have a known floor: synthetic).")
    Path configFile;

    @Option(names = "--jobs", paramLabel = "J", description = "Sweep runs at once, as processes (default: one per CPU).")
    Integer jobs;

    @Option(names = "--bootstrap", paramLabel = "N", description = "Bootstrap resamples (default: 200; 50 for tiny).")
    Integer bootstrap;

    /** The headline, also written as DIR/quickstart.json. */
    record Headline(String size, double targetFlops, long checkParams, long checkTokens, double actualLoss,
                    Map<String, FitCard.Estimate> predictedLoss, Map<String, Boolean> insideInterval,
                    Map<String, Double> relativeError, FitCard.Estimate optimalParams, FitCard.Estimate optimalTokens,
                    FitCard.Estimate freeE, double corpusFloor, String report) {
    }

    @Override
    public Integer call() throws IOException {
        int b = bootstrap != null ? bootstrap : size == Size.TINY ? 50 : 200;
        PrintWriter w = spec.commandLine().getOut();
        Path config = writeConfig();
        Path sweepDir = out.resolve("sweep");
        step(w, "1/5 sweep " + config + " -> " + sweepDir);
        List<String> sweep = new java.util.ArrayList<>(List.of("sweep", config.toString(), "--out", sweepDir.toString()));
        if (jobs != null) {
            sweep.addAll(List.of("--jobs", jobs.toString()));
        }
        int rc = sub(sweep.toArray(String[]::new));
        if (rc != ExitCode.OK.code() && rc != ExitCode.RUN_DIVERGED.code()) {
            return rc;
        }
        step(w, "2/5 fits (bootstrap " + b + ")");
        ReportCommand.Study study = ReportCommand.fitStudy(sweepDir, b, null);
        envelope(study, b);
        FitCard fixed = study.fits().get(FIXED);
        FitCard free = study.fits().get(FREE);
        FitCard main = fixed != null ? fixed : free;
        if (main == null) {
            throw new NoUsableFitException("no chinchilla fit from " + SweepLayout.runsCsv(sweepDir) + ": " + String.join("; ", study.warnings()));
        }
        double target = study.targetFlops();
        Predictor.Prediction optimum = new Predictor(main, "fit card").atBudget(target);
        FitCard.Estimate n = optimum.outputs().get("params");
        FitCard.Estimate d = optimum.outputs().get("tokens");
        step(w, String.format(Locale.ROOT, "3/5 prediction at %.3g FLOPs: N* = %.3g, D* = %.3g, loss %s",
                target, n.value(), d.value(), estimate(optimum.outputs().get("loss"))));
        Path checkDir = out.resolve("check");
        step(w, "4/5 check run -> " + checkDir);
        Path checkConfig = writeCheckConfig(config, target, d.value() / n.value());
        rc = sub("sweep", checkConfig.toString(), "--out", checkDir.toString(), "--jobs", "1", "--no-advice");
        if (rc != ExitCode.OK.code()) {
            return rc;
        }
        RunResult check = CheckRun.read(checkDir);
        step(w, "5/5 report");
        Path index = ReportCommand.write(study, check, List.of("scalelab quickstart " + (configFile != null
                ? "--config " + configFile : "--size " + size.name().toLowerCase(Locale.ROOT)) + " --out " + out
                + " --bootstrap " + b));
        Headline h = headline(study, check, n, d, free, index);
        Json.write(out.resolve("quickstart.json"), h);
        print(w, h);
        return 0;
    }

    private int sub(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(spec.commandLine().getOut());
        cl.setErr(spec.commandLine().getErr());
        return cl.execute(args);
    }

    private static void step(PrintWriter w, String line) {
        w.println("quickstart " + line);
        w.flush();
    }

    /** Writes the size's built-in config; a folder started with another size is refused, not mixed. */
    private Path writeConfig() throws IOException {
        String name = size.name().toLowerCase(Locale.ROOT);
        String text;
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new InvalidInputException(configFile, 0, "--config", "no such file", "give a sweep config, e.g. configs/chinchilla-mini.yaml");
            }
            text = Files.readString(configFile);
        } else {
            try (InputStream in = QuickstartCommand.class.getResourceAsStream("/quickstart/" + name + ".yaml")) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Path config = out.resolve("quickstart.yaml");
        if (Files.isRegularFile(config) && !Files.readString(config).equals(text)) {
            throw new InvalidInputException(config, 0, configFile != null ? "--config" : "--size",
                    "this folder was started with another --size or --config (or its config was edited)",
                    "use the same --size or --config, or another --out");
        }
        if (!Files.isRegularFile(config)) {
            AtomicFiles.writeString(config, text);
        }
        return config;
    }

    /**
     * The check run's config: the sweep's, with one budget (the target) and one size, the width nearest
     * to the predicted N* (D* over N* tokens per parameter) among every multiple of the head size within
     * the family's widths, on every core.
     */
    private Path writeCheckConfig(Path config, double target, double tokensPerParam) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode root = (ObjectNode) yaml.readTree(config.toFile());
        root.put("name", root.path("name").asText("quickstart") + "-check");
        ObjectNode family = (ObjectNode) root.get("family");
        int headSize = family.path("headSize").asInt();
        int smallest = Integer.MAX_VALUE;
        int largest = 0;
        for (com.fasterxml.jackson.databind.JsonNode width : family.path("widths")) {
            smallest = Math.min(smallest, width.asInt());
            largest = Math.max(largest, width.asInt());
        }
        if (headSize > 0 && smallest <= largest) {
            var widths = family.putArray("widths");
            for (int width = smallest; width <= largest; width += headSize) {
                widths.add(width);
            }
        }
        ObjectNode grid = root.putObject("grid");
        grid.put("kind", "isoflop");
        grid.putArray("budgets").add(target);
        grid.put("sizesPerBudget", 1);
        grid.put("tokensPerParam", tokensPerParam);
        ((ObjectNode) root.get("training")).put("threads", Math.max(1, Runtime.getRuntime().availableProcessors()));
        Path file = out.resolve("check.yaml");
        AtomicFiles.writeString(file, yaml.writeValueAsString(root));
        return file;
    }

    /** Approach 1: the lower envelope of every run's loss curve (Hoffmann et al. 2022, section 3.1). */
    private static void envelope(ReportCommand.Study study, int b) {
        ReportCommand.fit(study.dir(), study.plan(), b, study.fits(), study.warnings(), study.commands(), "curves.csv",
                "envelope (approach 1)", Fitter.Law.ENVELOPE, Map.of(), "envelope.json");
    }

    private Headline headline(ReportCommand.Study study, RunResult check, FitCard.Estimate n, FitCard.Estimate d,
                              FitCard free, Path index) {
        long params = check.params().nonEmbedding();
        long tokens = check.tokens();
        Map<String, FitCard.Estimate> predicted = new LinkedHashMap<>();
        Map<String, Boolean> inside = new LinkedHashMap<>();
        Map<String, Double> error = new LinkedHashMap<>();
        for (String title : List.of(FIXED, FREE)) {
            FitCard card = study.fits().get(title);
            if (card == null) {
                continue;
            }
            // the loss the law predicts for the model actually trained (its N and D), not only at N*
            FitCard.Estimate e = new Predictor(card, "fit card").atModel(params, tokens).outputs().get("loss");
            predicted.put(title, e);
            inside.put(title, e.lo() != null && check.finalValLoss() >= e.lo() && check.finalValLoss() <= e.hi());
            error.put(title, e.value() / check.finalValLoss() - 1);
        }
        FitCard.Estimate freeE = free == null ? null : free.parameters().get("E");
        return new Headline(configFile != null ? configFile.toString() : size.name().toLowerCase(Locale.ROOT), study.targetFlops(), params, tokens,
                check.finalValLoss(), predicted, inside, error, n, d, freeE, study.floor(), index.toString());
    }

    private static void print(PrintWriter w, Headline h) {
        w.println();
        w.printf(Locale.ROOT, "quickstart: prediction at %.3g FLOPs, checked by training N = %.3g params on D = %.3g tokens%n",
                h.targetFlops(), (double) h.checkParams(), (double) h.checkTokens());
        for (Map.Entry<String, FitCard.Estimate> e : h.predictedLoss().entrySet()) {
            w.printf(Locale.ROOT, "  predicted loss, %-42s %s  %s, error %+.2f%%%n", e.getKey() + ":",
                    estimate(e.getValue()), h.insideInterval().get(e.getKey()) ? "actual inside" : "actual OUTSIDE",
                    100 * h.relativeError().get(e.getKey()));
        }
        w.printf(Locale.ROOT, "  actual loss of the check run:                              %.4f nats/token%n", h.actualLoss());
        if (h.freeE() != null) {
            w.printf(Locale.ROOT, "  free fit's E %s beside the corpus's exact floor %.4f%n", estimate(h.freeE()), h.corpusFloor());
        }
        w.printf(Locale.ROOT, "  report: %s%n", h.report());
        w.flush();
    }

    private static String estimate(FitCard.Estimate e) {
        return e.lo() == null ? String.format(Locale.ROOT, "%.4f", e.value())
                : String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", e.value(), e.lo(), e.hi());
    }
}
