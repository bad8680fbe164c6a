package dev.scalelab.sweep.corpus;

import java.util.SplittableRandom;

/**
 * A seeded first-order Markov source with an exactly known entropy rate. Each token has a few
 * likely successors (2 to {@code maxSuccessors}, with random weights), mixed with a uniform
 * floor of {@code epsilon} so the chain is ergodic. Sequences start from the stationary
 * distribution π, so every target token has entropy rate H = Σ_i π_i · H(P_i) (Cover and Thomas
 * 2006, Theorem 4.2.4), the loss no model can beat.
 */
public final class MarkovCorpus implements Corpus {
    private final int vocab;
    private final double epsilon;
    private final long structureSeed;
    private final int[][] successors;
    private final double[][] cumulative; // per state, cumulative weights of its successors (sparse part)
    private final double[] stationaryCumulative;
    private final double entropyRate;

    /**
     * @param vocab         number of states (tokens)
     * @param maxSuccessors most likely successors per state
     * @param epsilon       probability of a uniformly random next token
     * @param structureSeed seeds the transition matrix (not the sampled sequences)
     */
    public MarkovCorpus(int vocab, int maxSuccessors, double epsilon, long structureSeed) {
        if (vocab < 2 || maxSuccessors < 2 || maxSuccessors > vocab || !(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("markov corpus needs vocab >= 2, 2 <= maxSuccessors <= vocab and "
                    + "0 < epsilon < 1; got " + vocab + ", " + maxSuccessors + ", " + epsilon);
        }
        this.vocab = vocab;
        this.epsilon = epsilon;
        this.structureSeed = structureSeed;
        this.successors = new int[vocab][];
        this.cumulative = new double[vocab][];
        double[][] dense = new double[vocab][vocab];
        SplittableRandom rng = new SplittableRandom(structureSeed);
        for (int i = 0; i < vocab; i++) {
            int k = 2 + rng.nextInt(maxSuccessors - 1);
            successors[i] = new int[k];
            cumulative[i] = new double[k];
            double total = 0;
            double[] w = new double[k];
            for (int j = 0; j < k; j++) {
                successors[i][j] = rng.nextInt(vocab); // repeats allowed: they merge in the dense row
                w[j] = -Math.log(1 - rng.nextDouble()); // exponential weights: a flat Dirichlet draw
                total += w[j];
            }
            double running = 0;
            for (int j = 0; j < k; j++) {
                running += w[j] / total;
                cumulative[i][j] = running;
                dense[i][successors[i][j]] += (1 - epsilon) * w[j] / total;
            }
            cumulative[i][k - 1] = 1.0;
            for (int j = 0; j < vocab; j++) {
                dense[i][j] += epsilon / vocab;
            }
        }
        double[] pi = stationary(dense);
        this.stationaryCumulative = new double[vocab];
        double running = 0;
        double h = 0;
        for (int i = 0; i < vocab; i++) {
            running += pi[i];
            stationaryCumulative[i] = running;
            double rowEntropy = 0;
            for (double p : dense[i]) {
                rowEntropy -= p > 0 ? p * Math.log(p) : 0;
            }
            h += pi[i] * rowEntropy;
        }
        stationaryCumulative[vocab - 1] = 1.0;
        this.entropyRate = h;
    }

    /** The default: 256 tokens, up to 8 likely successors, 2% uniform floor. */
    public static MarkovCorpus standard() {
        return new MarkovCorpus(256, 8, 0.02, 1234);
    }

    /** Power iteration; the uniform floor makes the chain ergodic, so it converges geometrically. */
    private static double[] stationary(double[][] p) {
        int n = p.length;
        double[] pi = new double[n];
        java.util.Arrays.fill(pi, 1.0 / n);
        for (int iter = 0; iter < 10_000; iter++) {
            double[] next = new double[n];
            for (int i = 0; i < n; i++) {
                double w = pi[i];
                double[] row = p[i];
                for (int j = 0; j < n; j++) {
                    next[j] += w * row[j];
                }
            }
            double change = 0;
            for (int j = 0; j < n; j++) {
                change += Math.abs(next[j] - pi[j]);
            }
            pi = next;
            if (change < 1e-15) {
                break;
            }
        }
        return pi;
    }

    @Override
    public String id() {
        return "markov";
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    @Override
    public double entropyRateNats() {
        return entropyRate;
    }

    /** The probability of {@code next} after {@code current}: used by tests to check the entropy rate. */
    public double probability(int current, int next) {
        double p = epsilon / vocab;
        double previous = 0;
        for (int j = 0; j < successors[current].length; j++) {
            if (successors[current][j] == next) {
                p += (1 - epsilon) * (cumulative[current][j] - previous);
            }
            previous = cumulative[current][j];
        }
        return p;
    }

    @Override
    public void trainBatch(long seed, long step, int batch, int context, int[] out) {
        int length = context + 1;
        for (int b = 0; b < batch; b++) {
            window(new SplittableRandom(Seeds.derive(seed ^ structureSeed, Seeds.TRAIN, step, b)), length, out, b * length);
        }
    }

    @Override
    public void validationWindows(long evalSeed, int first, int count, int context, int[] out) {
        int length = context + 1;
        for (int w = 0; w < count; w++) {
            window(new SplittableRandom(Seeds.derive(evalSeed ^ structureSeed, Seeds.VALIDATION, first + w, 0)),
                    length, out, w * length);
        }
    }

    /** The mean of −log P(target | previous token) over the sample's targets: this chain is first order. */
    @Override
    public double validationFloorNats(long evalSeed, int windows, int context) {
        int length = context + 1;
        int[] tokens = new int[length];
        double sum = 0;
        for (int w = 0; w < windows; w++) {
            validationWindows(evalSeed, w, 1, context, tokens);
            for (int t = 1; t < length; t++) {
                sum -= Math.log(probability(tokens[t - 1], tokens[t]));
            }
        }
        return sum / ((double) windows * context);
    }

    private void window(SplittableRandom rng, int length, int[] out, int base) {
        int state = Cumulative.pick(stationaryCumulative, rng.nextDouble());
        out[base] = state;
        for (int t = 1; t < length; t++) {
            if (rng.nextDouble() < epsilon) {
                state = rng.nextInt(vocab);
            } else {
                state = successors[state][Cumulative.pick(cumulative[state], rng.nextDouble())];
            }
            out[base + t] = state;
        }
    }
}
