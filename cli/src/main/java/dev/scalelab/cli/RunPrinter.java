package dev.scalelab.cli;

import dev.scalelab.core.io.Json;
import dev.scalelab.core.run.RunResult;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** Prints a finished run's result: {@code train}'s output. */
final class RunPrinter {
    private RunPrinter() {
    }

    static void print(PrintWriter w, RunResult result, Path runDir, boolean json) {
        if (json) {
            w.print(Json.toText(result));
        } else {
            w.printf(Locale.ROOT, "run %s %s: %d steps, %.3g tokens, final validation loss %.4f nats/token "
                            + "(best %.4f at step %d)%s; %.0f tokens/s; %s%n",
                    result.runId(), result.status().name().toLowerCase(Locale.ROOT), result.steps(),
                    (double) result.tokens(), result.finalValLoss(), result.bestValLoss(), result.bestStep(),
                    Double.isNaN(result.corpusEntropyNats()) ? ""
                            : String.format(Locale.ROOT, "; corpus floor %.4f", result.corpusEntropyNats()),
                    result.tokensPerSecond(), runDir);
            if (!Double.isNaN(result.epochs())) {
                w.printf(Locale.ROOT, "%.2f epochs over the training split%s%n", result.epochs(),
                        result.epochs() > 4 ? " (beyond about 4, repeated data is worth much less: Muennighoff et al. 2023)" : "");
            }
            if (result.message() != null) {
                w.println(result.message());
            }
        }
        w.flush();
    }
}
