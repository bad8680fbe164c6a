package dev.scalelab.sweep.train;

import dev.scalelab.core.run.LrSchedule;
import dev.scalelab.core.run.TrainSpec;
import dev.scalelab.sweep.model.Params;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Two AdamW steps against the update written out here in double precision: Adam's moments with
 * bias correction (Kingma and Ba 2015, Algorithm 1) and weight decay decoupled from the gradient
 * (Loshchilov and Hutter 2019, Algorithm 2), applied as w ← w − lr·λ·w − lr·m̂ / (√v̂ + ε).
 */
class AdamWTest {
    private static final double LR = 0.01;
    private static final double DECAY = 0.5;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private static TrainSpec.Optimizer options(boolean decayEmbeddings) {
        return new TrainSpec.Optimizer(LR, LrSchedule.CONSTANT, 1, 0, 0.2, DECAY, decayEmbeddings, BETA1, BETA2, EPS, 0);
    }

    /** A matrix of 2, a bias, a norm gain and an embedding of 1, at the given starting values. */
    private static Params params(float... start) {
        Params p = new Params();
        p.add("w", 1, 2, Params.Kind.MATRIX);
        p.add("b", 1, 1, Params.Kind.BIAS);
        p.add("g", 1, 1, Params.Kind.NORM);
        p.add("e", 1, 1, Params.Kind.EMBEDDING);
        p.allocate();
        System.arraycopy(start, 0, p.values(), 0, start.length);
        return p;
    }

    private static final float[] START = {1.0f, -2.0f, 0.5f, 1.5f, -0.25f};
    private static final float[][] GRADS = {{0.2f, -0.1f, 0.3f, -0.05f, 1.0f}, {-0.4f, 0.3f, 0.1f, 0.2f, -2.0f}};

    /** The expected parameters after each step, from the formulas above, in double. */
    private static double[][] byHand(boolean[] decays) {
        int n = START.length;
        double[] w = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = START[i];
        }
        double[][] after = new double[GRADS.length][];
        for (int t = 1; t <= GRADS.length; t++) {
            for (int i = 0; i < n; i++) {
                double g = GRADS[t - 1][i];
                m[i] = BETA1 * m[i] + (1 - BETA1) * g;
                v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
                double mHat = m[i] / (1 - Math.pow(BETA1, t));
                double vHat = v[i] / (1 - Math.pow(BETA2, t));
                w[i] = w[i] - LR * (decays[i] ? DECAY : 0) * w[i] - LR * mHat / (Math.sqrt(vHat) + EPS);
            }
            after[t - 1] = w.clone();
        }
        return after;
    }

    private static void check(AdamW adam, Params p, double[][] expected) {
        for (int t = 0; t < GRADS.length; t++) {
            System.arraycopy(GRADS[t], 0, p.grads(), 0, GRADS[t].length);
            adam.step(p, LR);
            assertThat(adam.steps()).isEqualTo(t + 1);
            for (int i = 0; i < START.length; i++) {
                assertThat((double) p.values()[i]).as("step %d, parameter %d", t + 1, i).isCloseTo(expected[t][i], within(1e-6));
            }
        }
    }

    @Test
    void twoStepsMatchTheBiasCorrectedUpdateWithDecoupledDecayOnMatricesOnly() {
        Params p = params(START);
        AdamW adam = new AdamW(p, options(false));
        double[][] expected = byHand(new boolean[] {true, true, false, false, false});
        check(adam, p, expected);
        double[] m = {0, 0, 0, 0, 0};
        for (int t = 0; t < 2; t++) {
            for (int i = 0; i < 5; i++) {
                m[i] = BETA1 * m[i] + (1 - BETA1) * GRADS[t][i];
            }
        }
        for (int i = 0; i < 5; i++) {
            assertThat((double) adam.firstMoment()[i]).isCloseTo(m[i], within(1e-7));
        }
        // the second moment after two steps: (1 - β2)(β2·g1² + g2²), to float precision of 1 - β2 (5e-5)
        double v = (1 - BETA2) * (BETA2 * 1.0 + 4.0);
        assertThat((double) adam.secondMoment()[4]).isCloseTo(v, within(1e-4 * v));
    }

    @Test
    void theFirstStepMovesEachParameterByTheLearningRateAgainstItsGradient() {
        Params p = params(START);
        new AdamW(p, options(false)).step(copy(p, GRADS[0]), LR);
        // a norm gain does not decay: 1.5 - 0.01·sign(-0.05); a matrix entry decays first: 1·(1 - lr·λ) - 0.01
        assertThat((double) p.values()[3]).isCloseTo(1.51, within(1e-6));
        assertThat((double) p.values()[0]).isCloseTo(1.0 * (1 - LR * DECAY) - LR, within(1e-6));
    }

    private static Params copy(Params p, float[] grads) {
        System.arraycopy(grads, 0, p.grads(), 0, grads.length);
        return p;
    }

    @Test
    void embeddingsDecayWhenAskedAndEverythingDecaysInTheGrokkingSetting() {
        Params embeddings = params(START);
        check(new AdamW(embeddings, options(true)), embeddings, byHand(new boolean[] {true, true, false, false, true}));
        Params everything = params(START);
        check(new AdamW(everything, options(false), true), everything, byHand(new boolean[] {true, true, true, true, true}));
    }

    @Test
    void clippingScalesTheGlobalNormDownToTheLimitAndReportsTheNormBefore() {
        Params p = params(START);
        float[] g = {3f, 0f, 4f, 0f, 0f}; // norm 5
        System.arraycopy(g, 0, p.grads(), 0, g.length);
        assertThat(AdamW.clip(p, 1.0)).isCloseTo(5.0, within(1e-9));
        assertThat(Math.sqrt(p.gradNormSquared())).isCloseTo(1.0, within(1e-5));
        assertThat((double) p.grads()[0]).isCloseTo(0.6, within(1e-5));
        assertThat(AdamW.clip(p, 0)).isCloseTo(1.0, within(1e-5)); // 0 disables clipping
        assertThat((double) p.grads()[2]).isCloseTo(0.8, within(1e-5));
    }
}
