package dev.scalelab.study;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.ParamCount;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Predictor;
import dev.scalelab.sweep.plan.CheckRunConfig;
import dev.scalelab.sweep.plan.ConfigLoader;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole loop on a corpus with a known floor: an IsoFLOP sweep, approaches 1-3 (Hoffmann et al.
 * 2022), a prediction at 10x the largest budget, a run trained there to check it, and the report.
 * The folder holds quickstart.yaml (the sweep), sweep/, check.yaml and check/ (the check run), and
 * quickstart.json (the headline); the same call on the same folder resumes.
 */
public final class Quickstart {
    /** Trains a sweep config into a folder and returns its exit code: the run pool, as {@code scalelab sweep}. */
    public interface Sweeps {
        int run(Path config, Path out, Integer jobs, boolean advice) throws Exception;
    }

    /**
     * @param out       the folder
     * @param config    the sweep's config (QuickstartConfig writes the built-in one)
     * @param label     the size or config, recorded in the headline
     * @param jobs      sweep runs at once (null: one per CPU)
     * @param bootstrap resamples for every fit
     * @param targetFlops the budget to predict and check; null for 10x the largest budget
     * @param command   the command line, listed in the report
     * @param version   scalelab's version, recorded in each card
     * @param params    what N counts in the fits ({@link Study#PARAMS} by default)
     */
    public record Options(Path out, Path config, String label, Integer jobs, int bootstrap, Double targetFlops,
                          String command, String version, ParamCount params) {
    }

    /**
     * The headline, also written as DIR/quickstart.json.
     *
     * @param insideInterval           per fit, whether the check run's loss is inside the confidence interval
     *                                 of the law's mean (the name existing readers know)
     * @param insidePredictionInterval per fit, whether it is inside the prediction interval of one new run,
     *                                 the interval a single check run should be tested against; absent for a
     *                                 fit with no prediction interval
     * @param corpusFloor              the corpus's expected floor over windows of the context
     * @param validationFloor          the exact floor of the validation sample every run was scored on, the
     *                                 E the E-fixed fit holds (NaN when the corpus does not know it)
     * @param checkParams              the check run's non-embedding parameters
     * @param checkTotalParams         the check run's parameters, embeddings included
     * @param paramCount               what N counts in the fits, {@code optimalParams} and the predictions
     */
    public record Headline(String size, double targetFlops, long checkParams, long checkTotalParams, String paramCount,
                           long checkTokens, double actualLoss,
                           Map<String, FitCard.Estimate> predictedLoss, Map<String, Boolean> insideInterval,
                           Map<String, Boolean> insidePredictionInterval,
                           Map<String, Double> relativeError, FitCard.Estimate optimalParams,
                           FitCard.Estimate optimalTokens, FitCard.Estimate freeE, double corpusFloor, double validationFloor,
                           String report) {
        /** {@code insideInterval} under its own name, beside {@code insidePredictionInterval} (quickstart.json). */
        @com.fasterxml.jackson.annotation.JsonProperty("insideConfidenceInterval")
        public Map<String, Boolean> insideConfidenceInterval() {
            return insideInterval;
        }
    }

    /** The headline, or the exit code of a sweep that failed ({@code headline} null). */
    public record Outcome(int exitCode, Headline headline) {
    }

    private Quickstart() {
    }

