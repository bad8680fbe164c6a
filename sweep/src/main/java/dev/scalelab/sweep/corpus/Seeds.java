package dev.scalelab.sweep.corpus;

/** Derives independent 64-bit seeds from a base seed and coordinates (SplitMix64 finaliser). */
final class Seeds {
    /** Tags keep the training and validation streams apart. */
    static final long TRAIN = 0x7472_6169_6eL;
    /** Validation windows, seeded by window index alone (no batch coordinate). */
    static final long VALIDATION = 0x76_616c_7769L;

    private Seeds() {
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    static long derive(long seed, long tag, long a, long b) {
        return mix(mix(mix(mix(seed) ^ tag) + a) + b);
    }
}
