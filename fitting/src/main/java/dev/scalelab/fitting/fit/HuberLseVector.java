package dev.scalelab.fitting.fit;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The approach-3 objective's loop over points on the JDK's Vector API, about 4× faster than the
 * scalar loop. exp and log are built here from exactly rounded operations (Cody-Waite reduction and
 * polynomials, relative error below 1e-14, tested) instead of the Vector API's EXP and LOG: those
 * are SVML intrinsics once compiled but Math.exp lane by lane before, and the two differ in the last
 * bit, so a fit's result would depend on the JIT's progress. For the same reason lanes are summed
 * one after another, never by a reduction of unspecified order.
 */
final class HuberLseVector {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final double LN2_HI = 6.93147180369123816490e-01;
    private static final double LN2_LO = 1.90821492927058770002e-10;
    private static final double LN2 = 0.6931471805599453;
    private static final double ROUND = 6755399441055744.0; // 1.5·2^52: adding it leaves n in the low mantissa bits
    private static final double[] EXP_TAYLOR = {1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040, 1.0 / 720,
            1.0 / 120, 1.0 / 24, 1.0 / 6, 0.5, 1.0, 1.0};
    private static final double[] ATANH_SERIES = {1.0 / 15, 1.0 / 13, 1.0 / 11, 1.0 / 9, 1.0 / 7, 1.0 / 5, 1.0 / 3, 1.0};

    private HuberLseVector() {
    }

    /** exp(x) for x in [−700, 700] (clamped): 2^n·exp(r), |r| ≤ ln2/2 (Cody and Waite 1980), Taylor to r^12. */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector c = x.max(-700.0).min(700.0);
        DoubleVector w = c.mul(1.4426950408889634).add(ROUND);
        DoubleVector n = w.sub(ROUND);
        DoubleVector r = n.neg().fma(DoubleVector.broadcast(S, LN2_HI), c);
        r = n.neg().fma(DoubleVector.broadcast(S, LN2_LO), r);
        DoubleVector p = r.fma(1.0 / 479001600, 1.0 / 39916800);
        for (double k : EXP_TAYLOR) {
            p = p.fma(r, DoubleVector.broadcast(S, k));
        }
        // 2^n = (n + 1023) << 52, from w's bits (0x4338000000000000 + n) by integer lane operations
        LongVector bits = ((LongVector) w.reinterpretAsLongs()).sub(0x4338000000000000L - 1023)
                .lanewise(VectorOperators.LSHL, 52);
        return p.mul(bits.reinterpretAsDoubles());
    }

    /** log(s) for s in [1, 3], as the objective's sums are: s = 2^k·m, m in [0.75, 1.5], 2·atanh((m−1)/(m+1)). */
    static DoubleVector logOneToThree(DoubleVector s) {
        VectorMask<Double> big = s.compare(VectorOperators.GT, 1.5);
        DoubleVector m = s.blend(s.mul(0.5), big);
        DoubleVector t = m.sub(1.0).div(m.add(1.0));
        DoubleVector t2 = t.mul(t);
        DoubleVector p = t2.fma(1.0 / 19, 1.0 / 17);
        for (double c : ATANH_SERIES) {
            p = p.fma(t2, DoubleVector.broadcast(S, c));
        }
        return t.mul(p).mul(2.0).add(DoubleVector.zero(S).blend(LN2, big));
    }

    /** The lanes added one after another. */
    static double sum(DoubleVector v) {
        double s = 0;
        for (double x : v.toArray()) {
            s += x;
        }
        return s;
    }

    /**
     * Accumulates, with weights (ones for an unweighted fit: one code path keeps the compiled form
     * the same from the first fit on), over points [0, n − n % lanes) and returns {value, ga, gb, ge, gAlpha, gBeta, total weight};
     * the caller does the rest of the points with the scalar loop.
     */
    static double[] accumulate(double[] logN, double[] logD, double[] logL, double[] weight, double delta,
                               double a, double b, double e, double alpha, double beta) {
        int lanes = S.length();
        int end = logL.length - logL.length % lanes;
        DoubleVector value = DoubleVector.zero(S);
        DoubleVector ga = DoubleVector.zero(S);
        DoubleVector gb = DoubleVector.zero(S);
        DoubleVector ge = DoubleVector.zero(S);
        DoubleVector gAlpha = DoubleVector.zero(S);
        DoubleVector gBeta = DoubleVector.zero(S);
        DoubleVector total = DoubleVector.zero(S);
        DoubleVector ev = DoubleVector.broadcast(S, e);
        for (int i = 0; i < end; i += lanes) {
            DoubleVector n = DoubleVector.fromArray(S, logN, i);
            DoubleVector d = DoubleVector.fromArray(S, logD, i);
            DoubleVector w = DoubleVector.fromArray(S, weight, i);
            DoubleVector t1 = n.mul(-alpha).add(a);
            DoubleVector t2 = d.mul(-beta).add(b);
            DoubleVector m = t1.max(t2).max(ev);
            DoubleVector e1 = exp(t1.sub(m));
            DoubleVector e2 = exp(t2.sub(m));
            DoubleVector e3 = exp(ev.sub(m));
            DoubleVector s = e1.add(e2).add(e3);
            DoubleVector r = m.add(logOneToThree(s)).sub(DoubleVector.fromArray(S, logL, i));
            DoubleVector abs = r.abs();
            VectorMask<Double> inside = abs.compare(VectorOperators.LE, delta);
            DoubleVector h = abs.sub(0.5 * delta).mul(delta).blend(r.mul(r).mul(0.5), inside);
            DoubleVector sign = DoubleVector.broadcast(S, delta)
                    .blend(DoubleVector.broadcast(S, -delta), r.compare(VectorOperators.LT, 0.0));
            DoubleVector dh = sign.blend(r, inside);
            value = h.fma(w, value);
            total = total.add(w);
            DoubleVector c = w.mul(dh).div(s);
            DoubleVector c1 = c.mul(e1);
            DoubleVector c2 = c.mul(e2);
            ga = ga.add(c1);
            gb = gb.add(c2);
            ge = c.fma(e3, ge);
            gAlpha = c1.fma(n, gAlpha);
            gBeta = c2.fma(d, gBeta);
        }
        return new double[] {sum(value), sum(ga), sum(gb), sum(ge), -sum(gAlpha), -sum(gBeta), sum(total), end};
    }
}
