package dev.scalelab.core.model;

import java.util.function.DoublePredicate;

/** The root of an increasing function by bisection in log x: what FLOP counts and family widths solve for. */
final class LogBisection {
    private LogBisection() {
    }

    /**
     * The x in [e^lo, e^hi] where {@code below} turns false ({@code below(x)}: f(x) is still below its
     * target), to the last bits of log x; deterministic, 200 halvings at most.
     */
    static double solve(double lo, double hi, DoublePredicate below) {
        for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
            double mid = 0.5 * (lo + hi);
            if (below.test(Math.exp(mid))) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.exp(0.5 * (lo + hi));
    }
}
