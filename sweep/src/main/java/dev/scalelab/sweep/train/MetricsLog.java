package dev.scalelab.sweep.train;

import dev.scalelab.core.io.AtomicFiles;
import dev.scalelab.core.model.FlopConvention;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows of a run's {@code metrics.csv}, one per evaluation. The whole file is rewritten
 * atomically after each row, so readers never see a partial line.
 */
public final class MetricsLog {
    public static final String FILE = "metrics.csv";
    public static final List<String> HEADER = List.of("step", "tokens",
            "flops_" + FlopConvention.SIX_N.id(), "flops_" + FlopConvention.SIX_N_ATTENTION.id(),
            "flops_" + FlopConvention.CHINCHILLA.id(), "train_loss", "val_loss", "lr", "grad_norm",
            "tokens_per_second", "wall_seconds");

    private final List<String> lines = new ArrayList<>();

    /** One evaluation's numbers, in {@link #HEADER} order. */
    public record Row(long step, long tokens, double flops6N, double flops6NAttention, double flopsChinchilla,
                      double trainLoss, double valLoss, double lr, double gradNorm, double tokensPerSecond,
                      double wallSeconds) {
        String toCsv() {
            return String.join(",", Long.toString(step), Long.toString(tokens), Double.toString(flops6N),
                    Double.toString(flops6NAttention), Double.toString(flopsChinchilla), Double.toString(trainLoss),
                    Double.toString(valLoss), Double.toString(lr), Double.toString(gradNorm),
                    String.format(Locale.ROOT, "%.1f", tokensPerSecond), String.format(Locale.ROOT, "%.3f", wallSeconds));
        }
    }

    public void add(Row row) {
        lines.add(row.toCsv());
    }

    public int size() {
        return lines.size();
    }

    /** The validation loss of the last row (NaN when there is none): a run resumed after its last step reports it. */
    public double lastValLoss() {
        if (lines.isEmpty()) {
            return Double.NaN;
        }
        return Double.parseDouble(lines.get(lines.size() - 1).split(",")[HEADER.indexOf("val_loss")]);
    }

    public void write(Path runDir) {
        StringBuilder text = new StringBuilder(String.join(",", HEADER)).append('\n');
        for (String line : lines) {
            text.append(line).append('\n');
        }
        AtomicFiles.writeString(runDir.resolve(FILE), text.toString());
    }

    /** The rows an earlier session wrote up to and including {@code maxStep}, for a resumed run. */
    public static MetricsLog resume(Path runDir, long maxStep) {
        MetricsLog log = new MetricsLog();
        Path file = runDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return log;
        }
        try {
            List<String> existing = Files.readAllLines(file);
            for (String line : existing.subList(Math.min(1, existing.size()), existing.size())) {
                int comma = line.indexOf(',');
                if (comma > 0 && Long.parseLong(line.substring(0, comma)) <= maxStep) {
                    log.lines.add(line);
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new dev.scalelab.core.InvalidInputException(file, 0, "step", "cannot be read back ("
                    + e.getMessage() + ")", "delete the run folder to start the run again");
        }
        return log;
    }
}
