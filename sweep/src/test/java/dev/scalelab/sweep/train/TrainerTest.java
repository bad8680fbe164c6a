package dev.scalelab.sweep.train;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.core.run.RunStatus;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.corpus.Corpus;
import dev.scalelab.sweep.corpus.MarkovCorpus;
import dev.scalelab.sweep.corpus.TextCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {
    @TempDir
    Path dir;

    static TrainSpec spec(ModelShape shape, int batch, long steps, double lr, long seed) {
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(lr, LrSchedule.COSINE, Math.max(1, steps / 20), 0.1, 0.2,
                0.1, false, 0.9, 0.95, 1e-8, 1.0);
        return new TrainSpec(shape, true, "markov", seed, batch, steps, opt, Math.max(1, steps / 4), 2, 0, 2, "test");
    }

    private static final Trainer.Listener QUIET = new Trainer.Listener() {
    };

    @Test
    void aTinyModelOverfitsARepetitiveText() throws IOException {
        Path text = dir.resolve("text.txt");
        Files.writeString(text, "the cat sat on the mat. ".repeat(120));
        Corpus corpus = TextCorpus.read(text, 16);
        TrainSpec s = spec(new ModelShape(1, 2, 32, 16, 256), 8, 150, 1e-2, 1);
        RunResult r = Trainer.train(s, corpus, dir.resolve("run"), false, Trainer.Options.defaults(), QUIET);
        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        // 24 distinct characters in a fixed cycle: every token is predictable after a few of context
        assertThat(r.finalValLoss()).isLessThan(0.5);
    }

    @Test
    void onTheMarkovSourceValidationLossApproachesTheEntropyRateFromAbove() {
        MarkovCorpus corpus = MarkovCorpus.standard();
        TrainSpec s = spec(new ModelShape(1, 2, 64, 32, 256), 32, 400, 1e-2, 2);
        RunResult r = Trainer.train(s, corpus, dir.resolve("run"), false, Trainer.Options.defaults(), QUIET);
        double h = corpus.entropyRateNats();
        assertThat(r.corpusEntropyNats()).isEqualTo(h);
        // 2 × 32 × 32 validation tokens: the standard error of the mean loss is about 0.03 nats
        assertThat(r.finalValLoss()).isGreaterThan(h - 0.1).isLessThan(h + 0.35);
        assertThat(r.bestValLoss()).isGreaterThan(h - 0.1);
    }

    private static Checkpoint finalState(Path runDir, TrainSpec s, int params) {
        return Checkpoint.read(runDir, s.runId(), params);
    }

    @Test
    void theSameSeedGivesTheSameBitsAndAnotherSeedDoesNot() throws IOException {
        TrainSpec s = spec(new ModelShape(2, 2, 16, 8, 256), 4, 12, 3e-3, 7);
        Trainer.train(s, MarkovCorpus.standard(), dir.resolve("a"), false, Trainer.Options.defaults(), QUIET);
        Trainer.train(s, MarkovCorpus.standard(), dir.resolve("b"), false, Trainer.Options.defaults(), QUIET);
        assertThat(lossColumns(dir.resolve("a"))).isEqualTo(lossColumns(dir.resolve("b")));
        int n = paramCount(s);
        assertThat(finalState(dir.resolve("a"), s, n).values()).isEqualTo(finalState(dir.resolve("b"), s, n).values());
        TrainSpec other = spec(new ModelShape(2, 2, 16, 8, 256), 4, 12, 3e-3, 8);
        Trainer.train(other, MarkovCorpus.standard(), dir.resolve("c"), false, Trainer.Options.defaults(), QUIET);
        assertThat(lossColumns(dir.resolve("c"))).isNotEqualTo(lossColumns(dir.resolve("a")));
    }

    private static int paramCount(TrainSpec s) {
        try (var model = new dev.scalelab.sweep.model.Gpt(s.shape(), s.tiedOutput(), s.batch(), 1)) {
            return model.params().size();
        }
    }

    /** step, tokens, flops, train and validation loss, lr and grad norm: everything but timings. */
    private static List<String> lossColumns(Path runDir) throws IOException {
        return Files.readAllLines(runDir.resolve(RunLayout.METRICS)).stream()
                .map(line -> String.join(",", List.of(line.split(",")).subList(0, 9))).toList();
    }

    @Test
    void aResumedRunEndsWithTheSameBitsAsAnUninterruptedOne() throws IOException {
        TrainSpec s = spec(new ModelShape(2, 2, 16, 8, 256), 4, 20, 3e-3, 3);
        Trainer.Options every5 = new Trainer.Options(5, 10, 1.5);
        RunResult whole = Trainer.train(s, MarkovCorpus.standard(), dir.resolve("whole"), false, every5, QUIET);

        Path broken = dir.resolve("broken");
        Trainer.Listener crashAt13 = new Trainer.Listener() {
            @Override
            public void onStep(long stepsDone, long steps, double trainLoss, double tokensPerSecond) {
                if (stepsDone == 13) {
                    throw new IllegalStateException("simulated crash");
                }
            }
        };
        assertThatThrownBy(() -> Trainer.train(s, MarkovCorpus.standard(), broken, false, every5, crashAt13))
                .hasMessage("simulated crash");
        assertThat(Files.exists(broken.resolve(RunLayout.RESULT))).isFalse();
        // without --resume the interrupted folder is refused, not overwritten
        assertThatThrownBy(() -> Trainer.train(s, MarkovCorpus.standard(), broken, false, every5, QUIET))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds an interrupted run");
        RunResult resumed = Trainer.train(s, MarkovCorpus.standard(), broken, true, every5, QUIET);

        assertThat(resumed.finalValLoss()).isEqualTo(whole.finalValLoss());
        assertThat(Double.doubleToRawLongBits(resumed.finalValLoss())).isEqualTo(Double.doubleToRawLongBits(whole.finalValLoss()));
        assertThat(resumed.bestValLoss()).isEqualTo(whole.bestValLoss());
        int n = paramCount(s);
        assertThat(finalState(broken, s, n).values()).isEqualTo(finalState(dir.resolve("whole"), s, n).values());
        assertThat(finalState(broken, s, n).secondMoment()).isEqualTo(finalState(dir.resolve("whole"), s, n).secondMoment());
        assertThat(lossColumns(broken)).isEqualTo(lossColumns(dir.resolve("whole")));
        // a finished run is returned as it is
        RunResult again = Trainer.train(s, MarkovCorpus.standard(), broken, false, every5, QUIET);
        assertThat(again.finalValLoss()).isEqualTo(whole.finalValLoss());
        // killed after its final checkpoint, before its result: resumed, it reports the last logged loss
        Files.delete(broken.resolve(RunLayout.RESULT));
        RunResult late = Trainer.train(s, MarkovCorpus.standard(), broken, true, every5, QUIET);
        assertThat(Double.doubleToRawLongBits(late.finalValLoss())).isEqualTo(Double.doubleToRawLongBits(whole.finalValLoss()));
        assertThat(late.steps()).isEqualTo(whole.steps());
    }

    @Test
    void aDivergingRunEndsCleanlyAndKeepsItsLog() throws IOException {
        TrainSpec s = spec(new ModelShape(2, 2, 16, 8, 256), 4, 40, 50.0, 4);
        RunResult r = Trainer.train(s, MarkovCorpus.standard(), dir.resolve("run"), false, Trainer.Options.defaults(), QUIET);
        assertThat(r.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(r.message()).contains("training loss");
        assertThat(r.steps()).isLessThan(40);
        assertThat(Files.readAllLines(dir.resolve("run/metrics.csv")).get(0)).startsWith("step,tokens,flops_6N");
        RunResult stored = Json.mapper().readValue(dir.resolve("run/result.json").toFile(), RunResult.class);
        assertThat(stored.status()).isEqualTo(RunStatus.DIVERGED);
    }

    @Test
    void aFolderOfAnotherRunIsRefused() {
        TrainSpec s = spec(new ModelShape(1, 2, 16, 8, 256), 4, 4, 3e-3, 5);
        Trainer.train(s, MarkovCorpus.standard(), dir.resolve("run"), false, Trainer.Options.defaults(), QUIET);
        TrainSpec other = spec(new ModelShape(1, 2, 16, 8, 256), 4, 4, 3e-3, 6);
        assertThatThrownBy(() -> Trainer.train(other, MarkovCorpus.standard(), dir.resolve("run"), false,
                Trainer.Options.defaults(), QUIET))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holds another run");
    }

    @Test
    void aDamagedCheckpointIsRefusedWithTheFileNamed() throws IOException {
        TrainSpec s = spec(new ModelShape(1, 2, 16, 8, 256), 4, 4, 3e-3, 9);
        Path run = dir.resolve("run");
        Trainer.train(s, MarkovCorpus.standard(), run, false, Trainer.Options.defaults(), QUIET);
        Path file = run.resolve(RunLayout.CHECKPOINT);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        int n = paramCount(s);
        assertThatThrownBy(() -> Checkpoint.read(run, s.runId(), n)).hasMessageContaining("fails its checksum");
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertThatThrownBy(() -> Checkpoint.read(run, s.runId(), n)).hasMessageContaining("fails its checksum");
        Files.write(file, java.util.Arrays.copyOf(bytes, 5));
        assertThatThrownBy(() -> Checkpoint.read(run, s.runId(), n)).hasMessageContaining("is truncated");
        assertThatThrownBy(() -> Checkpoint.read(run, s.runId(), n + 1)).isInstanceOf(InvalidInputException.class);
    }
}
