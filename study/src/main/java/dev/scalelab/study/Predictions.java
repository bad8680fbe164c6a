package dev.scalelab.study;

import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.run.RunResult;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.Predictor;
import dev.scalelab.fitting.Predicts;

import java.util.Map;

/**
 * DIR/predictions.csv: at the study's target budget, each fit's compute-optimal parameters and
 * tokens and, where the law gives one, the loss, with the bootstrap's percentile interval. That
 * interval is a confidence interval of the fitted law (parameter uncertainty only, not one new
 * run's noise): the {@code interval} column says so. With a check run, its loss is on every row. The last
 * two columns are the loss's prediction interval, where one new run's loss will fall (Davison and Hinkley
 * 1997, residual bootstrap; {@link Predictor}), for a card with residuals; the last says what its params
 * count (non-embedding or total).
 */
final class Predictions {
    private Predictions() {
    }

    static CsvTable table(Study.Result s, RunResult check) {
        CsvTable t = CsvTable.withHeader("fit", "law", "flop_count", "flops", "params", "params_lo", "params_hi", "tokens",
                "tokens_lo", "tokens_hi", "loss", "loss_lo", "loss_hi", "interval", "level", "check_loss",
                "loss_prediction_lo", "loss_prediction_hi", "param_count");
        for (Map.Entry<String, FitCard> e : s.fits().entrySet()) {
            FitCard card = e.getValue();
            if (!card.predicts().contains(Predicts.ALLOCATION)) {
                continue; // a law of one model's loss allocates no budget
            }
            Predictor.Prediction p = new Predictor(card, e.getKey()).atBudget(s.targetFlops());
            FitCard.Estimate n = p.outputs().get("params");
            FitCard.Estimate d = p.outputs().get("tokens");
            FitCard.Estimate l = p.outputs().get("loss");
            boolean interval = card.bootstrap() != null && n.lo() != null;
            t.add(e.getKey(), card.law(), card.flops().describe(), s.targetFlops(), n.value(), cell(n.lo()), cell(n.hi()),
                    d.value(), cell(d.lo()), cell(d.hi()), l == null ? "" : l.value(), l == null ? "" : cell(l.lo()),
                    l == null ? "" : cell(l.hi()), interval ? "confidence" : "", interval ? card.bootstrap().level() : "",
                    check == null ? "" : check.finalValLoss(), l == null || l.prediction() == null ? "" : l.prediction().get(0),
                    l == null || l.prediction() == null ? "" : l.prediction().get(1), card.flops().params().id());
        }
        return t;
    }

    private static Object cell(Double v) {
        return v == null ? "" : v;
    }
}
