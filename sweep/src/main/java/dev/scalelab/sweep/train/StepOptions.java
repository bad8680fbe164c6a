package dev.scalelab.sweep.train;

import dev.scalelab.core.run.TrainSpec;

import java.util.List;

/**
 * How scalelab's training steps differ from one another, beyond their optimizer settings and the
 * learning rate each step is given: every step is forward, backward, global-norm clipping and one
 * AdamW update.
 *
 * @param gradClip            the gradients' global L2 norm is clipped to this (Pascanu et al. 2013);
 *                            0: not clipped (the norm is still measured and reported)
 * @param decayEveryParameter weight decay on every parameter, biases and norms included, as PyTorch's
 *                            AdamW does by default (the grokking papers' setting); else on matrices and,
 *                            when the optimizer asks, embeddings
 * @param lossPositions       the window positions (0-based, predicting the token after) whose targets
 *                            the loss counts, in training and evaluation; empty: every position
 */
public record StepOptions(double gradClip, boolean decayEveryParameter, List<Integer> lossPositions) {
    public StepOptions {
        if (!(gradClip >= 0)) {
            throw new IllegalArgumentException("gradClip must be >= 0 (0 disables clipping), got " + gradClip);
        }
        lossPositions = List.copyOf(lossPositions);
    }

    /** The trainer's step: clipped at the optimizer's gradClip, the usual decay, the loss at every position. */
    public static StepOptions of(TrainSpec.Optimizer optimizer) {
        return new StepOptions(optimizer.gradClip(), false, List.of());
    }
}
