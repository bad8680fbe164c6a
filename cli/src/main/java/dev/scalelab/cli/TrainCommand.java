package dev.scalelab.cli;

import dev.scalelab.core.ExitCode;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.core.run.RunStatus;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.corpus.Corpora;
import dev.scalelab.sweep.corpus.Corpus;
import dev.scalelab.sweep.platform.NativeBackend;
import dev.scalelab.sweep.train.Trainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
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
                "  text:FILE   bytes of a text file (vocabulary 256); the last 10% is the validation split; the run reports"
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

    @Option(names = "--context", defaultValue = "128", paramLabel = "T", description = "Tokens per sequence (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--vocab", paramLabel = "V", description = "Vocabulary size; defaults to the corpus's, and must equal it.")
    Integer vocab;

    @Option(names = "--untied", description = "Give the output projection its own weights instead of the token embedding's.")
    boolean untied;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "B", description = "Sequences per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @ArgGroup(exclusive = true)
    Budget budget = new Budget();

    static final class Budget {
        @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps (default: 1000).")
        Long steps;

        @Option(names = "--tokens", paramLabel = "N", description = "Training tokens, e.g. 5e6; rounded up to whole steps.")
        Double tokens;
    }

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "LR", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup", paramLabel = "STEPS", description = "Linear warm-up steps (default: 5% of the steps, at most 200).")
    Long warmup;

    @Option(names = "--schedule", defaultValue = "cosine", paramLabel = "KIND",
            description = "cosine (to 10% at the end), constant, or wsd (warm-up, stable, decay over the last 20%) (default: ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--weight-decay", defaultValue = "0.1", paramLabel = "L", description = "AdamW decoupled weight decay on matrices (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--grad-clip", defaultValue = "1.0", paramLabel = "NORM", description = "Clip the global gradient norm; 0 disables (default: ${DEFAULT-VALUE}).")
    double gradClip;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seeds initialisation and batches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--corpus", defaultValue = "synthetic", paramLabel = "ID",
            description = "synthetic, arithmetic[:...], modular[:...], markov or text:FILE (default: ${DEFAULT-VALUE}).")
    String corpus;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for native and Java kernels (default: all CPUs).")
    Integer threads;

    @Option(names = "--eval-interval", paramLabel = "STEPS", description = "Steps between validation evaluations (default: a tenth of the run).")
    Long evalInterval;

    @Option(names = "--eval-batches", defaultValue = "4", paramLabel = "N", description = "Validation batches per evaluation (default: ${DEFAULT-VALUE}).")
    int evalBatches;

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "STEPS", description = "Also checkpoint every this many steps (default: only by time and at the end).")
    long checkpointEvery;

    @Option(names = "--checkpoint-minutes", defaultValue = "10", paramLabel = "MIN", description = "Checkpoint when this many minutes passed (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Option(names = "--out", paramLabel = "DIR", description = "Run folder (default: runs/<run-id>).")
    Path out;

    @Option(names = "--resume", description = "Continue the interrupted run in --out from its checkpoint.")
    boolean resume;

    @Override
    public Integer call() {
        if (config != null) {
            return TrainConfig.rerunWith(config, spec).call();
        }
        Corpus source = Corpora.open(corpus, context);
        TrainSpec trainSpec = resolve(source);
        Path runDir = out != null ? out : RunLayout.defaultDir(trainSpec.runId());
        Progress progress = new Progress(spec.commandLine().getErr());
        RunResult result = Trainer.train(trainSpec, source, runDir, resume,
                new Trainer.Options(checkpointEvery, checkpointMinutes, 1.5), progress);
        progress.finish();
        PrintWriter outWriter = spec.commandLine().getOut();
        if (format.json()) {
            outWriter.print(Json.toText(result));
        } else {
            outWriter.printf(Locale.ROOT, "run %s %s: %d steps, %.3g tokens, final validation loss %.4f nats/token "
                            + "(best %.4f at step %d)%s; %.0f tokens/s; %s%n",
                    result.runId(), result.status().name().toLowerCase(Locale.ROOT), result.steps(),
                    (double) result.tokens(), result.finalValLoss(), result.bestValLoss(), result.bestStep(),
                    Double.isNaN(result.corpusEntropyNats()) ? ""
                            : String.format(Locale.ROOT, "; corpus floor %.4f", result.corpusEntropyNats()),
                    result.tokensPerSecond(), runDir);
            if (!Double.isNaN(result.epochs())) {
                outWriter.printf(Locale.ROOT, "%.2f epochs over the training split%s%n", result.epochs(),
                        result.epochs() > 4 ? " (beyond about 4, repeated data is worth much less: Muennighoff et al. 2023)" : "");
            }
            if (result.message() != null) {
                outWriter.println(result.message());
            }
        }
        outWriter.flush();
        return result.status() == RunStatus.COMPLETED ? ExitCode.OK.code() : ExitCode.RUN_DIVERGED.code();
    }

    /** The resolved spec: defaults filled, sizes checked, thread count and native build recorded. */
    TrainSpec resolve(Corpus source) {
        int v = vocab != null ? vocab : source.vocabSize();
        ModelShape shape;
        try {
            shape = new ModelShape(layers, heads, dModel, context, v);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(sourceName(), 0, fieldOf(e.getMessage()), e.getMessage(), null);
        }
        long steps = stepsFor(shape);
        long warm = warmup != null ? warmup : Math.min(200, Math.max(1, steps / 20));
        long interval = evalInterval != null ? evalInterval : Math.max(1, steps / 10);
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        LrSchedule kind;
        try {
            kind = LrSchedule.fromId(schedule);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(sourceName(), 0, "schedule", e.getMessage(), null);
        }
        try {
            TrainSpec.Optimizer optimizer = new TrainSpec.Optimizer(lr, kind, warm, 0.1, 0.2, weightDecay, false,
                    0.9, 0.95, 1e-8, gradClip);
            return new TrainSpec(shape, !untied, corpus, seed, batch, steps, optimizer, interval, evalBatches, n,
                    NativeBackend.describe().classifier());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(sourceName(), 0, null, e.getMessage(), null);
        }
    }

    private long stepsFor(ModelShape shape) {
        if (budget.tokens != null) {
            if (!(budget.tokens > 0)) {
                throw new InvalidInputException(sourceName(), 0, "tokens", "must be positive, got " + budget.tokens, null);
            }
            return (long) Math.ceil(budget.tokens / ((double) batch * shape.context()));
        }
        return budget.steps != null ? budget.steps : 1000;
    }

    /** Where the options came from, for error messages; set when they were read from a YAML file. */
    Path configSource;

    private String sourceName() {
        return configSource != null ? configSource.toString() : "command line";
    }

    private static String fieldOf(String message) {
        int space = message.indexOf(' ');
        return space > 0 ? message.substring(0, space) : null;
    }
}
