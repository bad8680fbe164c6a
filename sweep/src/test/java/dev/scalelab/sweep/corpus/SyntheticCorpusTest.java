package dev.scalelab.sweep.corpus;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SyntheticCorpusTest {
    private final SyntheticCorpus corpus = SyntheticCorpus.standard();

    @Test
    void theEntropyRateMatchesAMonteCarloEstimateFromTheGeneratorsOwnProbabilities() {
        SplittableRandom rng = new SplittableRandom(3);
        SyntheticCorpus.Episode e = new SyntheticCorpus.Episode();
        double surprisal = 0;
        long tokens = 0;
        for (int i = 0; i < 400_000; i++) {
            corpus.sample(rng, e);
            for (int j = 0; j < e.size; j++) {
                surprisal -= e.logProb[j];
            }
            tokens += e.size;
        }
        // about 5M tokens: the ratio estimate is good to ~0.002 nats
        assertThat(surprisal / tokens).isCloseTo(corpus.entropyRateNats(), within(0.005));
    }

    @Test
    void theWindowFloorMatchesTheMeanSurprisalOfTrainingWindows() {
        int batch = 64;
        int context = 128;
        int[] tokens = new int[batch * (context + 1)];
        double[] logProb = new double[tokens.length];
        double sum = 0;
        long n = 0;
        for (int step = 0; step < 60; step++) {
            corpus.trainBatchWithLogProbs(9, step, batch, context, tokens, logProb);
            for (int b = 0; b < batch; b++) {
                assertThat(tokens[b * (context + 1)]).as("windows start at an episode marker").isLessThan(4);
                for (int t = 1; t <= context; t++) {
                    sum -= logProb[b * (context + 1) + t];
                    n++;
                }
            }
        }
        double floor = corpus.windowFloorNats(context);
        assertThat(sum / n).isCloseTo(floor, within(0.01));
        // the floor sits above the stream rate: one marker per window is never a target, and the cut episode
        // at its end contributes its high-entropy first tokens
        assertThat(floor).isGreaterThan(corpus.entropyRateNats());
    }

    @Test
    void mostTokensComeFromFactsAndTopics() {
        double facts = corpus.weight(SyntheticCorpus.Kind.FACT) * corpus.episodeLength(SyntheticCorpus.Kind.FACT);
        double topics = corpus.weight(SyntheticCorpus.Kind.TOPIC) * corpus.episodeLength(SyntheticCorpus.Kind.TOPIC);
        double all = 0;
        for (SyntheticCorpus.Kind k : SyntheticCorpus.Kind.values()) {
            all += corpus.weight(k) * corpus.episodeLength(k);
        }
        assertThat((facts + topics) / all).isGreaterThan(0.85);
        assertThat(corpus.vocabSize()).isEqualTo(4 + 32 + 128 + 12);
    }

    @Test
    void streamsAreDeterministicAndDisjoint() {
        int[] a = new int[8 * 65];
        int[] b = new int[8 * 65];
        corpus.trainBatch(1, 5, 8, 64, a);
        corpus.trainBatch(1, 5, 8, 64, b);
        assertThat(a).isEqualTo(b);
        corpus.validationWindows(1, 5, 8, 64, b);
        assertThat(a).isNotEqualTo(b);
        assertThat(java.util.Arrays.stream(a).allMatch(t -> t >= 0 && t < corpus.vocabSize())).isTrue();
    }

    @Test
    void theArithmeticCorpusIsOnlySumsWithItsOwnExactFloor() {
        Corpus arithmetic = Corpora.open("arithmetic:digits=3,order=msb", 64);
        assertThat(arithmetic.id()).isEqualTo("arithmetic");
        int[] tokens = new int[4 * 65];
        arithmetic.trainBatch(0, 0, 4, 64, tokens);
        assertThat(tokens[0]).isEqualTo(SyntheticCorpus.Kind.ARITHMETIC.ordinal());
        // 13 tokens per episode (marker, 3+1+3+1 operands and signs, 4 sum digits); 6 digits of ln 10 each
        assertThat(arithmetic.entropyRateNats()).isCloseTo(6 * Math.log(10) / 13, within(1e-12));
        // the sum of 123+456 written most-significant digit first: 0579
        SyntheticCorpus s = (SyntheticCorpus) arithmetic;
        assertThat(s.episodeLength(SyntheticCorpus.Kind.ARITHMETIC)).isEqualTo(13);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Corpora.open("arithmetic:digits=9", 64))
                .hasMessageContaining("unknown arithmetic option 'digits=9'");
    }

    @Test
    void aValidationWindowDependsOnItsIndexAloneNotOnHowTheSampleIsCut() {
        int context = 64;
        int[] whole = new int[8 * (context + 1)];
        corpus.validationWindows(3, 0, 8, context, whole);
        int[] first = new int[3 * (context + 1)];
        int[] rest = new int[5 * (context + 1)];
        corpus.validationWindows(3, 0, 3, context, first);
        corpus.validationWindows(3, 3, 5, context, rest);
        int[] joined = java.util.Arrays.copyOf(first, whole.length);
        System.arraycopy(rest, 0, joined, first.length, rest.length);
        assertThat(joined).isEqualTo(whole);
        int[] other = new int[whole.length];
        corpus.validationWindows(4, 0, 8, context, other);
        assertThat(other).as("another eval seed, another sample").isNotEqualTo(whole);
    }

    @Test
    void aSamplesOwnFloorScattersAroundTheExpectedWindowFloor() {
        int context = 128;
        double expected = corpus.windowFloorNats(context);
        // the default sample (128 windows): each seed's floor is its own, within a few hundredths of the expectation
        double[] floors = new double[40];
        double mean = 0;
        for (int seed = 0; seed < floors.length; seed++) {
            floors[seed] = corpus.validationFloorNats(seed, 128, context);
            mean += floors[seed] / floors.length;
        }
        double var = 0;
        for (double f : floors) {
            var += (f - mean) * (f - mean) / (floors.length - 1);
        }
        // measured: sd 0.0090 nats across 40 seeds; the mean of the 40 samples (5,120 windows) is within 3 standard errors
        assertThat(Math.sqrt(var)).isBetween(0.004, 0.03);
        assertThat(mean).isCloseTo(expected, within(3 * Math.sqrt(var / floors.length)));
        assertThat(corpus.validationFloorNats(7, 128, context)).isEqualTo(floors[7]);
    }
}
