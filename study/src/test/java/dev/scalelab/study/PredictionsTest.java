package dev.scalelab.study;

import dev.scalelab.core.data.Observation;
import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.model.FlopCount;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Fitter;
import dev.scalelab.fitting.law.ChinchillaLaw;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** predictions.csv: each allocating fit's N*, D* and loss at the target, its interval named for what it covers. */
class PredictionsTest {
    private static final ChinchillaLaw TRUTH = new ChinchillaLaw(1.69, 406.4, 410.7, 0.34, 0.28);

    @TempDir
    Path dir;

    @Test
    void eachAllocatingFitHasItsOptimumAtTheTarget() {
        List<Observation> runs = new ArrayList<>();
        double g = Math.pow(0.34 * 406.4 / (0.28 * 410.7), 1 / 0.62);
        for (double c : new double[] {1e18, 1e19, 1e20}) {
            double centre = g * Math.pow(c / 6, 0.28 / 0.62);
            for (int j = 0; j < 7; j++) {
                double n = centre * Math.pow(10, j / 6.0 - 0.5);
                double d = c / (6 * n);
                runs.add(new Observation(n, d, c, TRUTH.loss(n, d) * (1 + 0.002 * Math.sin(7 * runs.size())), c,
                        "r" + runs.size(), null, null));
            }
        }
        Map<String, FitCard> fits = new LinkedHashMap<>();
        StudyFit fitter = new StudyFit(dir, FlopCount.SIX_N, dev.scalelab.core.model.ParamCount.NON_EMBEDDING, 20, "test", fits, new ArrayList<>(), new ArrayList<>());
        ObservationTable table = new ObservationTable("runs.csv", runs, null);
        fits.put(Study.FREE_E, fitter.fit(table, Fitter.Law.CHINCHILLA, Map.of(), "test"));
        fits.put(Study.ISOFLOP, fitter.fit(table, Fitter.Law.ISOFLOP, Map.of(), "test"));
        Study.Result s = new Study.Result(dir, null, null, runs, List.of(), Double.NaN, Double.NaN, 1e21, fits, List.of(), List.of(),
                dev.scalelab.core.model.ParamCount.NON_EMBEDDING, 0, "test");
        CsvTable t = Predictions.table(s, null);
        t.write(dir.resolve("predictions.csv"));
        CsvTable back = CsvTable.read(dir.resolve("predictions.csv"), "test");
        assertThat(back.rowCount()).isEqualTo(2);
        CsvTable.Row chinchilla = back.rows().get(0);
        assertThat(chinchilla.text("fit")).isEqualTo(Study.FREE_E);
        assertThat(chinchilla.text("flop_count")).isEqualTo("C = 6·N·D");
        // Hoffmann et al. 2022 eq. 4 from the card's own parameters, written out: N* = G (C/6)^(β/(α+β))
        FitCard card = fits.get(Study.FREE_E);
        double a = card.parameters().get("A").value();
        double b = card.parameters().get("B").value();
        double alpha = card.parameters().get("alpha").value();
        double beta = card.parameters().get("beta").value();
        double n = Math.pow(alpha * a / (beta * b), 1 / (alpha + beta)) * Math.pow(1e21 / 6, beta / (alpha + beta));
        assertThat(chinchilla.number("params")).isCloseTo(n, within(n * 1e-12));
        assertThat(chinchilla.number("tokens")).isCloseTo(1e21 / (6 * n), within(1e21 / (6 * n) * 1e-12));
        assertThat(chinchilla.number("params_lo")).isLessThan(chinchilla.number("params"));
        assertThat(chinchilla.number("params_hi")).isGreaterThan(chinchilla.number("params"));
        assertThat(chinchilla.text("interval")).isEqualTo("confidence");
        assertThat(chinchilla.text("param_count")).isEqualTo("non-embedding");
        assertThat(chinchilla.number("level")).isEqualTo(0.95);
        // the loss's prediction interval of one new run adds the fit's residuals to the confidence interval's spread
        assertThat(chinchilla.number("loss_prediction_lo")).isLessThan(chinchilla.number("loss_lo"));
        assertThat(chinchilla.number("loss_prediction_hi")).isGreaterThan(chinchilla.number("loss_hi"));
        CsvTable.Row iso = back.rows().get(1);
        assertThat(iso.text("law")).isEqualTo("isoflop");
        assertThat(iso.text("loss")).isEmpty(); // approach 2 allocates but predicts no loss
        assertThat(iso.text("loss_prediction_lo")).isEmpty();
        FitCard isoCard = fits.get(Study.ISOFLOP); // approach 2's power law N* = k_N C^a, written out
        double isoN = isoCard.parameters().get("k_N").value() * Math.pow(1e21, isoCard.parameters().get("a").value());
        assertThat(iso.number("params")).isCloseTo(isoN, within(isoN * 1e-12));
    }
}
