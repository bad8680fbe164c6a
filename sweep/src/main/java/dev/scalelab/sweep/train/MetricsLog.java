package dev.scalelab.sweep.train;

import dev.scalelab.core.InvalidInputException;
import dev.scalelab.core.io.CsvTable;
import dev.scalelab.core.model.FlopConvention;
import dev.scalelab.core.run.RunLayout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The rows of a run's {@code metrics.csv}, one per evaluation. The whole file is rewritten
 * atomically after each row, so readers never see a partial line.
 */
public final class MetricsLog {
    public static final List<String> HEADER = List.of("step", "tokens",
            "flops_" + FlopConvention.SIX_N.id(), "flops_" + FlopConvention.SIX_N_ATTENTION.id(),
            "flops_" + FlopConvention.CHINCHILLA.id(), "train_loss", "val_loss", "lr", "grad_norm",
            "tokens_per_second", "wall_seconds");
    private static final String RETRAIN = "delete the run folder to train it again";

    private final CsvTable table = new CsvTable(HEADER);

    /** One evaluation's numbers, in {@link #HEADER} order. */
    public record Row(long step, long tokens, double flops6N, double flops6NAttention, double flopsChinchilla,
                      double trainLoss, double valLoss, double lr, double gradNorm, double tokensPerSecond,
                      double wallSeconds) {
        Object[] cells() {
            return new Object[] {step, tokens, flops6N, flops6NAttention, flopsChinchilla, trainLoss, valLoss, lr,
                    gradNorm, String.format(Locale.ROOT, "%.1f", tokensPerSecond),
                    String.format(Locale.ROOT, "%.3f", wallSeconds)};
        }
    }

    public void add(Row row) {
        table.add(row.cells());
    }

    public int size() {
        return table.rowCount();
    }

    /** The validation loss of the last row (NaN when there is none): a run resumed after its last step reports it. */
    public double lastValLoss() {
        List<CsvTable.Row> rows = table.rows();
        return rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1).number("val_loss");
    }

    public void write(Path runDir) {
        table.write(RunLayout.metrics(runDir));
    }

    /** The metrics.csv of a run folder, read by its header; a damaged file is an error naming the line and column. */
    public static CsvTable read(Path runDir) {
        return CsvTable.read(RunLayout.metrics(runDir), RETRAIN);
    }

    /** The rows an earlier session wrote up to and including {@code maxStep}, for a resumed run. */
    public static MetricsLog resume(Path runDir, long maxStep) {
        MetricsLog log = new MetricsLog();
        Path file = RunLayout.metrics(runDir);
        if (!Files.isRegularFile(file)) {
            return log;
        }
        String fix = "delete the run folder to start the run again";
        CsvTable earlier = CsvTable.read(file, fix);
        if (earlier.header().isEmpty()) {
            return log;
        }
        if (!earlier.header().equals(HEADER)) {
            throw new InvalidInputException(file, earlier.headerLine(), null, "cannot be read back (the header is "
                    + String.join(",", earlier.header()) + ", not " + String.join(",", HEADER) + ")", fix);
        }
        for (CsvTable.Row row : earlier.rows()) {
            if (row.whole("step") <= maxStep) {
                log.table.add(row);
            }
        }
        return log;
    }
}
