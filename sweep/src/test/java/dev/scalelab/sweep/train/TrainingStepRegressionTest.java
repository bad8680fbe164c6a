package dev.scalelab.sweep.train;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.core.run.RunLayout;
import dev.scalelab.core.model.ModelShape;
import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.core.run.RunStatus;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.core.run.Precision;
import dev.scalelab.sweep.corpus.MarkovCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trainer's losses, gradient norms and final parameters and AdamW moments, bit for bit, against
 * values recorded from the implementation before the training step became one {@link TrainingEngine}
 * (when the trainer wrote forward, backward, clipping and the AdamW update out itself). A regression
 * check: a change to the step that moves any bit fails here. The validation losses (the final one and
 * metrics.csv's) were recorded again when every run of a study came to be scored on one validation
 * sample (windows by index under an eval seed); the parameters and moments kept their bits.
 */
class TrainingStepRegressionTest {
    @TempDir
    Path dir;

    private static final Trainer.Listener QUIET = new Trainer.Listener() {
    };

    /** Clipped at 1, cosine schedule, tied output, weight decay on matrices only, 2 threads. */
    @Test
    void aClippedTiedRunKeepsItsRecordedBits() throws IOException {
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(3e-3, LrSchedule.COSINE, 1, 0.1, 0.2, 0.1, false,
                0.9, 0.95, 1e-8, 1.0);
        TrainSpec s = new TrainSpec(new ModelShape(2, 2, 16, 8, 256), true, "markov", 7, 4, 12, opt, 3, 2, 0, 2, "test");
        Fingerprint f = train(s, dir.resolve("clipped"));
        assertThat(f.status()).isEqualTo(RunStatus.COMPLETED);
        // recorded from the previous implementation
        assertThat(f.finalValLossBits()).isEqualTo(4617907854706396085L);
        assertThat(f.metrics()).isEqualTo(2926391325L);
        assertThat(f.values()).isEqualTo(3427660585L);
        assertThat(f.firstMoment()).isEqualTo(2076418454L);
        assertThat(f.secondMoment()).isEqualTo(3431247560L);
    }

    /** Not clipped (the norm is still logged), WSD schedule, untied output, embeddings decay too, 1 thread. */
    @Test
    void anUnclippedUntiedRunKeepsItsRecordedBits() throws IOException {
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(1e-2, LrSchedule.WSD, 2, 0.1, 0.3, 0.1, true,
                0.9, 0.99, 1e-8, 0);
        TrainSpec s = new TrainSpec(new ModelShape(1, 2, 16, 8, 256), false, "markov", 11, 3, 10, opt, 2, 1, 0, 1, "test");
        Fingerprint f = train(s, dir.resolve("unclipped"));
        assertThat(f.status()).isEqualTo(RunStatus.COMPLETED);
        // recorded from the previous implementation
        assertThat(f.finalValLossBits()).isEqualTo(4617929271707460986L);
        assertThat(f.metrics()).isEqualTo(1395999651L);
        assertThat(f.values()).isEqualTo(1904016883L);
        assertThat(f.firstMoment()).isEqualTo(1542849051L);
        assertThat(f.secondMoment()).isEqualTo(755739169L);
    }

    /**
     * bf16 matrix multiplies (float32 accumulation and master weights), untied so the output head's
     * weight is converted apart from the embedding's, 2 threads: recorded when every product still
     * rounded both its inputs to bf16 each time it ran, before each input was rounded once where it
     * was written (a weight once per update, an activation once for the forward and weight-gradient
     * products); rounding is a function of the float32 input, so the bits must not move. oneDNN's
     * kernels for AMX tiles and for AVX512-BF16 instructions sum their products in different orders,
     * so the bits are recorded per instruction set (an AMX Xeon, an AVX512-BF16 AMD EPYC); on any
     * other, two runs must still end at the same bits.
     */
    @Test
    void aBf16RunKeepsItsRecordedBits() throws IOException {
        String isa = dev.scalelab.sweep.tensor.OneDnnMatmul.isa();
        org.junit.jupiter.api.Assumptions.assumeTrue(isa.startsWith("avx512"), "bf16 needs AVX-512");
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(3e-3, LrSchedule.COSINE, 1, 0.1, 0.2, 0.1, false,
                0.9, 0.95, 1e-8, 1.0);
        TrainSpec s = new TrainSpec(new ModelShape(2, 2, 16, 8, 256), false, "markov", 7, 4, 12, opt, 3, 2, 0, 2,
                "test", Precision.BF16);
        Fingerprint f = train(s, dir.resolve("bf16"));
        assertThat(f.status()).isEqualTo(RunStatus.COMPLETED);
        // recorded from the implementation that rounded both inputs on every product (043f444), on each machine
        java.util.Map<String, Fingerprint> recorded = java.util.Map.of(
                "avx512_core_amx", new Fingerprint(RunStatus.COMPLETED, 4617915383586979377L, 1925075024L,
                        2253676678L, 3281707220L, 1564170032L),
                "avx512_core_bf16", new Fingerprint(RunStatus.COMPLETED, 4617915388970467110L, 867239069L,
                        270305037L, 1408858782L, 1654273587L));
        Fingerprint expected = recorded.get(isa);
        if (expected == null) {
            assertThat(train(s, dir.resolve("bf16-again"))).as("two bf16 runs on %s", isa).isEqualTo(f);
        } else {
            assertThat(f).as("bf16 on %s", isa).isEqualTo(expected);
        }
    }

    /**
     * A quickstart-shaped float32 run (heads of 4 dimensions, the synthetic corpus, 1 thread, the
     * defaults of {@code scalelab train}): its final validation loss as the launchers of d2f0724,
     * 62789d2 and 6b180cf all printed it for {@code train --corpus synthetic --d-model 8 --heads 2
     * --steps 60 --eval-interval 60 --eval-batches 2 --batch 16 --threads 1}. A float32 change that
     * moves it (oneDNN's float32 matmul in place of ND4J's did, by 1e-10) changes every quickstart
     * result documented so far.
     */
    @Test
    void aQuickstartShapedRunKeepsItsRecordedLoss() throws IOException {
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(1e-3, LrSchedule.COSINE, 3, 0.1, 0.2, 0.1, false,
                0.9, 0.95, 1e-8, 1.0);
        TrainSpec s = new TrainSpec(new ModelShape(2, 2, 8, 128, 176), true, "synthetic", 0, 16, 60, opt, 60, 2, 0, 1,
                "test");
        RunResult r = Trainer.train(s, dev.scalelab.sweep.corpus.SyntheticCorpus.standard(), dir.resolve("narrow"),
                false, Trainer.Options.defaults(), QUIET);
        assertThat(r.status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.finalValLoss()).isEqualTo(4.79576377120574);
    }

    /** A learning rate of 50 diverges: the same step, the same message, the same log. */
    @Test
    void aDivergingRunStopsAtItsRecordedStep() throws IOException {
        TrainSpec.Optimizer opt = new TrainSpec.Optimizer(50.0, LrSchedule.COSINE, 2, 0.1, 0.2, 0.1, false,
                0.9, 0.95, 1e-8, 1.0);
        TrainSpec s = new TrainSpec(new ModelShape(2, 2, 16, 8, 256), true, "markov", 4, 4, 40, opt, 10, 2, 0, 2, "test");
        RunResult r = Trainer.train(s, MarkovCorpus.standard(), dir.resolve("diverged"), false,
                Trainer.Options.defaults(), QUIET);
        assertThat(r.status()).isEqualTo(RunStatus.DIVERGED);
        // recorded from the previous implementation
        assertThat(r.steps()).isEqualTo(1L);
        assertThat(r.message()).isEqualTo("training loss 11944.837823218115 at step 1 rose above 1.5 × the first loss 5.5505349349330775");
        assertThat(metricsCrc(dir.resolve("diverged"))).isEqualTo(2923680356L);
    }

    record Fingerprint(RunStatus status, long finalValLossBits, long metrics, long values, long firstMoment,
                       long secondMoment) {
    }

    private static Fingerprint train(TrainSpec s, Path runDir) throws IOException {
        RunResult r = Trainer.train(s, MarkovCorpus.standard(), runDir, false, Trainer.Options.defaults(), QUIET);
        int n;
        try (var model = new dev.scalelab.sweep.model.Gpt(s.shape(), s.tiedOutput(), s.batch(), 1)) {
            n = model.params().size();
        }
        Checkpoint c = Checkpoint.read(runDir, s.runId(), n);
        Fingerprint f = new Fingerprint(r.status(), Double.doubleToRawLongBits(r.finalValLoss()), metricsCrc(runDir),
                crc(c.values()), crc(c.firstMoment()), crc(c.secondMoment()));
        return f;
    }

    /** CRC-32 of metrics.csv's step, tokens, FLOPs, train and validation loss, lr and grad norm (not timings). */
    static long metricsCrc(Path runDir) throws IOException {
        CRC32 crc = new CRC32();
        for (String line : Files.readAllLines(runDir.resolve(RunLayout.METRICS))) {
            crc.update((String.join(",", List.of(line.split(",")).subList(0, 9)) + "\n").getBytes());
        }
        return crc.getValue();
    }

    /** CRC-32 of the floats' raw bits. */
    static long crc(float[] values) {
        CRC32 crc = new CRC32();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(values.length * 4);
        for (float v : values) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        crc.update(b.array());
        return crc.getValue();
    }
}
