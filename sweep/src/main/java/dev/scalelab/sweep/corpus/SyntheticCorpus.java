package dev.scalelab.sweep.corpus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The built-in research corpus: a stream of independent episodes, each opened by a marker token for
 * its type, drawn with fixed weights (see docs/corpus.md):
 * <ol>
 * <li><b>facts</b>: one of K key→value pairs, the key (3 symbols) drawn from a Zipf law; memorising
 * them is capacity-limited and gives power laws in N and D (Hutter 2021; Michaud et al. 2023);</li>
 * <li><b>topics</b>: a topic id drawn from a Zipf law, then a walk on that topic's sparse Markov chain;</li>
 * <li><b>copy</b>: a random span, then its repeat (in-context copying, Olsson et al. 2022);</li>
 * <li><b>arithmetic</b>: a+b=c with k-digit operands, the sum least-significant digit first.</li>
 * </ol>
 * Every token's probability given its episode's prefix is known, so the stream's entropy rate and
 * the expected loss of a window that starts at an episode boundary (the window floor) are exact.
 */
public final class SyntheticCorpus implements Corpus {
    /** Episode types, in marker-token order. */
    public enum Kind { FACT, TOPIC, COPY, ARITHMETIC }

    /**
     * @param weights        probability of each episode type (facts, topics, copy, arithmetic)
     * @param facts          number of key→value pairs
     * @param zipf           exponent s of the Zipf laws over facts and topics
     * @param topics         number of topic chains
     * @param topicLength    states per topic episode
     * @param successors     likely successors per chain state
     * @param copySpan       symbols copied
     * @param name           the corpus id
 * @param digits         digits per arithmetic operand
 * @param sumLeastSignificantFirst write sums least-significant digit first (each digit then needs no look-ahead)
     * @param structureSeed  seeds the facts and chains (not the sampled stream)
     */
    public record Config(String name, double[] weights, int facts, double zipf, int topics, int topicLength,
                         int successors, int copySpan, int digits, boolean sumLeastSignificantFirst, long structureSeed) {
        public static Config standard() {
            return new Config("synthetic", new double[] {0.6, 0.3, 0.05, 0.05}, 10_000, 1.3, 128, 24, 3, 6, 2, true, 1234);
        }

        /** Only a+b=c episodes with {@code digits}-digit operands, for emergence studies. */
        public static Config arithmetic(int digits, boolean leastSignificantFirst) {
            return new Config("arithmetic", new double[] {0, 0, 0, 1}, 10_000, 1.3, 128, 24, 3, 6, digits,
                    leastSignificantFirst, 1234);
        }
    }

    static final int MARKERS = 4;
    static final int SYMBOLS = 32;
    static final int KEY_LENGTH = 3;
    static final int VALUE_LENGTH = 2;

    private final Config config;
    private final int symbolBase = MARKERS;
    private final int topicBase;
    private final int digitBase;
    private final int plus;
    private final int equals;
    private final int vocab;
    private final double[] markerCumulative;
    private final int[][] keys;
    private final int[][] values;
    private final double[] factCumulative;
    private final double[] factProbability;
    private final Map<Long, Double>[] keyPrefix; // probability of each key prefix of length j+1
    private final double[] topicCumulative;
    private final double[] topicProbability;
    private final int[][][] chainNext;        // [topic][state] → successor states
    private final double[][][] chainCumulative;
    private final double[][][] chainProbability;
    private final double[][] positionEntropy;  // [kind][position in episode] conditional entropy, nats
    private final double markerEntropy;

