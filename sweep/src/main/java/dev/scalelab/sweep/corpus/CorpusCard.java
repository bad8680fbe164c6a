package dev.scalelab.sweep.corpus;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.List;

/**
 * What a corpus is, for {@code scalelab corpus describe}: vocabulary, episode types, the exact
 * entropy rate and window floor, the skills probed, and the measured generation speed.
 *
 * @param entropyRateNats  the stream's entropy rate (NaN if unknown)
 * @param windowFloorNats  the loss no model can beat on windows of {@code context} targets
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CorpusCard(String name, int vocab, List<String> vocabulary, double entropyRateNats, int context,
                         double windowFloorNats, List<EpisodeType> episodes, List<String> skills,
                         double generationTokensPerSecond, String notes) {

    /** One episode type: its probability, length, entropy and share of all tokens. */
    public record EpisodeType(String kind, double weight, int length, double entropyNats, double tokenShare,
                              String description) {
    }

    /** Describes a corpus, measuring its generation speed for about {@code seconds}. */
    public static CorpusCard of(Corpus corpus, int context, double seconds) {
        List<EpisodeType> episodes = null;
        List<String> vocabulary = null;
        List<String> skills = List.of();
        String notes;
        if (corpus instanceof SyntheticCorpus s) {
            episodes = new ArrayList<>();
            double tokens = 0;
            for (SyntheticCorpus.Kind k : SyntheticCorpus.Kind.values()) {
                tokens += s.weight(k) * s.episodeLength(k);
            }
            SyntheticCorpus.Config c = s.config();
            String[] descriptions = {
                    c.facts() + " key->value pairs, 3-symbol keys drawn by Zipf(" + c.zipf() + "), 2-symbol values",
                    c.topics() + " sparse Markov chains (32 states, " + c.successors() + " successors), topic by Zipf("
                            + c.zipf() + "), " + c.topicLength() + " states",
                    "a " + c.copySpan() + "-symbol span, then its repeat",
                    c.digits() + "-digit a+b=c, the sum " + (c.sumLeastSignificantFirst() ? "least" : "most")
                            + "-significant digit first"};
            for (SyntheticCorpus.Kind k : SyntheticCorpus.Kind.values()) {
                episodes.add(new EpisodeType(k.name().toLowerCase(java.util.Locale.ROOT), s.weight(k), s.episodeLength(k),
                        s.episodeEntropy(k), s.weight(k) * s.episodeLength(k) / tokens, descriptions[k.ordinal()]));
            }
            vocabulary = s.describeVocabulary();
            skills = Probes.SKILLS;
            notes = "Windows start at episode boundaries; the window floor is the E that validation losses approach.";
        } else if (corpus instanceof ModularCorpus m) {
            skills = List.of("modular_train: the answer c of training equations (memorisation)",
                    "modular_validation: the answer c of held-out equations (generalisation; grokking shows here)");
            notes = String.format(java.util.Locale.ROOT, "a %s b = c mod %d as 5 tokens; %d training pairs, %d held out. "
                    + "The floor counts the random a and b; the answer carries no entropy.", m.op().symbol, m.modulus(),
                    m.trainPairs(), m.validationPairs());
        } else if (corpus instanceof MarkovCorpus) {
            notes = "A first-order Markov chain over 256 tokens started from its stationary distribution.";
        } else {
            notes = "Bytes of a file; the entropy is unknown.";
        }
        return new CorpusCard(corpus.id(), corpus.vocabSize(), vocabulary, corpus.entropyRateNats(), context,
                corpus.windowFloorNats(context), episodes, skills, generationSpeed(corpus, context, seconds), notes);
    }

    private static double generationSpeed(Corpus corpus, int context, double seconds) {
        int batch = 32;
        int[] tokens = new int[batch * (context + 1)];
        long start = System.nanoTime();
        long generated = 0;
        int step = 0;
        while (System.nanoTime() - start < seconds * 1e9) {
            corpus.trainBatch(0, step++, batch, context, tokens);
            generated += tokens.length;
        }
        return generated / ((System.nanoTime() - start) / 1e9);
    }
}
