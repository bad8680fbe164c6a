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
        if (id.equals("arithmetic") || id.startsWith("arithmetic:")) {
            return arithmetic(id);
        }
        if (id.equals("modular") || id.startsWith("modular:")) {
            return ModularCorpus.parse(id);
        }
        if (id.equals("markov")) {
            return MarkovCorpus.standard();
        }
        if (id.startsWith("text:") && id.length() > "text:".length()) {
            return TextCorpus.read(Path.of(id.substring("text:".length())), context);
        }
        throw new InvalidInputException((String) null, 0, "corpus", "unknown corpus '" + id + "'",
                "use synthetic, arithmetic[:digits=K,order=lsb|msb], modular[:p=97,op=+,train=0.5], markov or text:FILE");
    }

    /** {@code arithmetic} or {@code arithmetic:digits=3,order=msb}. */
    private static Corpus arithmetic(String id) {
        int digits = 2;
        boolean lsb = true;
        if (id.startsWith("arithmetic:")) {
            for (String option : id.substring("arithmetic:".length()).split(",")) {
                String[] kv = option.split("=", 2);
                if (kv.length == 2 && kv[0].equals("digits") && kv[1].matches("[1-6]")) {
                    digits = Integer.parseInt(kv[1]);
                } else if (kv.length == 2 && kv[0].equals("order") && (kv[1].equals("lsb") || kv[1].equals("msb"))) {
                    lsb = kv[1].equals("lsb");
                } else {
                    throw new InvalidInputException((String) null, 0, "corpus", "unknown arithmetic option '" + option + "'",
                            "use digits=1..6 and order=lsb|msb, e.g. arithmetic:digits=3,order=msb");
                }
            }
        }
        return new SyntheticCorpus(SyntheticCorpus.Config.arithmetic(digits, lsb));
    }
}
