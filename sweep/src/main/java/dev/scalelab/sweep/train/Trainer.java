package dev.scalelab.sweep.train;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.core.run.RunStatus;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.corpus.Corpus;
import dev.scalelab.sweep.corpus.ModularCorpus;
import dev.scalelab.sweep.corpus.Probes;
import dev.scalelab.sweep.corpus.SyntheticCorpus;
import dev.scalelab.sweep.platform.NativeThreads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains one run into its folder: {@code spec.json}, {@code metrics.csv} (one row per evaluation),
 * {@code checkpoint/state.bin} and, at the end, {@code result.json}. A run resumed from its
 * checkpoint ends with the same bits as one never interrupted.
 */
public final class Trainer {
    /**
     * @param checkpointSteps   write a checkpoint every this many steps (0: only by time and at the end)
     * @param checkpointMinutes write a checkpoint when this many minutes passed since the last
     * @param divergenceFactor  a training loss above this multiple of the first step's loss ends the run as DIVERGED
     */
    public record Options(long checkpointSteps, double checkpointMinutes, double divergenceFactor) {
        public static Options defaults() {
            return new Options(0, 10, 1.5);
        }
    }

    /** Progress callbacks; all optional. */
    public interface Listener {
        default void onStep(long stepsDone, long steps, double trainLoss, double tokensPerSecond) {
        }

        default void onEvaluation(MetricsLog.Row row) {
        }

        default void onNote(String note) {
        }
    }

    private final TrainSpec spec;
    private final Corpus corpus;
    private final Path runDir;
    private final Options options;
    private final Listener listener;
    private final String runId;
    private final ValidationSample validation;

    private Trainer(TrainSpec spec, Corpus corpus, Path runDir, Options options, Listener listener) {
        this.spec = spec;
        this.corpus = corpus;
        this.validation = new ValidationSample(corpus, spec);
        this.runDir = runDir;
        this.options = options;
        this.listener = listener;
        this.runId = spec.runId();
    }

    /**
     * Trains {@code spec} into {@code runDir}. A finished run there is returned as it is; an
     * interrupted one is continued only with {@code resume}.
     */
    public static RunResult train(TrainSpec spec, Corpus corpus, Path runDir, boolean resume, Options options,
                                  Listener listener) {
        if (corpus.vocabSize() != spec.shape().vocab()) {
            throw new InvalidInputException((String) null, 0, "vocab", "the model's vocabulary is "
                    + spec.shape().vocab() + " but corpus " + corpus.id() + " has " + corpus.vocabSize() + " tokens",
                    "set vocab to " + corpus.vocabSize() + " or leave it out");
        }
        return new Trainer(spec, corpus, runDir, options, listener).run(resume);
    }

    private RunResult run(boolean resume) {
        RunResult finished = claimFolder(resume);
        if (finished != null) {
            listener.onNote("run " + runId + " is already complete in " + runDir);
            return finished;
        }
        NativeThreads.set(spec.threads());
        TrainingEngine.Model model = TrainingEngine.Model.of(spec);
        try (TrainingEngine engine = TrainingEngine.cpu(model, spec.optimizer(), StepOptions.of(spec.optimizer()))) {
            State state = new State();
            MetricsLog metrics;
            if (resume && Checkpoint.exists(runDir)) {
                Checkpoint c = Checkpoint.read(runDir, runId, engine.parameterCount());
                engine.restore(new TrainingEngine.Snapshot(c.values(), c.firstMoment(), c.secondMoment(),
                        c.optimizerSteps()));
                state.restore(c);
                metrics = MetricsLog.resume(runDir, c.step());
                listener.onNote("resuming run " + runId + " at step " + c.step() + " of " + spec.steps());
            } else {
                engine.init(spec.seed(), 1.0);
                metrics = new MetricsLog();
            }
            return loop(engine, state, metrics);
        }
    }

