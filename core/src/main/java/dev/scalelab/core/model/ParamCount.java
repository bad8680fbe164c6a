package dev.scalelab.core.model;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which parameters N counts in a fitted law. Kaplan et al. (2020) leave the embeddings out;
 * Hoffmann et al. (2022) count every parameter. Pearce and Song (2024, "Reconciling Kaplan and
 * Chinchilla Scaling Laws") trace much of the two papers' disagreement to this choice at small
 * sizes, where embeddings are a large share of a model: laws fitted on non-embedding N there bend
 * away from the same laws at larger sizes. A sweep's runs.csv holds both counts ({@code params},
 * {@code total_params}).
 */
public enum ParamCount {
    /** Parameters outside the token and position embeddings and an untied output layer (runs.csv {@code params}). */
    NON_EMBEDDING("non-embedding", "params"),
    /** Every parameter (runs.csv {@code total_params}). */
    TOTAL("total", "total_params");

    private final String id;
    private final String column;

    ParamCount(String id, String column) {
        this.id = id;
        this.column = column;
    }

    /** The name options and cards use: {@code non-embedding} or {@code total}. */
    public String id() {
        return id;
    }

    /** The column of a sweep's runs.csv that holds this count. */
    public String column() {
        return column;
    }

    /** The count named {@code text} (non-embedding or total); an IllegalArgumentException lists both. */
    public static ParamCount parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(t) || p.name().toLowerCase(Locale.ROOT).equals(t))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("'" + text
                        + "' is not a parameter count; give non-embedding or total"));
    }

    @Override
    public String toString() {
        return id;
    }
}
