package dev.scalelab.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.scalelab.core.ScalelabException;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Predictor;

import java.nio.file.Path;

/**
 * Fuzzes the fit-card reader as 'scalelab predict' uses it: read the card, then predict at a budget
 * and for a model. Any bytes give either predictions or a documented input error (exit 3, or 4).
 * Saved inputs: src/test/resources/dev/scalelab/cli/FitCardFuzzTestInputs/.
 */
class FitCardFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void cards(byte[] bytes) {
        Path file = FuzzInputs.write("fuzz-card.json", bytes);
        Predictor predictor;
        try {
            FitCard card = PredictCommand.readCard(file);
            predictor = new Predictor(card, file.toString());
        } catch (ScalelabException e) {
            FuzzInputs.expectDocumented(e, file);
            return;
        }
        try {
            predictor.atBudget(1e21);
        } catch (ScalelabException e) { // e.g. "a kaplan card predicts the loss of a given model"
            FuzzInputs.expectDocumented(e, null);
        }
        try {
            predictor.atModel(1e9, 2e10);
        } catch (ScalelabException e) {
            FuzzInputs.expectDocumented(e, null);
        }
    }
}
