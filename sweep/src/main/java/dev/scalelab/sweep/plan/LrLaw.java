package dev.scalelab.sweep.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.Json;
import dev.scalelab.core.model.ModelShape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A fitted learning-rate law read from its card (Li et al. 2025's Step Law, {@code scalelab fit --law lr}):
 * lr = a·N^α·D^β, N counted as the card counts it (every parameter for a card fitted on a sweep folder with
 * {@code --param-count total}, which records the family's embeddings; otherwise non-embedding; a card whose N
 * came from another column of a table is refused, its count unknown), D the run's tokens. A sweep reads only the three values, so the
 * planner does not depend on the fitting library.
 */
public record LrLaw(Path file, double a, double alpha, double beta, boolean totalParams) {
    /** Reads the card; a missing file, another law or a parameter that is not a finite number is an error naming it. */
    public static LrLaw read(Path file, Path config) {
        JsonNode card;
        try {
            card = Json.mapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(config, 0, "training.lr", "the learning-rate law " + file + " does not exist",
                    "fit one with 'scalelab fit RUNS --law lr --out FILE', or give a number");
        } catch (IOException e) {
            throw new InvalidInputException(config, 0, "training.lr", file + " is not a fit card (" + e.getMessage()
                    .lines().findFirst().orElse("") + ")", "give a card written by 'scalelab fit --law lr --out'");
        }
        if (card == null || !"lr".equals(card.path("law").asText())) {
            throw new InvalidInputException(config, 0, "training.lr", file + " is a " + (card == null ? "empty"
                    : "'" + card.path("law").asText() + "'") + " card, not a learning-rate law",
                    "give a card of 'scalelab fit --law lr'");
        }
        double[] p = new double[3];
        String[] names = {"a", "alpha", "beta"};
        for (int i = 0; i < 3; i++) {
            JsonNode v = card.path("parameters").path(names[i]).path("value");
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                throw new InvalidInputException(file, 0, "parameters." + names[i], "missing or not a finite number",
                        "refit with 'scalelab fit --law lr --out'");
            }
            p[i] = v.doubleValue();
        }
        boolean total = card.path("flops").hasNonNull("embeddingPerWidth");
        String command = card.path("command").asText("");
        if (!total && (command.contains("--param-count total") || command.contains("--params-col"))) {
            // a table's own column of N: the card does not say which parameters it counts
            throw new InvalidInputException(config, 0, "training.lr", "the learning-rate law " + file + " was fitted "
                    + "to N from a table's own column, so it is not known which parameters its N counts",
                    "fit it on a sweep folder (with --param-count total if wanted) or on non-embedding params");
        }
        return new LrLaw(file, p[0], p[1], p[2], total);
    }

    /** The law's learning rate for a model of this shape trained on {@code tokens} tokens. */
    public double lr(ModelShape shape, double tokens) {
        double n = totalParams ? shape.nonEmbeddingParams() + shape.embeddingParams() : shape.nonEmbeddingParams();
        return a * Math.pow(n, alpha) * Math.pow(tokens, beta);
    }
}
