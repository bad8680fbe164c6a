package dev.scalelab.sweep.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A sweep's {@code training.lr}: a peak learning rate at {@code lrWidth} (scaled by the width rule), or
 * {@code law FILE}, a fitted learning-rate card ({@code scalelab fit --law lr}) that gives each run its
 * own learning rate from its parameters and tokens ({@link LrLaw}), replacing the width rule.
 *
 * @param value the learning rate, or null for a law
 * @param law   the card's path as the config wrote it (relative to the config's folder), or null
 */
public record LearningRate(Double value, String law) {
    /** The prefix of the law form. */
    static final String LAW = "law ";

    /** Reads a number, or the text {@code law FILE}; anything else is refused with the forms. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LearningRate of(JsonNode node) {
        if (node.isNumber()) {
            return new LearningRate(node.doubleValue(), null);
        }
        if (node.isTextual()) {
            String t = node.textValue().trim();
            if (t.startsWith(LAW) && !t.substring(LAW.length()).isBlank()) {
                return new LearningRate(null, t.substring(LAW.length()).trim());
            }
            try {
                return new LearningRate(Double.parseDouble(t), null);
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw new IllegalArgumentException("training.lr takes a number such as 3e-3, or 'law FILE' naming a card of "
                + "'scalelab fit --law lr'");
    }

    /** A number as a number, a law as {@code law FILE}. */
    @JsonValue
    public Object json() {
        return value != null ? value : LAW + law;
    }
}
