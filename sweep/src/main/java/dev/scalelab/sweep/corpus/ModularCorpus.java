package dev.scalelab.sweep.corpus;

import dev.scalelab.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Modular arithmetic for grokking studies (Power et al. 2022; Nanda et al. 2023): equations
 * {@code a ∘ b = c} with c = a∘b mod p, written as the 5 tokens [a, ∘, b, =, c]. All pairs (a, b)
 * are split once, by a fixed seed, into a training fraction and the rest for validation, so the
 * validation equations are ones the model never saw. Windows hold whole equations from their
 * start; a context of 4 is one equation per window, the usual setting.
 */
public final class ModularCorpus implements Corpus {
    /** The operations: +, −, ×, ÷ (a·b⁻¹, b ≠ 0), and x²+y². */
    public enum Op {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), SQUARES("x2+y2");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        int apply(int a, int b, int p) {
            return switch (this) {
                case ADD -> (a + b) % p;
                case SUB -> Math.floorMod(a - b, p);
                case MUL -> (int) ((long) a * b % p);
                case DIV -> (int) ((long) a * inverse(b, p) % p);
                case SQUARES -> (int) (((long) a * a + (long) b * b) % p);
            };
        }

        /** The operation written as {@code symbol} (+ - * / x2+y2). */
        public static Op of(String symbol) {
            for (Op o : values()) {
                if (o.symbol.equals(symbol)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown operation '" + symbol + "': use + - * / x2+y2");
        }

        static int inverse(int b, int p) {
            return java.math.BigInteger.valueOf(b).modInverse(java.math.BigInteger.valueOf(p)).intValue();
        }
    }

    public static final int EQUATION = 5;

    private final int p;
    private final Op op;
    private final double trainFraction;
    private final int[][] train;      // (a, b) pairs
    private final int[][] validation;

    public ModularCorpus(int p, Op op, double trainFraction, long splitSeed) {
        if (p < 3 || !java.math.BigInteger.valueOf(p).isProbablePrime(30)) {
            throw new InvalidInputException((String) null, 0, "corpus", "modulus " + p + " is not a prime above 2",
                    "use a prime such as 97 or 113 (division needs inverses)");
        }
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new InvalidInputException((String) null, 0, "corpus", "train fraction " + trainFraction
                    + " is not in (0, 1)", "e.g. train=0.5");
        }
        this.p = p;
        this.op = op;
        this.trainFraction = trainFraction;
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < p; a++) {
            for (int b = op == Op.DIV ? 1 : 0; b < p; b++) {
                pairs.add(new int[] {a, b});
            }
        }
        SplittableRandom rng = new SplittableRandom(splitSeed);
        for (int i = pairs.size() - 1; i > 0; i--) {
            java.util.Collections.swap(pairs, i, rng.nextInt(i + 1));
        }
        int cut = Math.max(1, Math.min(pairs.size() - 1, (int) Math.round(trainFraction * pairs.size())));
        train = pairs.subList(0, cut).toArray(int[][]::new);
        validation = pairs.subList(cut, pairs.size()).toArray(int[][]::new);
    }

    /** {@code modular} or {@code modular:p=97,op=+,train=0.5} (op one of + - * / x2+y2). */
    public static ModularCorpus parse(String id) {
        int p = 97;
        Op op = Op.ADD;
        double fraction = 0.5;
        if (id.startsWith("modular:")) {
            for (String option : id.substring("modular:".length()).split(",")) {
                String[] kv = option.split("=", 2);
                try {
                    switch (kv.length == 2 ? kv[0] : "") {
                        case "p" -> p = Integer.parseInt(kv[1]);
                        case "train" -> fraction = Double.parseDouble(kv[1]);
                        case "op" -> op = java.util.Arrays.stream(Op.values()).filter(o -> o.symbol.equals(kv[1]))
                                .findFirst().orElseThrow(() -> new NumberFormatException(kv[1]));
                        default -> throw new NumberFormatException(option);
                    }
                } catch (NumberFormatException e) {
                    throw new InvalidInputException((String) null, 0, "corpus", "cannot read modular option '" + option
                            + "'", "use p=PRIME, op=+|-|*|/|x2+y2, train=FRACTION, e.g. modular:p=97,op=+,train=0.5");
                }
            }
        }
        return new ModularCorpus(p, op, fraction, 0x6d6f64L);
    }

    public int modulus() {
        return p;
    }

    public Op op() {
        return op;
    }

    public double trainFraction() {
        return trainFraction;
    }

    public int trainPairs() {
        return train.length;
    }

    public int validationPairs() {
        return validation.length;
    }

    @Override
    public String id() {
        return String.format(Locale.ROOT, "modular:p=%d,op=%s,train=%s", p, op.symbol, trainFraction);
    }

    /** Tokens 0..p−1 are the numbers, p the operation, p+1 the equals sign. */
    @Override
    public int vocabSize() {
        return p + 2;
    }

    /**
     * The training stream's rate: an equation carries log(train pairs) nats (a, then b given a;
     * the operation, '=' and the answer are determined) over its 5 tokens.
     */
    @Override
    public double entropyRateNats() {
        return Math.log(train.length) / EQUATION;
    }

    /**
     * On windows of whole equations from their start, position t mod 5 carries H(a), 0, H(b|a), 0, 0
     * under the training distribution. The answer, the only token a model can learn, carries none:
     * grokking is read from answer accuracy (probes.csv), not from this floor.
     */
    @Override
    public double windowFloorNats(int context) {
        double[] perPosition = positionEntropies();
        double sum = 0;
        for (int t = 1; t <= context; t++) {
            sum += perPosition[t % EQUATION];
        }
        return sum / context;
    }

    double[] positionEntropies() {
        int[] countA = new int[p];
        for (int[] pair : train) {
            countA[pair[0]]++;
        }
        double hA = 0;
        for (int c : countA) {
            if (c > 0) {
                double q = c / (double) train.length;
                hA -= q * Math.log(q);
            }
        }
        return new double[] {hA, 0, Math.log(train.length) - hA, 0, 0};
    }

    @Override
    public void trainBatch(long seed, long step, int batch, int context, int[] out) {
        fill(train, Seeds.derive(seed, Seeds.TRAIN, step, 0), batch, context, out);
    }

    @Override
    public void validationWindows(long evalSeed, int first, int count, int context, int[] out) {
        int length = context + 1;
        int[] window = new int[length];
        for (int w = 0; w < count; w++) {
            fill(validation, Seeds.derive(evalSeed, Seeds.VALIDATION, first + w, 0), 1, context, window);
            System.arraycopy(window, 0, out, w * length, length);
        }
    }

    private void fill(int[][] pairs, long seed, int batch, int context, int[] out) {
        SplittableRandom rng = new SplittableRandom(seed);
        int length = context + 1;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < length; t += EQUATION) {
                int[] pair = pairs[rng.nextInt(pairs.length)];
                write(pair[0], pair[1], out, b * length + t, Math.min(EQUATION, length - t));
            }
        }
    }

    /** Writes the first {@code count} tokens of a∘b=c at {@code at}. */
    /** Writes the first {@code count} tokens of the equation [a, op, b, =, c] at out[at]. */
    public void write(int a, int b, int[] out, int at, int count) {
        int[] e = {a, p, b, p + 1, op.apply(a, b, p)};
        System.arraycopy(e, 0, out, at, count);
    }

    /** The training pairs (a, b), in the split's fixed order. */
    public int[][] trainSet() {
        return train;
    }

    /** The held-out pairs (a, b). */
    public int[][] validationSet() {
        return validation;
    }
}
