package dev.scalelab.core.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.ModelShape;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Everything that decides the result of one training run, resolved: the same spec on the same
 * machine gives the same bits. Thread count and native build are part of it because they change
 * the 6th-7th digit of the losses; the precision of the matrix multiplies because it changes the
 * 3rd-4th. A float32 spec writes no precision field, so its JSON and run id are what they were
 * before the field existed.
 *
 * @param shape        the model
 * @param tiedOutput   whether the output projection is the token embedding
 * @param corpus       the corpus id, e.g. {@code markov} or {@code text:/path/file.txt}
 * @param seed         seeds initialisation and batches
 * @param batch        sequences per optimizer step
 * @param steps        optimizer steps; tokens = steps · batch · context
 * @param optimizer    AdamW and its schedule
 * @param evalInterval steps between validation evaluations (and at the end)
 * @param evalBatches  validation batches of {@link TrainingDefaults#EVAL_BATCH_WINDOWS} windows per evaluation
 * @param evalSeed     seeds the validation sample, which depends on nothing else of the run but the context
 * @param threads      threads for native and Java kernels
 * @param classifier   the native ND4J build, e.g. linux-x86_64-onednn-avx512
 * @param precision    of the matrix multiplies; null (a spec written before the field) means fp32
 */
public record TrainSpec(ModelShape shape, boolean tiedOutput, String corpus, long seed, int batch, long steps,
                        Optimizer optimizer, long evalInterval, int evalBatches, long evalSeed, int threads,
                        String classifier,
                        @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = Fp32Omitted.class)
                        Precision precision) {

    /** A float32 spec: the precision every run had before the field existed. */
    public TrainSpec(ModelShape shape, boolean tiedOutput, String corpus, long seed, int batch, long steps,
                     Optimizer optimizer, long evalInterval, int evalBatches, long evalSeed, int threads,
                     String classifier) {
        this(shape, tiedOutput, corpus, seed, batch, steps, optimizer, evalInterval, evalBatches, evalSeed, threads,
                classifier, Precision.FP32);
    }

    /** Jackson's filter leaving fp32 out of the JSON (a filter's equals is true for values to omit). */
    static final class Fp32Omitted {
        @Override
        public boolean equals(Object value) {
            return value == null || value == Precision.FP32;
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /**
     * AdamW (Loshchilov and Hutter 2019) with decoupled weight decay, global-norm clipping and a schedule.
     *
     * @param decayEmbeddings whether weight decay also applies to embeddings (norms and biases never decay)
     */
    public record Optimizer(double learningRate, LrSchedule schedule, long warmupSteps, double minLrFraction,
                            double decayFraction, double weightDecay, boolean decayEmbeddings,
                            double beta1, double beta2, double epsilon, double gradClip) {
        public Optimizer {
            positive("learningRate", learningRate);
            if (warmupSteps < 0) {
                throw new IllegalArgumentException("warmupSteps must not be negative, got " + warmupSteps);
            }
            fraction("minLrFraction", minLrFraction);
            fraction("decayFraction", decayFraction);
            if (!(weightDecay >= 0)) {
                throw new IllegalArgumentException("weightDecay must not be negative, got " + weightDecay);
            }
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), got " + beta1 + ", " + beta2);
            }
            positive("epsilon", epsilon);
            if (!(gradClip >= 0)) {
                throw new IllegalArgumentException("gradClip must be >= 0 (0 disables clipping), got " + gradClip);
            }
        }

        /** The learning rate of optimizer step {@code step} of {@code totalSteps}. */
        public double rate(long step, long totalSteps) {
            return schedule.rate(step, totalSteps, learningRate, warmupSteps, minLrFraction, decayFraction);
        }
    }

    public TrainSpec {
        if (batch <= 0) {
            throw new IllegalArgumentException("batch must be positive, got " + batch);
        }
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be positive, got " + steps);
        }
        if (evalInterval <= 0) {
            throw new IllegalArgumentException("evalInterval must be positive, got " + evalInterval);
        }
        if (evalBatches <= 0) {
            throw new IllegalArgumentException("evalBatches must be positive, got " + evalBatches);
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (precision == null) {
            precision = Precision.FP32;
        }
    }

    /** This spec with its matrix multiplies in {@code p}. */
    public TrainSpec withPrecision(Precision p) {
        return new TrainSpec(shape, tiedOutput, corpus, seed, batch, steps, optimizer, evalInterval, evalBatches,
                evalSeed, threads, classifier, p);
    }

    private static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    private static void fraction(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
    }

    /** Training tokens: steps · batch · context. */
    @JsonIgnore
    public long tokens() {
        return steps * batch * (long) shape.context();
    }

    /** Windows in the validation sample. */
    @JsonIgnore
    public int evalWindows() {
        return evalBatches * TrainingDefaults.EVAL_BATCH_WINDOWS;
    }

    /** Tokens per optimizer step. */
    @JsonIgnore
    public long tokensPerStep() {
        return batch * (long) shape.context();
    }

    /** A content hash of the spec: the run's id, so reruns, resumes and shards agree without coordination. */
    @JsonIgnore
    public String runId() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.toText(this).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
