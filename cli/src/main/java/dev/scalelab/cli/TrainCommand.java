package dev.scalelab.cli;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.core.run.RunStatus;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.core.run.TrainingDefaults;
import dev.scalelab.sweep.corpus.Corpora;
import dev.scalelab.sweep.corpus.Corpus;
import dev.scalelab.core.run.Precision;
import dev.scalelab.sweep.train.SingleRun;
import dev.scalelab.sweep.train.Trainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Trains one model and writes its run folder. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        header = "Train one transformer and write its run folder.",
        descriptionHeading = "%n",
        description = {
                "Trains a GPT-style decoder (pre-LayerNorm, GELU MLP, learned positions) with AdamW on a corpus, "
                        + "evaluating on its validation stream every --eval-interval steps. The run folder gets "
                        + "spec.json, metrics.csv (step, tokens, flops under each convention, train and validation "
                        + "loss, lr, grad norm, tokens/s, wall seconds), checkpoint/state.bin and result.json.",
                "",
                "Options may also come from a YAML file (--config) whose keys are the long option names without "
                        + "dashes, e.g. 'd-model: 128'; options on the command line win.",
                "",
                "An interrupted run continues with --resume and ends with the same bits as one never "
                        + "interrupted (same threads and native build)."},
        footerHeading = "%nCorpora:%n",
        footer = {
                "  synthetic   facts, topic chains, copying and arithmetic episodes with an exact entropy floor (default)",
                "  arithmetic  only a+b=c episodes (arithmetic:digits=3,order=msb for options), with an exact floor",
                "  modular     a∘b=c mod p with held-out pairs, for grokking (modular:p=97,op=+,train=0.5; --context 4)",
                "  markov      a seeded Markov source over 256 tokens with an exactly known entropy rate",
                "  text:FILE   bytes of a text file (vocabulary 256); the last 10%% is the validation split; the run reports"
                        + " its epochs"})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    FormatOption format;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file of options (keys: long option names).")
    Path config;

    @Option(names = "--d-model", defaultValue = "64", paramLabel = "N", description = "Residual width (default: ${DEFAULT-VALUE}).")
    int dModel;

    @Option(names = "--layers", defaultValue = "2", paramLabel = "N", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--heads", defaultValue = "2", paramLabel = "N", description = "Attention heads; must divide --d-model (default: ${DEFAULT-VALUE}).")
    int heads;

    @Mixin
    ContextOption context;

    @Option(names = "--vocab", paramLabel = "V", description = "Vocabulary size; defaults to the corpus's, and must equal it.")
    Integer vocab;

    @Option(names = "--untied", description = "Give the output projection its own weights instead of the token embedding's.")
    boolean untied;

    @Option(names = "--batch", defaultValue = "" + TrainingDefaults.TRAIN_BATCH, paramLabel = "B", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @ArgGroup(exclusive = true)
    TrainBudget budget = new TrainBudget();

    @Option(names = "--lr", defaultValue = "" + TrainingDefaults.TRAIN_LR, paramLabel = "LR", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup", paramLabel = "STEPS", description = "Linear warm-up steps (default: 5%% of the steps, at most "
            + TrainingDefaults.TRAIN_WARMUP_MAX_STEPS + ").")
    Long warmup;

    @Option(names = "--schedule", defaultValue = TrainingDefaults.SCHEDULE, paramLabel = "KIND",
            description = "cosine (to 10%% at the end), constant, or wsd (warm-up, stable, decay over the last 20%%) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--weight-decay", defaultValue = "" + TrainingDefaults.WEIGHT_DECAY, paramLabel = "L", description = "AdamW decoupled weight decay on matrices (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--grad-clip", defaultValue = "" + TrainingDefaults.GRAD_CLIP, paramLabel = "NORM", description = "Clip the global gradient norm; 0 disables (default: ${DEFAULT-VALUE}).")
    double gradClip;

    @Mixin
    SeedOption seed;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--corpus", defaultValue = "synthetic", paramLabel = "ID",
            description = "synthetic, arithmetic[:...], modular[:...], markov or text:FILE (default: ${DEFAULT-VALUE}).")
    String corpus;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--eval-interval", paramLabel = "STEPS", description = "Steps between validation evaluations (default: a tenth of the run).")
    Long evalInterval;

    @Option(names = "--eval-batches", defaultValue = "" + TrainingDefaults.EVAL_BATCHES, paramLabel = "N", description = "Validation batches of 16 windows per evaluation, as a sweep's (default: ${DEFAULT-VALUE}).")
    int evalBatches;

    @Option(names = "--eval-seed", defaultValue = "" + TrainingDefaults.EVAL_SEED, paramLabel = "N", description = "Seeds the validation sample, apart from --seed: runs with one --eval-seed and context are scored on the same windows (default: ${DEFAULT-VALUE}).")
    long evalSeed;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "STEPS", description = "Also checkpoint every this many steps (default: only by time and at the end).")
    long checkpointEvery;

    @Option(names = "--checkpoint-minutes", defaultValue = "10", paramLabel = "MIN", description = "Checkpoint when this many minutes passed (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/<run-id>).")
    Path out;

    @Option(names = "--resume", description = "Continue the interrupted run in --out from its checkpoint.")
    boolean resume;

    /** Where the options came from, for error messages; set when they were read from a YAML file. */
    Path configSource;

    @Override
    public Integer call() {
        if (config != null) {
            return TrainConfig.rerunWith(config, spec).call();
        }
        Corpus source = Corpora.open(corpus, context.context);
        TrainSpec trainSpec = resolve(source);
        Path runDir = out != null ? out : RunLayout.defaultDir(trainSpec.runId());
        Progress progress = new Progress(spec.commandLine().getErr());
        RunResult result = Trainer.train(trainSpec, source, runDir, resume,
                new Trainer.Options(checkpointEvery, checkpointMinutes, 1.5), progress);
        progress.finish();
        RunPrinter.print(spec.commandLine().getOut(), result, runDir, format.json());
        return result.status() == RunStatus.COMPLETED ? ExitCode.OK.code() : ExitCode.RUN_DIVERGED.code();
    }

    /** The resolved spec ({@link SingleRun}): defaults filled, sizes checked, thread count and native build recorded. */
    TrainSpec resolve(Corpus source) {
        return new SingleRun(layers, heads, dModel, context.context, vocab, untied, batch, budget.steps, budget.tokens, lr, warmup,
                schedule, weightDecay, gradClip, seed.seed, corpus, threads.orAllCpus(), evalInterval, evalBatches,
                evalSeed)
                .resolve(source, configSource != null ? configSource.toString() : "command line")
                .withPrecision(precision.given() == null ? Precision.FP32 : Precision.fromLabel(precision.given()));
    }
}
