package dev.scalelab.core.run;

/**
 * The one place for scalelab's training defaults: every value that {@code train}, a sweep's planner,
 * grokking runs and the step benchmark use when nothing else is given. The constants are
 * compile-time ones so that the command line's option defaults can name them.
 *
 * <p>Shared values follow GPT-2/GPT-3 practice as Chinchilla's training recipe keeps it: AdamW with
 * betas 0.9/0.95, epsilon 1e-8, decoupled weight decay 0.1 on matrices, the global gradient norm
 * clipped at 1.0, and a cosine schedule to 10% of the peak rate (Brown et al. 2020, GPT-3, appendix
 * B.1; Hoffmann et al. 2022, Chinchilla, section 3 and appendix A). The warm-up-stable-decay schedule
 * decays over the last 20% (Hägele et al. 2024, "Scaling Laws and Compute-Optimal Training Beyond
 * Fixed Training Durations").
 */
public final class TrainingDefaults {
    private TrainingDefaults() {
    }

    /** AdamW's first-moment decay (GPT-3, appendix B.1). */
    public static final double BETA1 = 0.9;
    /** AdamW's second-moment decay (GPT-3, appendix B.1; 0.95 rather than Adam's 0.999 for stability at scale). */
    public static final double BETA2 = 0.95;
    /** AdamW's epsilon (GPT-3, appendix B.1). */
    public static final double EPSILON = 1e-8;
    /** Decoupled weight decay, on matrices only (GPT-3, appendix B.1; Loshchilov and Hutter 2019). */
    public static final double WEIGHT_DECAY = 0.1;
    /** Global gradient-norm clip (GPT-3, appendix B.1). */
    public static final double GRAD_CLIP = 1.0;
    /** The cosine schedule's end, as a fraction of the peak rate (GPT-3 and Chinchilla decay by 10x). */
    public static final double MIN_LR_FRACTION = 0.1;
    /** The warm-up-stable-decay schedule's decay phase, as a fraction of the steps (Hägele et al. 2024). */
    public static final double DECAY_FRACTION = 0.2;
    /** The learning-rate schedule, by its id ({@link LrSchedule#fromId}). */
    public static final String SCHEDULE = "cosine";
    /** Validation batches per evaluation, for a single run and a sweep's runs alike. */
    public static final int EVAL_BATCHES = 8;
    /**
     * Windows in one validation batch. A run's validation sample is {@code evalBatches × EVAL_BATCH_WINDOWS}
     * windows, whatever its training batch, so every run of a study is scored on the same windows.
     */
    public static final int EVAL_BATCH_WINDOWS = 16;
    /** The seed of a study's validation sample (apart from the training seed, so seeds can vary and the sample stay). */
    public static final long EVAL_SEED = 0;
    /** Evaluations per run (a sweep's runs; a single run evaluates every tenth of its steps). */
    public static final int EVALS = 10;
    /** Warm-up as a fraction of a run's steps (5%, a common choice for short runs). */
    public static final double WARMUP_FRACTION = 0.05;
    /** The seed of initialisation and batch order. */
    public static final long SEED = 0;

    // A sweep's runs: the peak rate is scaled with width, lr = SWEEP_LR * (SWEEP_LR_WIDTH / d_model)^SWEEP_LR_EXPONENT,
    // so that one config serves a ladder of widths (the 1/sqrt(width) rule of thumb; muP, Yang et al. 2022, makes
    // it exact). A single `train` run has no ladder and keeps the plain TRAIN_LR.

    /** A sweep's peak learning rate at width {@link #SWEEP_LR_WIDTH}. */
    public static final double SWEEP_LR = 3e-3;
    /** The width at which a sweep's runs use {@link #SWEEP_LR}. */
    public static final int SWEEP_LR_WIDTH = 128;
    /** The exponent of a sweep's width scaling of the learning rate. */
    public static final double SWEEP_LR_EXPONENT = 0.5;
    /** Sequences per step of a sweep's runs: small, so that the small models of a ladder take many steps. */
    public static final int SWEEP_BATCH = 16;

    /** A single run's peak learning rate: one model of default width 64, no width scaling. */
    public static final double TRAIN_LR = 1e-3;
    /** Sequences per step of a single run. */
    public static final int TRAIN_BATCH = 32;
    /** Optimizer steps of a single run. */
    public static final long TRAIN_STEPS = 1000;
    /** The cap on a single run's warm-up (5% of its steps, at most this many). */
    public static final long TRAIN_WARMUP_MAX_STEPS = 200;

    // Grokking runs follow Power et al. 2022 (section 3 and appendix A.1) rather than the LM recipe: a constant rate
    // after warm-up, beta2 0.98, weight decay 1 on every parameter (PyTorch's AdamW), no clipping.

    /** A grokking run's learning rate (Power et al. 2022). */
    public static final double GROK_LR = 1e-3;
    /** A grokking run's second-moment decay (Power et al. 2022). */
    public static final double GROK_BETA2 = 0.98;
    /** A grokking run's weight decay, on every parameter (Power et al. 2022). */
    public static final double GROK_WEIGHT_DECAY = 1.0;
    /** A grokking run's warm-up steps. */
    public static final long GROK_WARMUP_STEPS = 10;

    /** The step benchmark's fixed, constant learning rate: it times steps, whatever they learn. */
    public static final double BENCH_LR = 1e-3;

    /** AdamW with the shared betas, epsilon, schedule fractions and decay on matrices only. */
    public static TrainSpec.Optimizer adamW(double learningRate, LrSchedule schedule, long warmupSteps, double weightDecay,
                                            double gradClip) {
        return new TrainSpec.Optimizer(learningRate, schedule, warmupSteps, MIN_LR_FRACTION, DECAY_FRACTION, weightDecay,
                false, BETA1, BETA2, EPSILON, gradClip);
    }

    /**
     * A grokking run's AdamW (Power et al. 2022): a constant rate after warm-up (no floor to decay to), decay on
     * every parameter and no clipping.
     */
    public static TrainSpec.Optimizer grokAdamW(double learningRate, long warmupSteps, double weightDecay, double beta1,
                                                double beta2) {
        return new TrainSpec.Optimizer(learningRate, LrSchedule.CONSTANT, warmupSteps, 0, DECAY_FRACTION, weightDecay,
                true, beta1, beta2, EPSILON, 0);
    }
}