    public static Outcome run(Options o, Sweeps sweeps, Consumer<String> progress) throws Exception {
        Path sweepDir = o.out().resolve("sweep");
        progress.accept("1/5 sweep " + o.config() + " -> " + sweepDir);
        int rc = sweeps.run(o.config(), sweepDir, o.jobs(), true);
        if (rc != ExitCode.OK.code() && rc != ExitCode.RUN_DIVERGED.code()) {
            return new Outcome(rc, null);
        }
        progress.accept("2/5 fits (bootstrap " + o.bootstrap() + ")");
        Study.Result study = Study.fit(new Study.Options(sweepDir, o.bootstrap(), o.targetFlops(), true, o.version(),
                o.params()));
        FitCard fixed = study.fits().get(Study.FIXED_E);
        FitCard free = study.fits().get(Study.FREE_E);
        FitCard main = fixed != null ? fixed : free;
        if (main == null) {
            throw new NoUsableFitException("no chinchilla fit from " + sweepDir + "/runs.csv: "
                    + String.join("; ", study.warnings()));
        }
        double target = study.targetFlops();
        Predictor.Prediction optimum = new Predictor(main, "fit card").atBudget(target);
        FitCard.Estimate n = optimum.outputs().get("params");
        FitCard.Estimate d = optimum.outputs().get("tokens");
        progress.accept(String.format(Locale.ROOT, "3/5 prediction at %.3g FLOPs: N* = %.3g, D* = %.3g, loss %s",
                target, n.value(), d.value(), estimate(optimum.outputs().get("loss"))));
        Path checkDir = o.out().resolve("check");
        progress.accept("4/5 check run -> " + checkDir);
        Path checkConfig = o.out().resolve("check.yaml");
        // the planner sizes a run by tokens per non-embedding parameter, the count its budgets are charged on
        double perNonEmbedding = d.value() / main.flops().nonEmbedding(n.value());
        CheckRunConfig.write(checkConfig, CheckRunConfig.of(ConfigLoader.load(o.config()).config(), target,
                perNonEmbedding, Math.max(1, Runtime.getRuntime().availableProcessors())));
        rc = sweeps.run(checkConfig, checkDir, 1, false);
        if (rc != ExitCode.OK.code()) {
            return new Outcome(rc, null);
        }
        // the run this check config planned: a folder checked at another --target before keeps that run too
        String checkId = dev.scalelab.sweep.run.SweepFolder.open(checkDir).plan().runs().get(0).runId();
        RunResult check = CheckRun.read(dev.scalelab.core.run.SweepLayout.runDir(checkDir, checkId));
        progress.accept("5/5 report");
        Path index = Study.report(study, check, dev.scalelab.core.run.SweepLayout.runDir(checkDir, checkId),
                List.of(o.command()));
        Headline h = headline(o.label(), study, check, n, d, free, index);
        Json.write(o.out().resolve("quickstart.json"), h);
        return new Outcome(0, h);
    }

    private static Headline headline(String label, Study.Result study, RunResult check, FitCard.Estimate n,
                                     FitCard.Estimate d, FitCard free, Path index) {
        double params = study.counted(check.params());
        long tokens = check.tokens();
        Map<String, FitCard.Estimate> predicted = new LinkedHashMap<>();
        Map<String, Boolean> inside = new LinkedHashMap<>();
        Map<String, Boolean> insidePrediction = new LinkedHashMap<>();
        Map<String, Double> error = new LinkedHashMap<>();
        for (String title : List.of(Study.FIXED_E, Study.FREE_E)) {
            FitCard card = study.fits().get(title);
            if (card == null) {
                continue;
            }
            // the loss the law predicts for the model actually trained (its N and D), not only at N*
            FitCard.Estimate e = new Predictor(card, "fit card").atModel(params, tokens).outputs().get("loss");
            predicted.put(title, e);
            inside.put(title, e.lo() != null && check.finalValLoss() >= e.lo() && check.finalValLoss() <= e.hi());
            if (e.prediction() != null) {
                insidePrediction.put(title, check.finalValLoss() >= e.prediction().get(0)
                        && check.finalValLoss() <= e.prediction().get(1));
            }
            error.put(title, e.value() / check.finalValLoss() - 1);
        }
        FitCard.Estimate freeE = free == null ? null : free.parameters().get("E");
        return new Headline(label, study.targetFlops(), check.params().nonEmbedding(), check.params().total(),
                study.params().id(), tokens, check.finalValLoss(), predicted, inside,
                insidePrediction, error,
                n, d, freeE, study.corpusFloor(), study.floor(), index.toString());
    }

    /**
     * 1.2345, 1.2345 [1.2000, 1.2600], or for a loss 1.2345 confidence [1.2000, 1.2600] prediction
     * [1.1900, 1.2700].
     */
    public static String estimate(FitCard.Estimate e) {
        if (e.lo() == null) {
            return String.format(Locale.ROOT, "%.4f", e.value());
        }
        if (e.prediction() == null) {
            return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", e.value(), e.lo(), e.hi());
        }
        return String.format(Locale.ROOT, "%.4f confidence [%.4f, %.4f] prediction [%.4f, %.4f]", e.value(), e.lo(),
                e.hi(), e.prediction().get(0), e.prediction().get(1));
    }
}
