package dev.scalelab.cli;

import dev.scalelab.sweep.train.MetricsLog;
import dev.scalelab.sweep.train.Trainer;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress on stderr: a bar with loss, throughput and ETA redrawn in place on a terminal,
 * plain lines at each evaluation otherwise (logs, CI, Slurm).
 */
class Progress implements Trainer.Listener {
    private final PrintWriter err;
    private final boolean terminal;
    private long lastDraw;
    private boolean drawn;
    private long firstStepNanos;
    private long firstStep = -1;

    Progress(PrintWriter err) {
        this.err = err;
        this.terminal = System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    }

    @Override
    public void onStep(long stepsDone, long steps, double trainLoss, double tokensPerSecond) {
        long now = System.nanoTime();
        if (firstStep < 0) {
            firstStep = stepsDone;
            firstStepNanos = now;
        }
        if (!terminal) {
            return;
        }
        if (now - lastDraw < 200_000_000L && stepsDone < steps) {
            return;
        }
        lastDraw = now;
        double fraction = stepsDone / (double) steps;
        int width = 30;
        int filled = (int) Math.round(fraction * width);
        String bar = "=".repeat(filled) + " ".repeat(width - filled);
        err.printf(Locale.ROOT, "\r[%s] %3.0f%% step %d/%d loss %.4f %s tok/s ETA %s ", bar, 100 * fraction,
                stepsDone, steps, trainLoss, si(tokensPerSecond), eta(stepsDone, steps, now));
        err.flush();
        drawn = true;
    }

    @Override
    public void onEvaluation(MetricsLog.Row row) {
        if (terminal) {
            return;
        }
        err.printf(Locale.ROOT, "step %d: val_loss %.4f train_loss %.4f lr %.3g %s tok/s%n", row.step(), row.valLoss(),
                row.trainLoss(), row.lr(), si(row.tokensPerSecond()));
        err.flush();
    }

    @Override
    public void onNote(String note) {
        finish();
        err.println(note);
        err.flush();
    }

    void finish() {
        if (drawn) {
            err.println();
            err.flush();
            drawn = false;
        }
    }

    /** Time left at the pace of the steps seen in this session. */
    private String eta(long done, long steps, long now) {
        if (done <= firstStep) {
            return "?";
        }
        double secondsPerStep = (now - firstStepNanos) / 1e9 / (done - firstStep);
        long seconds = Math.round(secondsPerStep * (steps - done));
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }

    static String si(double value) {
        if (!Double.isFinite(value)) {
            return "?";
        }
        if (value >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", value / 1e6);
        }
        if (value >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", value / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
