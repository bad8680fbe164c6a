package dev.scalelab.sweep.corpus;

import dev.scalelab.core.InvalidInputException;

import java.nio.file.Path;

/** Makes a corpus from its id: {@code synthetic} (the default), {@code markov} or {@code text:FILE}. */
public final class Corpora {
    private Corpora() {
    }

    public static Corpus open(String id, int context) {
        if (id.equals("synthetic")) {
            return SyntheticCorpus.standard();
        }
        if (id.equals("markov")) {
            return MarkovCorpus.standard();
        }
        if (id.startsWith("text:") && id.length() > "text:".length()) {
            return TextCorpus.read(Path.of(id.substring("text:".length())), context);
        }
        throw new InvalidInputException((String) null, 0, "corpus", "unknown corpus '" + id + "'",
                "use synthetic, markov or text:FILE");
    }
}
