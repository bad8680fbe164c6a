package dev.scalelab.sweep.train;

import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.model.Params;

/**
 * AdamW (Loshchilov and Hutter 2019) over the flat parameter array, in PyTorch's order: decay
 * the weights by (1 − lr·λ), then take the bias-corrected Adam step (Kingma and Ba 2015, Alg. 1).
 * Weight decay applies to matrices, to embeddings only when asked, never to norms or biases.
 */
public final class AdamW {
    private final TrainSpec.Optimizer options;
    private final float[] m;
    private final float[] v;
    private final float[] decay; // per parameter: λ, or 0
    private long steps;

    public AdamW(Params params, TrainSpec.Optimizer options) {
        this(params, options, false);
    }

    /**
     * @param decayEverything whether weight decay applies to every parameter, biases and norms included,
     *                        as PyTorch's AdamW does by default (the grokking papers' setting)
     */
    public AdamW(Params params, TrainSpec.Optimizer options, boolean decayEverything) {
        this.options = options;
        this.m = new float[params.size()];
        this.v = new float[params.size()];
        this.decay = new float[params.size()];
        for (Params.Slice s : params.slices()) {
            boolean decays = decayEverything || s.kind() == Params.Kind.MATRIX
                    || (s.kind() == Params.Kind.EMBEDDING && options.decayEmbeddings());
            java.util.Arrays.fill(decay, s.offset(), s.offset() + s.size(), decays ? (float) options.weightDecay() : 0f);
        }
    }

    public float[] firstMoment() {
        return m;
    }

    public float[] secondMoment() {
        return v;
    }

    public long steps() {
        return steps;
    }

    /** Restores the step count after the moments were loaded from a checkpoint. */
    public void restoreSteps(long taken) {
        this.steps = taken;
    }

    /** One update with learning rate {@code lr} from the gradients in {@code params}. */
    public void step(Params params, double lr) {
        steps++;
        float[] w = params.values();
        float[] g = params.grads();
        float b1 = (float) options.beta1();
        float b2 = (float) options.beta2();
        float c1 = 1f - b1;
        float c2 = 1f - b2;
        float stepSize = (float) (lr / (1 - Math.pow(options.beta1(), steps)));
        float invSqrtBias2 = (float) (1 / Math.sqrt(1 - Math.pow(options.beta2(), steps)));
        float eps = (float) options.epsilon();
        float lrf = (float) lr;
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            float wi = w[i] * (1f - lrf * decay[i]);
            w[i] = wi - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtBias2 + eps);
        }
    }

    /**
     * Scales the gradients so their global L2 norm is at most {@code maxNorm} (Pascanu et al. 2013);
     * returns the norm before clipping. {@code maxNorm} 0 disables clipping.
     */
    public static double clip(Params params, double maxNorm) {
        double norm = Math.sqrt(params.gradNormSquared());
        if (maxNorm > 0 && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            float[] g = params.grads();
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
            }
        }
        return norm;
    }
}
