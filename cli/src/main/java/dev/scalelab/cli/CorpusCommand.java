package dev.scalelab.cli;

import dev.scalelab.core.io.Json;
import dev.scalelab.sweep.corpus.Corpora;
import dev.scalelab.sweep.corpus.CorpusCard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Describes the built-in corpora. */
@Command(name = "corpus", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Describe a corpus: vocabulary, episodes, exact entropy floor, skills.",
        subcommands = CorpusCommand.Describe.class)
final class CorpusCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no subcommand given; use 'corpus describe NAME'");
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            header = "Print a corpus card.",
            descriptionHeading = "%n",
            description = "Prints the corpus's vocabulary, its episode types with their weights, lengths and "
                    + "entropies, the exact entropy rate and window floor (the loss no model can beat on windows of "
                    + "--context targets), the skills its probes measure, and the measured generation speed. "
                    + "NAME is synthetic (the default corpus), arithmetic[:digits=K,order=lsb|msb], "
                    + "modular[:p=P,op=OP,train=F], markov or text:FILE.")
    static final class Describe implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        FormatOption format;

        @Parameters(index = "0", paramLabel = "NAME", defaultValue = "synthetic", description = "The corpus (default: ${DEFAULT-VALUE}).")
        String name;

        @Mixin
        ContextOption window;

        @Override
        public Integer call() {
            if (window.context <= 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--context must be positive");
            }
            CorpusCard card = CorpusCard.of(Corpora.open(name, window.context), window.context, 0.3);
            PrintWriter w = spec.commandLine().getOut();
            if (format.json()) {
                w.print(Json.toText(card));
            } else {
                w.printf(Locale.ROOT, "corpus           %s, vocabulary %d%n", card.name(), card.vocab());
                if (card.vocabulary() != null) {
                    card.vocabulary().forEach(v -> w.printf(Locale.ROOT, "  tokens %s%n", v));
                }
                w.printf(Locale.ROOT, "entropy rate     %.5f nats/token%n", card.entropyRateNats());
                w.printf(Locale.ROOT, "window floor     %.5f nats/token over windows of %d targets: the E that "
                        + "validation losses approach%n", card.windowFloorNats(), card.context());
                if (card.episodes() != null) {
                    for (CorpusCard.EpisodeType e : card.episodes()) {
                        w.printf(Locale.ROOT, "  %-10s weight %.2f, %2d tokens, %6.3f nats, %4.1f%% of tokens: %s%n",
                                e.kind(), e.weight(), e.length(), e.entropyNats(), 100 * e.tokenShare(), e.description());
                    }
                }
                card.skills().forEach(s -> w.printf(Locale.ROOT, "  probe %s%n", s));
                w.printf(Locale.ROOT, "generation       %.3g tokens/s%n", card.generationTokensPerSecond());
                w.println(card.notes());
            }
            w.flush();
            return 0;
        }
    }
}
