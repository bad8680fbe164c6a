package dev.scalelab.sweep.grok;

import dev.scalelab.core.run.TrainingDefaults;
import dev.scalelab.sweep.plan.ConfigLoader;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A grokking run, resolved from a {@link GrokConfig} with every default filled in and checked.
 * {@link #withCell} gives the spec of one phase-diagram cell.
 */
public record GrokSpec(String name, int p, String op, double trainFraction, long splitSeed,
                       int layers, int dModel, int heads, int mlpWidth, String activation, boolean layerNorm,
                       boolean tiedOutput, double initScale, double lr, double beta1, double beta2, double weightDecay, int batch,
                       long steps, long warmupSteps, long seed, int threads, int logPoints,
                       boolean stopAfterGeneralised, double memorised, double generalised, double grokRatio,
                       List<Double> phaseTrainFractions, List<Double> phaseWeightDecays) {

    public static GrokSpec load(Path file) {
        ConfigLoader.Parsed<GrokConfig> parsed = ConfigLoader.parse(file, GrokConfig.class, "configs/grok-quick.yaml");
        GrokConfig c = parsed.config();
        GrokConfig.Task task = c.task() != null ? c.task() : new GrokConfig.Task(null, null, null, null);
        GrokConfig.Model model = c.model() != null ? c.model() : new GrokConfig.Model(null, null, null, null, null, null, null, null);
        GrokConfig.Training t = c.training() != null ? c.training()
                : new GrokConfig.Training(null, null, null, null, null, null, null, null, null, null, null);
        GrokConfig.Detector d = c.detector() != null ? c.detector() : new GrokConfig.Detector(null, null, null);
        int p = or(task.p(), 97);
        if (p < 3 || !java.math.BigInteger.valueOf(p).isProbablePrime(30)) {
            throw parsed.error("task.p", p + " is not a prime above 2", "use a prime such as 23, 97 or 113");
        }
        String op = or(task.op(), "+");
        if (!List.of("+", "-", "*", "/", "x2+y2").contains(op)) {
            throw parsed.error("task.op", "unknown operation '" + op + "'", "use +, -, *, / or x2+y2");
        }
        double fraction = or(task.trainFraction(), 0.5);
        checkFraction(parsed, "task.trainFraction", fraction);
        int dModel = or(model.dModel(), 128);
        int heads = or(model.heads(), 4);
        if (dModel <= 0 || heads <= 0 || dModel % heads != 0) {
            throw parsed.error("model.heads", heads + " heads do not divide dModel " + dModel, "e.g. dModel 128 with 4 heads");
        }
        int layers = or(model.layers(), 1);
        positive(parsed, "model.layers", layers);
        String activation = or(model.activation(), "relu");
        if (!activation.equals("relu") && !activation.equals("gelu")) {
            throw parsed.error("model.activation", "unknown activation '" + activation + "'", "use relu or gelu");
        }
        int mlp = or(model.mlpWidth(), 4 * dModel);
        positive(parsed, "model.mlpWidth", mlp);
        double initScale = or(model.initScale(), 1.0);
        positive(parsed, "model.initScale", initScale);
        double lr = or(t.lr(), TrainingDefaults.GROK_LR);
        positive(parsed, "training.lr", lr);
        double b1 = or(t.beta1(), TrainingDefaults.BETA1);
        double b2 = or(t.beta2(), TrainingDefaults.GROK_BETA2);
        if (!(b1 >= 0 && b1 < 1)) {
            throw parsed.error("training.beta1", b1 + " is not in [0, 1)", "e.g. 0.9");
        }
        if (!(b2 >= 0 && b2 < 1)) {
            throw parsed.error("training.beta2", b2 + " is not in [0, 1)", "e.g. 0.98");
        }
        double wd = or(t.weightDecay(), TrainingDefaults.GROK_WEIGHT_DECAY);
        if (!(wd >= 0)) {
            throw parsed.error("training.weightDecay", wd + " is negative", "e.g. 1.0");
        }
        int batch = or(t.batch(), 0);
        if (batch < 0) {
            throw parsed.error("training.batch", batch + " is negative", "0 for the full training set, or equations per step");
        }
        long steps = or(t.steps(), 10_000L);
        positive(parsed, "training.steps", steps);
        long warmup = or(t.warmupSteps(), TrainingDefaults.GROK_WARMUP_STEPS);
        if (warmup < 0) {
            throw parsed.error("training.warmupSteps", warmup + " is negative", "e.g. 10");
        }
        int threads = or(t.threads(), 1);
        positive(parsed, "training.threads", threads);
        int logPoints = or(t.logPoints(), 80);
        if (logPoints < 2) {
            throw parsed.error("training.logPoints", logPoints + " is fewer than 2", "e.g. 80");
        }
        double memorised = or(d.memorised(), 0.99);
        double generalised = or(d.generalised(), 0.99);
        checkAccuracy(parsed, "detector.memorised", memorised);
        checkAccuracy(parsed, "detector.generalised", generalised);
        double ratio = or(d.grokRatio(), 3.0);
        if (!(ratio >= 1)) {
            throw parsed.error("detector.grokRatio", ratio + " is below 1", "e.g. 3: generalising 3x later than memorising is grokking");
        }
        List<Double> fractions = c.phase() == null || c.phase().trainFractions() == null ? List.of() : c.phase().trainFractions();
        List<Double> decays = c.phase() == null || c.phase().weightDecays() == null ? List.of() : c.phase().weightDecays();
        for (int i = 0; i < fractions.size(); i++) {
            checkFraction(parsed, "phase.trainFractions[" + i + "]", fractions.get(i));
        }
        for (int i = 0; i < decays.size(); i++) {
            if (!(decays.get(i) >= 0)) {
                throw parsed.error("phase.weightDecays[" + i + "]", decays.get(i) + " is negative", "weight decays are 0 or more");
            }
        }
        String name = c.name() != null ? c.name() : file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        return new GrokSpec(name, p, op, fraction, or(task.splitSeed(), 0L), layers, dModel, heads, mlp, activation,
                or(model.layerNorm(), true), or(model.tiedOutput(), false), initScale, lr, b1, b2, wd, batch, steps, warmup,
                or(t.seed(), TrainingDefaults.SEED), threads, logPoints, or(t.stopAfterGeneralised(), true), memorised, generalised, ratio,
                List.copyOf(fractions), List.copyOf(decays));
    }

    /** This spec with another train fraction and weight decay: one cell of the phase diagram. */
    public GrokSpec withCell(double fraction, double decay) {
        return new GrokSpec(name, p, op, fraction, splitSeed, layers, dModel, heads, mlpWidth, activation, layerNorm,
                tiedOutput, initScale, lr, beta1, beta2, decay, batch, steps, warmupSteps, seed, threads, logPoints,
                stopAfterGeneralised, memorised, generalised, grokRatio, phaseTrainFractions, phaseWeightDecays);
    }

    /** The cell's folder name, e.g. {@code f0.5-wd1}. */
    public String cellId() {
        return String.format(Locale.ROOT, "f%s-wd%s", trim(trainFraction), trim(weightDecay));
    }

    /** The corpus id of the modular task, as {@code scalelab corpus describe} takes it. */
    public String corpusId() {
        return String.format(Locale.ROOT, "modular:p=%d,op=%s,train=%s", p, op, trainFraction);
    }

    private static String trim(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static void positive(ConfigLoader.Parsed<?> parsed, String path, double v) {
        if (!(v > 0)) {
            throw parsed.error(path, v + " is not positive", "give a positive value");
        }
    }

    private static void checkFraction(ConfigLoader.Parsed<?> parsed, String path, double v) {
        if (!(v > 0 && v < 1)) {
            throw parsed.error(path, v + " is not in (0, 1)", "the share of all pairs used for training, e.g. 0.5");
        }
    }

    private static void checkAccuracy(ConfigLoader.Parsed<?> parsed, String path, double v) {
        if (!(v > 0 && v <= 1)) {
            throw parsed.error(path, v + " is not in (0, 1]", "an accuracy, e.g. 0.99");
        }
    }
}
