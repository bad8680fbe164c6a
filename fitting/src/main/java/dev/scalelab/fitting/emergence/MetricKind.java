package dev.scalelab.fitting.emergence;

import java.util.Locale;
import java.util.Set;

/**
 * Metrics by how they score an answer (Schaeffer, Miranda and Koyejo 2023, "Are Emergent Abilities
 * of Large Language Models a Mirage?", arXiv:2304.15004, section 2): discontinuous metrics give
 * credit only for a wholly right answer (exact string match, multiple-choice grade); continuous ones
 * give partial credit (per-token accuracy, answer log-probability, token edit distance, Brier score).
 */
public enum MetricKind {
    DISCONTINUOUS, CONTINUOUS, OTHER;

    private static final Set<String> DISCONTINUOUS_NAMES = Set.of("exact_match", "exact_str_match", "em", "acc", "accuracy",
            "multiple_choice_grade", "mc_grade");
    private static final Set<String> CONTINUOUS_NAMES = Set.of("token_accuracy", "per_token_accuracy",
            "answer_logprob", "logprob", "log_likelihood", "edit_distance", "token_edit_distance", "brier",
            "brier_score", "cross_entropy", "perplexity", "ppl");

    public static MetricKind of(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        return DISCONTINUOUS_NAMES.contains(m) ? DISCONTINUOUS : CONTINUOUS_NAMES.contains(m) ? CONTINUOUS : OTHER;
    }

    /** Whether the metric is a per-token accuracy, the p in p^L. */
    public static boolean isTokenAccuracy(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.equals("token_accuracy") || m.equals("per_token_accuracy");
    }

    /** Whether the metric is exact match of the whole answer. */
    public static boolean isExactMatch(String metric) {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.equals("exact_match") || m.equals("exact_str_match") || m.equals("em");
    }

    /** Whether values are proportions of n items (a binomial bootstrap applies). */
    public static boolean isProportion(String metric) {
        return isExactMatch(metric) || isTokenAccuracy(metric) || metric.toLowerCase(Locale.ROOT).equals("multiple_choice_grade")
                || metric.toLowerCase(Locale.ROOT).equals("accuracy") || metric.toLowerCase(Locale.ROOT).equals("acc");
    }
}
