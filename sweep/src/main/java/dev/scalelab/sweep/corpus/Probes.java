package dev.scalelab.sweep.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Skill probes on the synthetic corpus: fixed, seeded evaluation sets whose answers are scored with
 * teacher forcing (each answer token predicted from the true tokens before it). Each probe episode
 * opens a window; the rest of the window is ordinary stream. Metrics per skill: exact match of the
 * whole answer, per-token accuracy, mean answer log-probability per token, token edit distance of
 * the greedy answer, and the Brier score per answer token; for copying also the loss on the first
 * span and on its repeat (an induction head makes the repeat nearly free). A skill whose episode is
 * longer than the context window is left out.
 */
public final class Probes {
    public static final List<String> SKILLS = List.of(
            "facts: recall the 2-symbol value of a key (256 facts drawn by the Zipf law)",
            "copy: repeat a 6-symbol span seen just before (in-context copying)",
            "arithmetic: the 3-digit sum of two 2-digit numbers, least-significant digit first");
    static final int EXAMPLES = 256;
    private static final long PROBE_TAG = 0x70726f6265L;

    /** A model as probes see it: log-probabilities of the next token at every position of a batch of windows. */
    public interface Model {
        int batch();

        int context();

        int vocab();

        /** Log-softmax rows (batch·context, vocab) for windows of context+1 tokens each (the last is not input). */
        float[] logProbabilities(int[] tokens);
    }

    /** One metric of one skill. */
    public record Row(String skill, String metric, double value, int n, long step) {
    }

    private Probes() {
    }

    public static List<Row> evaluate(SyntheticCorpus corpus, Model model, long step) {
        List<Row> rows = new ArrayList<>();
        String[] names = {"facts", null, "copy", "arithmetic"};
        for (SyntheticCorpus.Kind kind : SyntheticCorpus.Kind.values()) {
            if (names[kind.ordinal()] != null && corpus.weight(kind) > 0) { // only skills the corpus teaches
                rows.addAll(score(corpus, model, kind, names[kind.ordinal()], step));
            }
        }
        return rows;
    }

