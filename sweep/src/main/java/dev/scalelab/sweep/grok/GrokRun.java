package dev.scalelab.sweep.grok;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.core.run.TrainingDefaults;
import dev.scalelab.sweep.corpus.ModularCorpus;
import dev.scalelab.sweep.model.Architecture;
import dev.scalelab.sweep.platform.NativeThreads;
import dev.scalelab.sweep.train.StepOptions;
import dev.scalelab.sweep.train.TrainingEngine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Trains one grokking run: a small transformer on the modular equations [a, ∘, b, =, c], the loss on
 * the answer c alone, AdamW with decoupled weight decay at a constant rate after a linear warm-up
 * (Power et al. 2022), full-batch or mini-batch. At log-spaced steps it evaluates the whole training
 * and validation sets (loss and accuracy of the answer), the weights' L2 norm and the learning rate,
 * and writes them to metrics.csv (atomically) at the end. With {@code stopAfterGeneralised} the run
 * ends at the first evaluation where both accuracies have crossed their thresholds.
 */
public final class GrokRun {
    static final List<String> HEADER = List.of("step", "lr", "train_loss", "train_accuracy", "validation_loss",
            "validation_accuracy", "weight_norm");
    private static final String RETRAIN = "delete the run's folder to train it again";

    /** One evaluation. */
    public record Point(long step, double lr, double trainLoss, double trainAccuracy, double validationLoss,
                        double validationAccuracy, double weightNorm) {
    }

    /** A trained run: its evaluations and sizes. */
    public record Trained(List<Point> points, long params, int trainPairs, int validationPairs, long stepsRun,
                          double wallSeconds) {
    }

    /** Progress, for the command line. */
    public interface Listener {
        void onPoint(Point p);
    }

    private GrokRun() {
    }

