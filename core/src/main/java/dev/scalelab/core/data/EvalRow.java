package dev.scalelab.core.data;

/**
 * One evaluation result: a model of a family, its size, a task, a metric and the metric's value.
 * {@code n} (items or answer tokens the value averages over), {@code answerTokens} (answer length,
 * for exact match from per-token accuracy), {@code tokens} and {@code flops} are 0 when unknown.
 *
 * @param line the row's line in its file, for messages (0 when the row did not come from a file)
 */
public record EvalRow(String family, String model, double params, String task, String metric, double value,
                      int n, int answerTokens, double tokens, double flops, int line) {
}
