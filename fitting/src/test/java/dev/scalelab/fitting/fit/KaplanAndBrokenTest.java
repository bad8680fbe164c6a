package dev.scalelab.fitting.fit;

import dev.scalelab.fitting.law.BrokenPowerLaw;
import dev.scalelab.fitting.law.KaplanLaw;
import dev.scalelab.fitting.law.Point;
import dev.scalelab.fitting.law.Variable;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KaplanAndBrokenTest {
    @Test
    void recoversKaplansPublishedJointLaw() {
        // Kaplan et al. 2020, Table 2: alpha_N 0.076, alpha_D 0.095, N_c 8.8e13, D_c 5.4e13
        KaplanLaw truth = new KaplanLaw(8.8e13, 5.4e13, 0.076, 0.095);
        Random rng = new Random(1);
        int n = 120;
        double[] params = new double[n];
        double[] tokens = new double[n];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            params[i] = Math.pow(10, 6 + 3 * rng.nextDouble());
            tokens[i] = Math.pow(10, 7 + 4 * rng.nextDouble());
            loss[i] = truth.predict(new Point(params[i], tokens[i], Double.NaN)) * Math.exp(0.002 * rng.nextGaussian());
        }
        Kaplan.Result r = Kaplan.fit(params, tokens, loss, null, null);
        assertThat(r.law().alphaN()).isCloseTo(0.076, within(0.005));
        assertThat(r.law().alphaD()).isCloseTo(0.095, within(0.005));
        assertThat(Math.log10(r.law().nc())).isCloseTo(Math.log10(8.8e13), within(0.5));
        assertThat(Math.log10(r.law().dc())).isCloseTo(Math.log10(5.4e13), within(0.5));
        assertThat(r.status()).isEqualTo(FitStatus.CONVERGED);
    }

    @Test
    void findsTheBreakOfABendingCurve() {
        BrokenPowerLaw truth = new BrokenPowerLaw(Variable.FLOPS, 1.0, 30.0, 0.05, 0.25, 1e17, 0.5);
        int n = 60;
        double[] x = new double[n];
        double[] loss = new double[n];
        Random rng = new Random(2);
        for (int i = 0; i < n; i++) {
            x[i] = Math.pow(10, 14 + 6.0 * i / (n - 1));
            loss[i] = truth.predict(new Point(Double.NaN, Double.NaN, x[i])) * Math.exp(0.001 * rng.nextGaussian());
        }
        Broken.Result r = Broken.fit(Variable.FLOPS, x, loss, null, null);
        assertThat(Math.log10(r.law().d1())).isCloseTo(17, within(0.3));
        assertThat(r.law().c0() + r.law().c1()).as("slope after the break").isCloseTo(0.30, within(0.05));
        for (int i = 0; i < n; i += 7) {
            assertThat(r.law().predict(new Point(Double.NaN, Double.NaN, x[i]))).isCloseTo(loss[i], within(loss[i] * 0.01));
        }
    }
}
