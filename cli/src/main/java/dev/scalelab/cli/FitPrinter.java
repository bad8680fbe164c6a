package dev.scalelab.cli;

import dev.scalelab.core.data.ObservationTable;
import dev.scalelab.fitting.FitCard;
import dev.scalelab.fitting.fit.Envelope;
import dev.scalelab.fitting.fit.IsoFlop;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** Prints a fit card as {@code fit}'s text output. */
final class FitPrinter {
    private FitPrinter() {
    }

    static void print(PrintWriter w, FitCard card, ObservationTable table, Path out) {
        w.printf(Locale.ROOT, "law        %s%s%n", card.law(), card.variable() == null ? "" : " in " + card.variable());
        w.printf(Locale.ROOT, "formula    %s%n", card.formula());
        card.parameters().forEach((name, e) -> w.printf(Locale.ROOT, "  %-8s %-14.6g%s%n", name, e.value(),
                e.lo() == null ? "" : String.format(Locale.ROOT, "[%.6g, %.6g] (%.0f%% bootstrap, %d resamples)",
                        e.lo(), e.hi(), 100 * card.bootstrap().level(), card.bootstrap().resamples())));
        w.printf(Locale.ROOT, "objective  %s = %.10g%n", card.objective().name(), card.objective().value());
        w.printf(Locale.ROOT, "starts     %d, converged %d (%s)%n", card.starts().count(), card.starts().converged(),
                card.starts().grid());
        w.printf(Locale.ROOT, "status     %s%n", card.status());
        if (table != null && !table.columns().isEmpty()) {
            w.printf(Locale.ROOT, "columns    %s%n", table.columns().entrySet().stream()
                    .map(c -> c.getKey() + " <- " + c.getValue()).collect(java.util.stream.Collectors.joining(", ")));
        }
        w.printf(Locale.ROOT, "points     %d used, %d excluded%s%n", card.points(), card.excluded().size(),
                table.derivation() == null ? "" : "; " + table.derivation());
        if (card.bootstrap() != null) {
            w.printf(Locale.ROOT, "bootstrap  %d resamples (seed %d), %d refits failed and are left out of the intervals%n",
                    card.bootstrap().resamples(), card.bootstrap().seed(), card.bootstrap().failed());
        }
        if (card.isoflop() != null) {
            for (IsoFlop.Vertex v : card.isoflop().vertices()) {
                w.printf(Locale.ROOT, "  budget %.3g: N* %.4g, D* %.4g, loss %.4f (%d sizes)%n", v.budget(), v.params(),
                        v.tokens(), v.loss(), v.points());
            }
            for (IsoFlop.Skipped s : card.isoflop().skipped()) {
                w.printf(Locale.ROOT, "  budget %.3g skipped: %s%n", s.budget(), s.reason());
            }
        }
        if (card.envelope() != null) {
            long runs = card.envelope().stream().map(Envelope.Point::run).distinct().count();
            w.printf(Locale.ROOT, "envelope   %d FLOP values from %.3g to %.3g, through %d runs%n", card.envelope().size(),
                    card.envelope().get(0).flops(), card.envelope().get(card.envelope().size() - 1).flops(), runs);
        }
        if (card.backtest() != null) {
            FitCard.Backtest b = card.backtest();
            w.printf(Locale.ROOT, "backtest   %s: %d rows, mean relative error %+.2f%%, mean absolute %.2f%%%s%s%n",
                    b.split(), b.cases().size(), 100 * b.meanRelativeError(), 100 * b.meanAbsRelativeError(),
                    b.logRmse() == null ? "" : String.format(Locale.ROOT, ", log RMSE %.4f", b.logRmse()),
                    b.coverage() == null ? "" : String.format(Locale.ROOT, ", prediction coverage %.3f", b.coverage()));
            for (FitCard.Case c : b.cases()) {
                w.printf(Locale.ROOT, "  N %.4g D %.4g C %.4g: actual %.4f, predicted %.4f%s%s (%+.2f%%)%n", c.params(),
                        c.tokens(), c.flops(), c.loss(), c.predicted(),
                        c.lo() == null ? "" : String.format(Locale.ROOT, " confidence [%.4f, %.4f]", c.lo(), c.hi()),
                        c.prediction() == null ? "" : String.format(Locale.ROOT, " prediction [%.4f, %.4f]",
                                c.prediction().get(0), c.prediction().get(1)),
                        100 * c.relativeError());
            }
        }
        java.util.List<String> reads = dev.scalelab.fitting.Fitter.Law.of(card.law()).reads(card.variable());
        if (reads == null || reads.stream().anyMatch(java.util.List.of("params", "tokens", "flops")::contains)) {
            w.printf(Locale.ROOT, "convention %s%n", card.flops().describe()); // a law of N, D or C
        }
        if (out != null) {
            w.printf(Locale.ROOT, "fit card   %s%n", out);
        }
    }
}