    @SuppressWarnings("unchecked")
    public SyntheticCorpus(Config config) {
        this.config = config;
        this.topicBase = symbolBase + SYMBOLS;
        this.digitBase = topicBase + config.topics();
        this.plus = digitBase + 10;
        this.equals = plus + 1;
        this.vocab = equals + 1;
        double total = 0;
        for (double w : config.weights()) {
            total += w;
        }
        markerCumulative = cumulative(config.weights(), total);
        double h = 0;
        for (double w : config.weights()) {
            h -= w > 0 ? (w / total) * Math.log(w / total) : 0;
        }
        markerEntropy = h;
        SplittableRandom rng = new SplittableRandom(config.structureSeed());
        factProbability = zipf(config.facts(), config.zipf());
        factCumulative = cumulative(factProbability, 1.0);
        keys = new int[config.facts()][];
        values = new int[config.facts()][];
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int f = 0; f < config.facts(); f++) {
            long code;
            int[] key;
            do {
                key = new int[KEY_LENGTH];
                code = 0;
                for (int j = 0; j < KEY_LENGTH; j++) {
                    key[j] = rng.nextInt(SYMBOLS);
                    code = code * SYMBOLS + key[j];
                }
            } while (!seen.add(code));
            keys[f] = key;
            values[f] = new int[VALUE_LENGTH];
            for (int j = 0; j < VALUE_LENGTH; j++) {
                values[f][j] = rng.nextInt(SYMBOLS);
            }
        }
        keyPrefix = new Map[KEY_LENGTH];
        for (int j = 0; j < KEY_LENGTH; j++) {
            keyPrefix[j] = new HashMap<>();
            for (int f = 0; f < config.facts(); f++) {
                keyPrefix[j].merge(prefixCode(keys[f], j + 1), factProbability[f], Double::sum);
            }
        }
        topicProbability = zipf(config.topics(), config.zipf());
        topicCumulative = cumulative(topicProbability, 1.0);
        chainNext = new int[config.topics()][SYMBOLS][];
        chainCumulative = new double[config.topics()][SYMBOLS][];
        chainProbability = new double[config.topics()][SYMBOLS][];
        for (int m = 0; m < config.topics(); m++) {
            for (int s = 0; s < SYMBOLS; s++) {
                int[] next = new int[config.successors()];
                double[] w = new double[config.successors()];
                double sum = 0;
                java.util.Set<Integer> used = new java.util.HashSet<>();
                for (int k = 0; k < next.length; k++) {
                    int candidate;
                    do {
                        candidate = rng.nextInt(SYMBOLS);
                    } while (!used.add(candidate));
                    next[k] = candidate;
                    w[k] = -Math.log(1 - rng.nextDouble());
                    sum += w[k];
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= sum;
                }
                chainNext[m][s] = next;
                chainProbability[m][s] = w;
                chainCumulative[m][s] = cumulative(w, 1.0);
            }
        }
        positionEntropy = new double[Kind.values().length][];
        positionEntropy[Kind.FACT.ordinal()] = factEntropies();
        positionEntropy[Kind.TOPIC.ordinal()] = topicEntropies();
        positionEntropy[Kind.COPY.ordinal()] = copyEntropies();
        positionEntropy[Kind.ARITHMETIC.ordinal()] = arithmeticEntropies();
    }

    public static SyntheticCorpus standard() {
        return new SyntheticCorpus(Config.standard());
    }

    public Config config() {
        return config;
    }

    @Override
    public String id() {
        return config.name();
    }

    @Override
    public int vocabSize() {
        return vocab;
    }

    /** Tokens in an episode of this kind, its marker included. */
    public int episodeLength(Kind kind) {
        return positionEntropy[kind.ordinal()].length;
    }

    /** Expected entropy (nats) of an episode of this kind, its marker included. */
    public double episodeEntropy(Kind kind) {
        double s = 0;
        for (double h : positionEntropy[kind.ordinal()]) {
            s += h;
        }
        return s;
    }

    /** The probability of each episode kind. */
    public double weight(Kind kind) {
        double total = config.weights()[0] + config.weights()[1] + config.weights()[2] + config.weights()[3];
        return config.weights()[kind.ordinal()] / total;
    }

    /** The stream's entropy rate: expected episode entropy over expected episode length, exactly. */
    @Override
    public double entropyRateNats() {
        double entropy = 0;
        double length = 0;
        for (Kind k : Kind.values()) {
            entropy += weight(k) * episodeEntropy(k);
            length += weight(k) * episodeLength(k);
        }
        return entropy / length;
    }

    /**
     * The expected mean loss, under the true distribution, over the targets 1..T of a window that starts
     * at an episode boundary (position 0 is a marker and never a target; the last episode is cut).
     * With u_t the probability that an episode starts at position t (a renewal sequence), the
     * expected entropy at t is Σ_k w_k Σ_j u_{t−j}·h_k(j).
     */
    @Override
    public double windowFloorNats(int context) {
        double[] u = new double[context + 1];
        u[0] = 1;
        for (int t = 1; t <= context; t++) {
            for (Kind k : Kind.values()) {
                int back = t - episodeLength(k);
                if (back >= 0) {
                    u[t] += weight(k) * u[back];
                }
            }
        }
        double sum = 0;
        for (int t = 1; t <= context; t++) {
            for (Kind k : Kind.values()) {
                double[] h = positionEntropy[k.ordinal()];
                for (int j = 0; j < h.length && j <= t; j++) {
                    sum += weight(k) * u[t - j] * h[j];
                }
            }
        }
        return sum / context;
    }

    /** Conditional entropy (nats) of each position of an episode of this kind, given the episode so far. */
    public double[] positionEntropies(Kind kind) {
        return positionEntropy[kind.ordinal()].clone();
    }

    @Override
    public void trainBatch(long seed, long step, int batch, int context, int[] out) {
        fill(Seeds.TRAIN, seed, step, batch, context, out, null);
    }

    @Override
    public void validationWindows(long evalSeed, int first, int count, int context, int[] out) {
        for (int w = 0; w < count; w++) {
            window(validationRandom(evalSeed, first + w), context, out, w * (context + 1), null);
        }
    }

    /** The mean of −log P(target | its episode so far) over the sample's targets, from the generator itself. */
    @Override
    public double validationFloorNats(long evalSeed, int windows, int context) {
        int[] tokens = new int[context + 1];
        double[] logProb = new double[context + 1];
        double sum = 0;
        for (int w = 0; w < windows; w++) {
            window(validationRandom(evalSeed, w), context, tokens, 0, logProb);
            for (int t = 1; t <= context; t++) {
                sum -= logProb[t];
            }
        }
        return sum / ((double) windows * context);
    }

    private SplittableRandom validationRandom(long evalSeed, int window) {
        return new SplittableRandom(Seeds.derive(evalSeed ^ config.structureSeed(), Seeds.VALIDATION, window, 0));
    }

    /** A training batch with each token's log-probability under the generator (for tests). */
    void trainBatchWithLogProbs(long seed, long step, int batch, int context, int[] out, double[] logProb) {
        fill(Seeds.TRAIN, seed, step, batch, context, out, logProb);
    }

    private void fill(long tag, long seed, long index, int batch, int context, int[] out, double[] logProb) {
        for (int b = 0; b < batch; b++) {
            window(new SplittableRandom(Seeds.derive(seed ^ config.structureSeed(), tag, index, b)), context, out,
                    b * (context + 1), logProb);
        }
    }

    /** One window of whole episodes from its start, the last one cut; {@code logProb} (or null) at the same offsets. */
    private void window(SplittableRandom rng, int context, int[] out, int base, double[] logProb) {
        int length = context + 1;
        Episode e = new Episode();
        int t = 0;
        while (t < length) {
            sample(rng, e);
            for (int j = 0; j < e.size && t < length; j++, t++) {
                out[base + t] = e.tokens[j];
                if (logProb != null) {
                    logProb[base + t] = e.logProb[j];
                }
            }
        }
    }

    /** One sampled episode: its tokens and each token's log-probability given the episode's prefix. */
    static final class Episode {
        final int[] tokens = new int[64];
        final double[] logProb = new double[64];
        int size;
        Kind kind;
        /** The first answer position and its length, for probes. */
        int answerStart;
        int answerLength;

        void add(int token, double lp) {
            tokens[size] = token;
            logProb[size] = lp;
            size++;
        }
    }

    void sample(SplittableRandom rng, Episode e) {
        Kind kind = Kind.values()[Cumulative.pick(markerCumulative, rng.nextDouble())];
        sample(rng, e, kind, -1);
    }

    /** A fact index drawn by the Zipf law, as the stream draws them. */
    int sampleFactIndex(SplittableRandom rng) {
        return Cumulative.pick(factCumulative, rng.nextDouble());
    }

    /** Samples an episode of a given kind; {@code fact} fixes the fact (or topic) index when ≥ 0. */
    void sample(SplittableRandom rng, Episode e, Kind kind, int fact) {
        e.size = 0;
        e.kind = kind;
        e.add(kind.ordinal(), Math.log(weight(kind)));
        switch (kind) {
            case FACT -> {
                int f = fact >= 0 ? fact : Cumulative.pick(factCumulative, rng.nextDouble());
                double previous = 1;
                for (int j = 0; j < KEY_LENGTH; j++) {
                    double p = keyPrefix[j].get(prefixCode(keys[f], j + 1));
                    e.add(symbolBase + keys[f][j], Math.log(p / previous));
                    previous = p;
                }
                e.answerStart = e.size;
                e.answerLength = VALUE_LENGTH;
                for (int j = 0; j < VALUE_LENGTH; j++) {
                    e.add(symbolBase + values[f][j], 0);
                }
            }
            case TOPIC -> {
                int m = fact >= 0 ? fact : Cumulative.pick(topicCumulative, rng.nextDouble());
                e.add(topicBase + m, Math.log(topicProbability[m]));
                int s = rng.nextInt(SYMBOLS);
                e.add(symbolBase + s, -Math.log(SYMBOLS));
                for (int j = 1; j < config.topicLength(); j++) {
                    int k = Cumulative.pick(chainCumulative[m][s], rng.nextDouble());
                    e.add(symbolBase + chainNext[m][s][k], Math.log(chainProbability[m][s][k]));
                    s = chainNext[m][s][k];
                }
                e.answerStart = e.size;
                e.answerLength = 0;
            }
            case COPY -> {
                int[] span = new int[config.copySpan()];
                for (int j = 0; j < span.length; j++) {
                    span[j] = rng.nextInt(SYMBOLS);
                    e.add(symbolBase + span[j], -Math.log(SYMBOLS));
                }
                e.answerStart = e.size;
                e.answerLength = span.length;
                for (int s : span) {
                    e.add(symbolBase + s, 0);
                }
            }
            case ARITHMETIC -> {
                int limit = (int) Math.pow(10, config.digits());
                int a = rng.nextInt(limit);
                int b = rng.nextInt(limit);
                digits(e, a, config.digits(), -Math.log(10), false);
                e.add(plus, 0);
                digits(e, b, config.digits(), -Math.log(10), false);
                e.add(equals, 0);
                e.answerStart = e.size;
                e.answerLength = config.digits() + 1;
                digits(e, a + b, config.digits() + 1, 0, config.sumLeastSignificantFirst());
            }
        }
    }

    /** Operands most-significant digit first; the sum least-significant first (so each digit needs no look-ahead). */
    private void digits(Episode e, int value, int count, double lp, boolean leastFirst) {
        int[] d = new int[count];
        for (int i = 0; i < count; i++) {
            d[i] = value % 10;
            value /= 10;
        }
        for (int i = 0; i < count; i++) {
            e.add(digitBase + (leastFirst ? d[i] : d[count - 1 - i]), lp);
        }
    }

    private double[] factEntropies() {
        double[] h = new double[1 + KEY_LENGTH + VALUE_LENGTH];
        h[0] = markerEntropy;
        double previous = 0;
        for (int j = 0; j < KEY_LENGTH; j++) {
            double hj = 0;
            for (double p : keyPrefix[j].values()) {
                hj -= p * Math.log(p);
            }
            h[1 + j] = hj - previous;
            previous = hj;
        }
        return h;
    }

    private double[] topicEntropies() {
        double[] h = new double[2 + config.topicLength()];
        h[0] = markerEntropy;
        for (double p : topicProbability) {
            h[1] -= p * Math.log(p);
        }
        h[2] = Math.log(SYMBOLS);
        for (int m = 0; m < config.topics(); m++) {
            double[] dist = new double[SYMBOLS];
            java.util.Arrays.fill(dist, 1.0 / SYMBOLS);
            for (int j = 1; j < config.topicLength(); j++) {
                double[] next = new double[SYMBOLS];
                double hj = 0;
                for (int s = 0; s < SYMBOLS; s++) {
                    double rowEntropy = 0;
                    for (int k = 0; k < chainNext[m][s].length; k++) {
                        double p = chainProbability[m][s][k];
                        rowEntropy -= p * Math.log(p);
                        next[chainNext[m][s][k]] += dist[s] * p;
                    }
                    hj += dist[s] * rowEntropy;
                }
                h[2 + j] += topicProbability[m] * hj;
                dist = next;
            }
        }
        return h;
    }

    private double[] copyEntropies() {
        double[] h = new double[1 + 2 * config.copySpan()];
        h[0] = markerEntropy;
        for (int j = 0; j < config.copySpan(); j++) {
            h[1 + j] = Math.log(SYMBOLS);
        }
        return h;
    }

    private double[] arithmeticEntropies() {
        int k = config.digits();
        double[] h = new double[1 + k + 1 + k + 1 + k + 1];
        h[0] = markerEntropy;
        for (int j = 0; j < k; j++) {
            h[1 + j] = Math.log(10);
            h[2 + k + j] = Math.log(10);
        }
        return h;
    }

    private static long prefixCode(int[] key, int length) {
        long code = length;
        for (int j = 0; j < length; j++) {
            code = code * SYMBOLS + key[j];
        }
        return code;
    }

    static double[] zipf(int n, double s) {
        double[] p = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.pow(i + 1, -s);
            total += p[i];
        }
        for (int i = 0; i < n; i++) {
            p[i] /= total;
        }
        return p;
    }

    private static double[] cumulative(double[] w, double total) {
        double[] c = new double[w.length];
        double running = 0;
        for (int i = 0; i < w.length; i++) {
            running += w[i] / total;
            c[i] = running;
        }
        c[c.length - 1] = 1.0;
        return c;
    }

    /** Token names for the corpus card and debugging. */
    public List<String> describeVocabulary() {
        List<String> out = new ArrayList<>();
        out.add("0-3 episode markers (fact, topic, copy, arithmetic)");
        out.add(symbolBase + "-" + (topicBase - 1) + " symbols (fact keys and values, copy spans, chain states)");
        out.add(topicBase + "-" + (digitBase - 1) + " topic ids");
        out.add(digitBase + "-" + (digitBase + 9) + " digits, " + plus + " '+', " + equals + " '='");
        return out;
    }
}
