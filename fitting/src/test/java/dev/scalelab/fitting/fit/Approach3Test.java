package dev.scalelab.fitting.fit;

import dev.scalelab.core.NoUsableFitException;
import dev.scalelab.fitting.law.ChinchillaLaw;
import dev.scalelab.fitting.opt.Lbfgs;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Approach3Test {
    private static Approach3.Result fit(Synthetic s) {
        return Approach3.fit(s.data(), Approach3.Options.defaults());
    }

    private static void assertRecovers(ChinchillaLaw truth, Approach3.Result r, double expTol, double coefRelTol) {
        ChinchillaLaw got = r.law();
        assertThat(got.alpha()).as("alpha").isCloseTo(truth.alpha(), within(expTol));
        assertThat(got.beta()).as("beta").isCloseTo(truth.beta(), within(expTol));
        assertThat(got.e()).as("E").isCloseTo(truth.e(), within(truth.e() * 0.05));
        assertThat(Math.log(got.a())).as("log A").isCloseTo(Math.log(truth.a()), within(coefRelTol));
        assertThat(Math.log(got.b())).as("log B").isCloseTo(Math.log(truth.b()), within(coefRelTol));
        assertThat(got.paramsExponent()).as("a").isCloseTo(truth.paramsExponent(), within(0.01));
        assertThat(got.tokensExponent()).as("b").isCloseTo(truth.tokensExponent(), within(0.01));
        assertThat(r.status()).isEqualTo(FitStatus.CONVERGED);
        assertThat(r.starts()).isEqualTo(4500);
        assertThat(r.converged()).isGreaterThan(r.starts() / 2);
    }

    /** A term that vanished at the optimum (its coefficient e^30 below the loss) is AT_BOUND, as E at 0 is. */
    @Test
    void aVanishedTermIsAtBound() {
        Approach3.Data data = Approach3.Data.of(new double[] {1e6, 1e7}, new double[] {1e8, 1e9}, new double[] {3.0, 2.5});
        Lbfgs.Result converged = new Lbfgs.Result(new double[5], 0, Lbfgs.Status.CONVERGED, 10, 20);
        double logA = Math.log(400);
        double logB = Math.log(400);
        double e = Math.log(1.7);
        // (a, b, e, alpha, beta): every term alive
        assertThat(Approach3.status(converged, new double[] {logA, logB, e, 0.34, 0.28}, data)).isEqualTo(FitStatus.CONVERGED);
        // A/N^α below e^-30 of the loss at the smallest N (log A - α·log N = -31 + log 2.5)
        double vanishedA = -31 + Math.log(2.5) + 0.34 * Math.log(1e6);
        assertThat(Approach3.status(converged, new double[] {vanishedA, logB, e, 0.34, 0.28}, data)).isEqualTo(FitStatus.AT_BOUND);
        double vanishedB = -31 + Math.log(2.5) + 0.28 * Math.log(1e8);
        assertThat(Approach3.status(converged, new double[] {logA, vanishedB, e, 0.34, 0.28}, data)).isEqualTo(FitStatus.AT_BOUND);
        // just above the threshold it is alive
        double aliveA = -29 + Math.log(2.5) + 0.34 * Math.log(1e6);
        assertThat(Approach3.status(converged, new double[] {aliveA, logB, e, 0.34, 0.28}, data)).isEqualTo(FitStatus.CONVERGED);
        assertThat(Approach3.status(converged, new double[] {logA, logB, -40, 0.34, 0.28}, data)).isEqualTo(FitStatus.AT_BOUND);
    }

    @Test
    void recoversHoffmannsSurfaceFromNoisyIsoflopData() {
        Synthetic s = Synthetic.isoflop(Synthetic.HOFFMANN, 8, 30, 30, 1, 0.01, 1);
        assertRecovers(Synthetic.HOFFMANN, fit(s), 0.03, 0.5);
    }

    @Test
    void recoversASymmetricSurface() {
        ChinchillaLaw symmetric = new ChinchillaLaw(2.0, 300, 300, 0.3, 0.3);
        assertRecovers(symmetric, fit(Synthetic.isoflop(symmetric, 8, 30, 30, 1, 0.01, 2)), 0.03, 0.5);
    }

    @Test
    void recoversAnAsymmetricSurface() {
        ChinchillaLaw asymmetric = new ChinchillaLaw(1.8, 1000, 40, 0.46, 0.15);
        assertRecovers(asymmetric, fit(Synthetic.isoflop(asymmetric, 8, 30, 30, 1, 0.01, 3)), 0.03, 0.6);
    }

    @Test
    void fixingEAtTheTruthKeepsItThere() {
        Synthetic s = Synthetic.isoflop(Synthetic.HOFFMANN, 8, 20, 30, 1, 0.01, 4);
        Approach3.Result r = Approach3.fit(s.data(), Approach3.Options.defaults().withFixed(Map.of("E", 1.69)));
        assertThat(r.law().e()).isCloseTo(1.69, within(1e-12));
        assertThat(r.law().paramsExponent()).isCloseTo(Synthetic.HOFFMANN.paramsExponent(), within(0.03));
    }

    @Test
    void theResultDoesNotDependOnTheThreadCount() {
        Synthetic s = Synthetic.isoflop(Synthetic.HOFFMANN, 5, 8, 30, 1, 0.02, 5);
        Approach3.Options small = Approach3.Options.defaults().withGrid(new double[] {0, 1}, new double[] {0, 1},
                new double[] {0, 1}, new double[] {0, 10}, new double[] {0, 10});
        Approach3.Result one = Approach3.fit(s.data(), small.withThreads(1));
        Approach3.Result three = Approach3.fit(s.data(), small.withThreads(3));
        assertThat(three.theta()).isEqualTo(one.theta());
        assertThat(three.objective()).isEqualTo(one.objective());
        assertThat(three.converged()).isEqualTo(one.converged());
    }

    @Test
    void analyticGradientMatchesFiniteDifferences() {
        Synthetic s = Synthetic.isoflop(Synthetic.HOFFMANN, 4, 10, 30, 1, 0.05, 6);
        Approach3.Data d = s.data();
        Random rng = new Random(7);
        double[] nan = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        for (double delta : new double[] {1e-3, 1.0}) { // the linear and the quadratic arms of Huber
            HuberLseObjective f = new HuberLseObjective(d.logN(), d.logD(), d.logL(), null, delta, nan, false);
            for (int trial = 0; trial < 5; trial++) {
                double[] x = {rng.nextDouble() * 8, rng.nextDouble() * 8, rng.nextDouble() - 0.5,
                        0.1 + rng.nextDouble(), 0.1 + rng.nextDouble()};
                double[] g = new double[5];
                f.valueAndGradient(x, g);
                for (int i = 0; i < 5; i++) {
                    double h = 1e-6;
                    double[] up = x.clone();
                    double[] down = x.clone();
                    up[i] += h;
                    down[i] -= h;
                    double numeric = (f.valueAndGradient(up, new double[5]) - f.valueAndGradient(down, new double[5])) / (2 * h);
                    assertThat(g[i]).as("d/d%s at trial %d, delta %s", HuberLseObjective.NAMES[i], trial, delta)
                            .isCloseTo(numeric, within(1e-6 + 1e-5 * Math.abs(numeric)));
                }
            }
        }
    }

    @Test
    void theVectorLoopComputesWhatTheScalarLoopDoes() {
        assertThat(HuberLseObjective.VECTOR).as("tests run with --add-modules jdk.incubator.vector").isTrue();
        Synthetic s = Synthetic.isoflop(Synthetic.HOFFMANN, 5, 7, 30, 1, 0.05, 9); // 35 points: a scalar tail too
        Approach3.Data d = s.data();
        double[] nan = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        double[] w = new double[d.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = i % 3;
        }
        for (double[] weights : new double[][] {null, w}) {
            HuberLseObjective vector = new HuberLseObjective(d.logN(), d.logD(), d.logL(), weights, 1e-3, nan, false);
            HuberLseObjective scalar = new HuberLseObjective(d.logN(), d.logD(), d.logL(), weights, 1e-3, nan, false)
                    .scalarOnly();
            double[] x = {6, 6, 0.5, 0.3, 0.3};
            double[] gv = new double[5];
            double[] gs = new double[5];
            assertThat(vector.valueAndGradient(x, gv)).isCloseTo(scalar.valueAndGradient(x, gs), within(1e-12));
            for (int i = 0; i < 5; i++) {
                assertThat(gv[i]).isCloseTo(gs[i], within(1e-10 * (1 + Math.abs(gs[i]))));
            }
        }
    }

    @Test
    void theSummedObjectiveReachesTheOptimumWhereTheAveragedOneStopsEarly() {
        Synthetic s = Synthetic.isoflop(Synthetic.HOFFMANN, 8, 30, 30, 1, 0.01, 8);
        Approach3.Data d = s.data();
        double[] nan = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        double[] start = {5, 5, 0.5, 0.5, 0.5};
        // A gradient tolerance that the sum meets only near the optimum; the mean is 240× smaller.
        Lbfgs.Options options = new Lbfgs.Options(10_000, 1e-5, 0, 10);
        HuberLseObjective sum = new HuberLseObjective(d.logN(), d.logD(), d.logL(), null, 1e-3, nan, false);
        HuberLseObjective mean = new HuberLseObjective(d.logN(), d.logD(), d.logL(), null, 1e-3, nan, true);
        Lbfgs.Result bySum = Lbfgs.minimize(sum, start, options);
        Lbfgs.Result byMean = Lbfgs.minimize(mean, start, options);
        double sumAtSum = bySum.value();
        double sumAtMean = sum.valueAndGradient(byMean.x(), new double[5]);
        assertThat(byMean.iterations()).isLessThan(bySum.iterations());
        assertThat(sumAtMean).isGreaterThan(sumAtSum * 1.01);
        assertThat(Math.abs(bySum.x()[3] - Synthetic.HOFFMANN.alpha())).isLessThan(0.05);
    }

    @Test
    void tooFewPointsIsNoUsableFit() {
        Approach3.Data d = Approach3.Data.of(new double[] {1e6, 2e6, 3e6}, new double[] {1e9, 1e9, 1e9},
                new double[] {3, 2.9, 2.8});
        assertThatThrownBy(() -> Approach3.fit(d, Approach3.Options.defaults()))
                .isInstanceOf(NoUsableFitException.class).hasMessageContaining("3 points cannot determine 5");
    }
}