    public static Trained train(GrokSpec spec, Path dir, Listener listener) {
        long started = System.nanoTime();
        ModularCorpus corpus = new ModularCorpus(spec.p(), ModularCorpus.Op.of(spec.op()), spec.trainFraction(),
                spec.splitSeed());
        int[][] train = corpus.trainSet();
        int[][] validation = corpus.validationSet();
        int context = ModularCorpus.EQUATION - 1;
        int batch = spec.batch() == 0 ? train.length : Math.min(spec.batch(), train.length);
        ModelShape shape = new ModelShape(spec.layers(), spec.heads(), spec.dModel(), context, corpus.vocabSize());
        Architecture arch = new Architecture(spec.activation(), spec.layerNorm(), spec.mlpWidth());
        NativeThreads.set(spec.threads());
        TrainSpec.Optimizer opt = TrainingDefaults.grokAdamW(spec.lr(), spec.warmupSteps(), spec.weightDecay(),
                spec.beta1(), spec.beta2());
        List<Point> points = new ArrayList<>();
        long stepsRun = 0;
        // no clipping, the loss on the answer c alone (the target of the last position), and weight decay
        // on every parameter as in PyTorch's AdamW
        StepOptions grokStep = new StepOptions(0, true, List.of(context - 1));
        try (TrainingEngine engine = TrainingEngine.cpu(new TrainingEngine.Model(shape, spec.tiedOutput(), batch,
                spec.threads(), arch), opt, grokStep)) {
            engine.init(spec.seed(), spec.initScale());
            TreeSet<Long> logAt = logSteps(spec.steps(), spec.logPoints());
            int[] tokens = new int[batch * ModularCorpus.EQUATION];
            int[] order = new int[train.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            SplittableRandom rng = new SplittableRandom(spec.seed());
            int cursor = order.length;
            Long memorised = null;
            for (long step = 0; step <= spec.steps(); step++) {
                double lr = opt.rate(step, spec.steps());
                if (logAt.contains(step)) {
                    Point p = evaluate(engine, corpus, train, validation, batch, step, lr);
                    points.add(p);
                    listener.onPoint(p);
                    stepsRun = step;
                    if (memorised == null && p.trainAccuracy() >= spec.memorised()) {
                        memorised = step;
                    }
                    if (!Double.isFinite(p.trainLoss())) {
                        break;
                    }
                    if (spec.stopAfterGeneralised() && memorised != null && p.validationAccuracy() >= spec.generalised()) {
                        break;
                    }
                }
                if (step == spec.steps()) {
                    break;
                }
                for (int b = 0; b < batch; b++) {   // full batch: every pair; else the next of a shuffled epoch
                    int index;
                    if (batch == train.length) {
                        index = b;
                    } else {
                        if (cursor == order.length) {
                            shuffle(order, rng);
                            cursor = 0;
                        }
                        index = order[cursor++];
                    }
                    corpus.write(train[index][0], train[index][1], tokens, b * ModularCorpus.EQUATION, ModularCorpus.EQUATION);
                }
                engine.step(tokens, lr);
            }
            CsvTable table = new CsvTable(HEADER);
            for (Point p : points) {
                table.add(p.step(), p.lr(), p.trainLoss(), p.trainAccuracy(), p.validationLoss(), p.validationAccuracy(),
                        p.weightNorm());
            }
            table.write(RunLayout.metrics(dir));
            return new Trained(List.copyOf(points), engine.parameterCount(), train.length, validation.length,
                    stepsRun, (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * The evaluations a finished run wrote to {@code dir/metrics.csv}, so its events can be detected
     * again with other thresholds without training again.
     */
    public static List<Point> readPoints(Path dir) {
        Path file = RunLayout.metrics(dir);
        CsvTable table = CsvTable.read(file, RETRAIN);
        if (!table.header().equals(HEADER)) {
            throw new InvalidInputException(file, Math.max(1, table.headerLine()), null, "not a grokking run's metrics "
                    + "(header is not " + String.join(",", HEADER) + ")", RETRAIN);
        }
        List<Point> points = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            points.add(new Point(row.whole("step"), row.number("lr"), row.number("train_loss"),
                    row.number("train_accuracy"), row.number("validation_loss"), row.number("validation_accuracy"),
                    row.number("weight_norm")));
        }
        if (points.isEmpty()) {
            throw new InvalidInputException(file, 0, null, "holds no evaluations", RETRAIN);
        }
        return points;
    }

    /** Step 0, then about {@code count} steps spaced evenly in log(step), and the last step. */
    static TreeSet<Long> logSteps(long steps, int count) {
        TreeSet<Long> at = new TreeSet<>();
        at.add(0L);
        at.add(steps);
        for (int i = 0; i < count; i++) {
            at.add(Math.round(Math.pow(steps, i / (double) (count - 1))));
        }
        return at;
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Loss and accuracy of the answer over every pair of both sets, in batches of the model's size. */
    private static Point evaluate(TrainingEngine engine, ModularCorpus corpus, int[][] train, int[][] validation, int batch,
                                  long step, double lr) {
        double[] tr = score(engine, corpus, train, batch);
        double[] va = score(engine, corpus, validation, batch);
        double norm = 0;
        for (float v : engine.parameters()) {
            norm += (double) v * v;
        }
        return new Point(step, lr, tr[0], tr[1], va[0], va[1], Math.sqrt(norm));
    }

    private static double[] score(TrainingEngine engine, ModularCorpus corpus, int[][] pairs, int batch) {
        int context = ModularCorpus.EQUATION - 1;
        int vocab = corpus.vocabSize();
        int[] tokens = new int[batch * ModularCorpus.EQUATION];
        double loss = 0;
        int correct = 0;
        for (int from = 0; from < pairs.length; from += batch) {
            for (int b = 0; b < batch; b++) {
                int[] pair = pairs[Math.min(pairs.length - 1, from + b)];   // the last batch is padded
                corpus.write(pair[0], pair[1], tokens, b * ModularCorpus.EQUATION, ModularCorpus.EQUATION);
            }
            float[] lp = engine.logProbabilities(tokens);
            for (int b = 0; b < batch && from + b < pairs.length; b++) {
                int row = (b * context + context - 1) * vocab;
                int answer = tokens[b * ModularCorpus.EQUATION + context];
                int best = 0;
                for (int v = 1; v < vocab; v++) {
                    if (lp[row + v] > lp[row + best]) {
                        best = v;
                    }
                }
                correct += best == answer ? 1 : 0;
                loss -= lp[row + answer];
            }
        }
        return new double[] {loss / pairs.length, correct / (double) pairs.length};
    }
}
