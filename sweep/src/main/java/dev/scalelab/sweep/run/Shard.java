package dev.scalelab.sweep.run;

import dev.scalelab.core.InvalidInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Shard {@code k} of {@code n} (1-based) of a list of runs: every n-th run, starting at the k-th.
 * Overlapping shards of one folder (1/2 and 1/3, or a shard and the whole) are safe: claims keep
 * every run to one process.
 */
public record Shard(int k, int n) {
    /** Every run. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (n < 1 || k < 1 || k > n) {
            throw new IllegalArgumentException("shard " + k + "/" + n + " is not 1 <= K <= N");
        }
    }

    /** Reads {@code --shard K/N}; null is every run. */
    public static Shard parse(String shard) {
        if (shard == null) {
            return ALL;
        }
        String[] p = shard.split("/");
        try {
            int k = Integer.parseInt(p[0]);
            int n = Integer.parseInt(p[1]);
            if (p.length == 2 && n >= 1 && k >= 1 && k <= n) {
                return new Shard(k, n);
            }
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            // fall through
        }
        throw new InvalidInputException("command line", 0, "--shard", "cannot read shard '" + shard + "'",
                "write K/N with 1 <= K <= N, e.g. 2/4");
    }

    /** True when the run at {@code index} (0-based) of the whole list is this shard's. */
    public boolean contains(int index) {
        return index % n == k - 1;
    }

    /** This shard's runs of {@code all}, in order. */
    public <T> List<T> of(List<T> all) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (contains(i)) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    /** As {@code --shard} takes it: K/N. */
    @Override
    public String toString() {
        return k + "/" + n;
    }
}