    private static List<Row> score(SyntheticCorpus corpus, Model model, SyntheticCorpus.Kind kind, String skill,
                                   long step) {
        int batch = model.batch();
        int context = model.context();
        int vocab = model.vocab();
        if (corpus.episodeLength(kind) - 1 > context) {
            return List.of(); // the episode does not fit in a window: this skill cannot be probed at this context
        }
        int length = context + 1;
        SplittableRandom rng = new SplittableRandom(PROBE_TAG + kind.ordinal());
        double exact = 0;
        double correct = 0;
        double logProb = 0;
        double edits = 0;
        double brier = 0;
        double firstLoss = 0;
        long answerTokens = 0;
        int[] tokens = new int[batch * length];
        SyntheticCorpus.Episode e = new SyntheticCorpus.Episode();
        int[][] answers = new int[batch][];
        int[] starts = new int[batch];
        for (int done = 0; done < EXAMPLES; done += batch) {
            for (int b = 0; b < batch; b++) {
                int t = 0;
                int fact = kind == SyntheticCorpus.Kind.FACT ? corpus.sampleFactIndex(rng) : -1;
                corpus.sample(rng, e, kind, fact);
                starts[b] = e.answerStart;
                answers[b] = java.util.Arrays.copyOfRange(e.tokens, e.answerStart, e.answerStart + e.answerLength);
                while (t < length) {
                    for (int j = 0; j < e.size && t < length; j++, t++) {
                        tokens[b * length + t] = e.tokens[j];
                    }
                    corpus.sample(rng, e);
                }
            }
            float[] lp = model.logProbabilities(tokens);
            for (int b = 0; b < batch && done + b < EXAMPLES; b++) {
                int[] answer = answers[b];
                int[] greedy = new int[answer.length];
                boolean all = true;
                for (int j = 0; j < answer.length; j++) {
                    int row = (b * context + starts[b] + j - 1) * vocab; // predicts position starts+j
                    int best = 0;
                    double sq = 0;
                    for (int v = 0; v < vocab; v++) {
                        if (lp[row + v] > lp[row + best]) {
                            best = v;
                        }
                        double p = Math.exp(lp[row + v]);
                        double target = v == answer[j] ? 1 : 0;
                        sq += (p - target) * (p - target);
                    }
                    greedy[j] = best;
                    all &= best == answer[j];
                    correct += best == answer[j] ? 1 : 0;
                    logProb += lp[row + answer[j]];
                    brier += sq;
                    if (kind == SyntheticCorpus.Kind.COPY) {
                        int firstRow = (b * context + starts[b] - answer.length + j - 1) * vocab;
                        firstLoss -= lp[firstRow + answer[j]];
                    }
                }
                exact += all ? 1 : 0;
                edits += editDistance(greedy, answer);
                answerTokens += answer.length;
            }
        }
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(skill, "exact_match", exact / EXAMPLES, EXAMPLES, step));
        rows.add(new Row(skill, "token_accuracy", correct / answerTokens, (int) answerTokens, step));
        rows.add(new Row(skill, "answer_logprob", logProb / answerTokens, (int) answerTokens, step));
        rows.add(new Row(skill, "edit_distance", edits / EXAMPLES, EXAMPLES, step));
        rows.add(new Row(skill, "brier", brier / answerTokens, (int) answerTokens, step));
        if (kind == SyntheticCorpus.Kind.COPY) {
            rows.add(new Row(skill, "loss_first_span", firstLoss / answerTokens, (int) answerTokens, step));
            rows.add(new Row(skill, "loss_repeat", -logProb / answerTokens, (int) answerTokens, step));
        }
        return rows;
    }

    /**
     * Modular arithmetic's probes: the answer c of every training equation (memorisation) and of up
     * to 1,024 validation equations (generalisation), each equation opening a window.
     */
    public static List<Row> evaluate(ModularCorpus corpus, Model model, long step) {
        List<Row> rows = new ArrayList<>();
        rows.addAll(scoreModular(corpus, model, corpus.trainSet(), "modular_train", step));
        rows.addAll(scoreModular(corpus, model, corpus.validationSet(), "modular_validation", step));
        return rows;
    }

    private static List<Row> scoreModular(ModularCorpus corpus, Model model, int[][] pairs, String skill, long step) {
        int batch = model.batch();
        int context = model.context();
        int vocab = model.vocab();
        int length = context + 1;
        if (context < ModularCorpus.EQUATION - 1) {
            return List.of();
        }
        int n = Math.min(pairs.length, 1024);
        double correct = 0;
        double logProb = 0;
        double brier = 0;
        int[] tokens = new int[batch * length];
        int[] answers = new int[batch];
        for (int done = 0; done < n; done += batch) {
            for (int b = 0; b < batch; b++) {
                int[] pair = pairs[(done + b) % n];
                for (int t = 0; t < length; t += ModularCorpus.EQUATION) {
                    corpus.write(pair[0], pair[1], tokens, b * length + t, Math.min(ModularCorpus.EQUATION, length - t));
                }
                answers[b] = tokens[b * length + ModularCorpus.EQUATION - 1];
            }
            float[] lp = model.logProbabilities(tokens);
            for (int b = 0; b < batch && done + b < n; b++) {
                int row = (b * context + ModularCorpus.EQUATION - 2) * vocab; // predicts position 4, the answer
                int best = 0;
                double sq = 0;
                for (int v = 0; v < vocab; v++) {
                    if (lp[row + v] > lp[row + best]) {
                        best = v;
                    }
                    double q = Math.exp(lp[row + v]);
                    double target = v == answers[b] ? 1 : 0;
                    sq += (q - target) * (q - target);
                }
                correct += best == answers[b] ? 1 : 0;
                logProb += lp[row + answers[b]];
                brier += sq;
            }
        }
        return List.of(new Row(skill, "exact_match", correct / n, n, step),
                new Row(skill, "token_accuracy", correct / n, n, step),
                new Row(skill, "answer_logprob", logProb / n, n, step),
                new Row(skill, "edit_distance", 1 - correct / n, n, step),
                new Row(skill, "brier", brier / n, n, step));
    }

    /** Levenshtein distance between token sequences. */
    static int editDistance(int[] a, int[] b) {
        int[] prev = new int[b.length + 1];
        int[] cur = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length; j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length];
    }
}