    /** Writes spec.json, or checks the folder holds this run; returns the result if it is finished. */
    private RunResult claimFolder(boolean resume) {
        Path specFile = runDir.resolve(RunLayout.SPEC);
        Path resultFile = runDir.resolve(RunLayout.RESULT);
        try {
            if (Files.isRegularFile(specFile)) {
                TrainSpec existing = Json.mapper().readValue(specFile.toFile(), TrainSpec.class);
                if (!existing.runId().equals(runId)) {
                    throw new InvalidInputException(runDir, 0, "out", "holds another run (" + existing.runId()
                            + "), not " + runId, "choose another --out folder");
                }
                if (Files.isRegularFile(resultFile)) {
                    return Json.mapper().readValue(resultFile.toFile(), RunResult.class);
                }
                if (!resume && Checkpoint.exists(runDir)) {
                    throw new InvalidInputException(runDir, 0, "out", "holds an interrupted run",
                            "add --resume to continue it, or choose another --out folder");
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(specFile, 0, null, "cannot be read (" + e.getMessage() + ")",
                    "delete the run folder to start again");
        }
        Json.write(specFile, spec);
        return null;
    }

    /** The loop's running numbers, saved in checkpoints. */
    private static final class State {
        long step;
        double firstLoss = Double.NaN;
        double bestValLoss = Double.POSITIVE_INFINITY;
        long bestStep = -1;
        double wallSecondsBefore;
        double trainLossSum;
        long trainLossCount;

        void restore(Checkpoint c) {
            step = c.step();
            firstLoss = c.firstLoss();
            bestValLoss = c.bestValLoss();
            bestStep = c.bestStep();
            wallSecondsBefore = c.wallSeconds();
            trainLossSum = c.trainLossSum();
            trainLossCount = c.trainLossCount();
        }
    }

    private RunResult loop(TrainingEngine engine, State s, MetricsLog metrics) {
        long started = System.nanoTime();
        long lastCheckpoint = started;
        long stepNanos = 0;
        long stepsThisSession = 0;
        int[] tokens = new int[spec.batch() * (spec.shape().context() + 1)];
        // a run killed after its final checkpoint and before its result resumes with no step left: its
        // final validation loss is the last one logged
        double lastValLoss = metrics.lastValLoss();
        double gradNorm = Double.NaN;
        double lr = Double.NaN;
        RunStatus status = RunStatus.COMPLETED;
        String message = null;
        if (s.step == 0 && metrics.size() == 0) {
            lastValLoss = evaluate(engine);
            metrics.add(row(s, lastValLoss, Double.NaN, Double.NaN, Double.NaN, 0, wall(s, started)));
            metrics.write(runDir);
        }
        while (s.step < spec.steps()) {
            long t0 = System.nanoTime();
            corpus.trainBatch(spec.seed(), s.step, spec.batch(), spec.shape().context(), tokens);
            lr = spec.optimizer().rate(s.step, spec.steps());
            TrainingEngine.StepResult step = engine.step(tokens, lr);
            double loss = step.loss();
            if (Double.isNaN(s.firstLoss)) {
                s.firstLoss = loss;
            }
            // the engine has applied this step's update; a diverged run saves no checkpoint or probes after it
            if (!Double.isFinite(loss) || loss > options.divergenceFactor() * s.firstLoss) {
                status = RunStatus.DIVERGED;
                message = "training loss " + loss + " at step " + s.step + (Double.isFinite(loss)
                        ? " rose above " + options.divergenceFactor() + " × the first loss " + s.firstLoss
                        : " is not finite");
                break;
            }
            gradNorm = step.gradNorm();
            s.step++;
            s.trainLossSum += loss;
            s.trainLossCount++;
            stepNanos += System.nanoTime() - t0;
            stepsThisSession++;
            double tokensPerSecond = stepsThisSession * spec.tokensPerStep() / (stepNanos / 1e9);
            listener.onStep(s.step, spec.steps(), loss, tokensPerSecond);
            if (s.step % spec.evalInterval() == 0 || s.step == spec.steps()) {
                lastValLoss = evaluate(engine);
                if (lastValLoss < s.bestValLoss) {
                    s.bestValLoss = lastValLoss;
                    s.bestStep = s.step;
                }
                MetricsLog.Row row = row(s, lastValLoss, s.trainLossSum / s.trainLossCount, lr, gradNorm,
                        tokensPerSecond, wall(s, started));
                metrics.add(row);
                metrics.write(runDir);
                listener.onEvaluation(row);
                s.trainLossSum = 0;
                s.trainLossCount = 0;
            }
            boolean byStep = options.checkpointSteps() > 0 && s.step % options.checkpointSteps() == 0;
            boolean byTime = System.nanoTime() - lastCheckpoint > options.checkpointMinutes() * 60e9;
            if (byStep || byTime || s.step == spec.steps()) {
                checkpoint(engine, s, started);
                lastCheckpoint = System.nanoTime();
            }
        }
        if (status == RunStatus.DIVERGED) {
            metrics.write(runDir);
        }
        writeProbes(engine, s.step, status == RunStatus.COMPLETED);
        double trainSeconds = stepNanos / 1e9;
        RunResult result = result(s, status, message, lastValLoss, wall(s, started),
                trainSeconds > 0 ? stepsThisSession * spec.tokensPerStep() / trainSeconds : Double.NaN);
        Json.write(runDir.resolve(RunLayout.RESULT), result);
        return result;
    }

    /**
     * Writes probes.csv: the synthetic corpus's skill probes at the end of the run; for corpora without
     * skills, or a run that diverged, the header alone, so every run folder has the file.
     */
    private void writeProbes(TrainingEngine engine, long step, boolean completed) {
        CsvTable table = CsvTable.withHeader("skill", "metric", "value", "n", "step");
        Probes.Model view = new Probes.Model() {
            @Override
            public int batch() {
                return spec.batch();
            }

            @Override
            public int context() {
                return spec.shape().context();
            }

            @Override
            public int vocab() {
                return spec.shape().vocab();
            }

            @Override
            public float[] logProbabilities(int[] tokens) {
                return engine.logProbabilities(tokens);
            }
        };
        List<Probes.Row> rows = !completed ? List.of()
                : corpus instanceof SyntheticCorpus synthetic ? Probes.evaluate(synthetic, view, step)
                : corpus instanceof ModularCorpus modular ? Probes.evaluate(modular, view, step)
                : List.of();
        for (Probes.Row r : rows) {
            table.add(r.skill(), r.metric(), r.value(), r.n(), r.step());
        }
        table.write(runDir.resolve(RunLayout.PROBES));
    }

    private double wall(State s, long started) {
        return s.wallSecondsBefore + (System.nanoTime() - started) / 1e9;
    }

    private void checkpoint(TrainingEngine engine, State s, long started) {
        TrainingEngine.Snapshot e = engine.snapshot();
        new Checkpoint(runId, s.step, e.values(), e.firstMoment(), e.secondMoment(), e.optimizerSteps(),
                s.firstLoss, s.bestValLoss, s.bestStep, wall(s, started), s.trainLossSum, s.trainLossCount)
                .write(runDir);
    }

    /** Mean loss over the study's validation sample. */
    private double evaluate(TrainingEngine engine) {
        return validation.meanLoss(engine);
    }

    private MetricsLog.Row row(State s, double valLoss, double trainLoss, double lr, double gradNorm,
                               double tokensPerSecond, double wallSeconds) {
        long tokens = s.step * spec.tokensPerStep();
        ModelShape shape = spec.shape();
        return new MetricsLog.Row(s.step, tokens, tokens * shape.flopsPerToken(FlopConvention.SIX_N),
                tokens * shape.flopsPerToken(FlopConvention.SIX_N_ATTENTION),
                tokens * shape.flopsPerToken(FlopConvention.CHINCHILLA), trainLoss, valLoss, lr, gradNorm,
                tokensPerSecond, wallSeconds);
    }

    private RunResult result(State s, RunStatus status, String message, double finalValLoss, double wallSeconds,
                             double tokensPerSecond) {
        long tokens = s.step * spec.tokensPerStep();
        Map<String, Double> flops = new LinkedHashMap<>();
        for (FlopConvention c : FlopConvention.values()) {
            flops.put(c.id(), tokens * spec.shape().flopsPerToken(c));
        }
        ModelShape shape = spec.shape();
        return new RunResult(runId, spec, status, message, s.step, tokens, flops,
                new RunResult.ParamCounts(shape.nonEmbeddingParams(), shape.totalParams(spec.tiedOutput())),
                finalValLoss, s.bestValLoss, s.bestStep, corpus.windowFloorNats(shape.context()), validation.floorNats(), corpus.epochs(tokens), wallSeconds, tokensPerSecond,
                spec.threads(), spec.classifier());
    }
}
