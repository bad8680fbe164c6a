package dev.scalelab.sweep.corpus;

/** Sampling from a cumulative distribution, shared by the corpora's generators. */
final class Cumulative {
    private Cumulative() {
    }

    /** The first index whose cumulative weight exceeds u (binary search; the last entry is 1). */
    static int pick(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
