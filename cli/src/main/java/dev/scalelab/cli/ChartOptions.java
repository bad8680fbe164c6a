package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;
import picocli.CommandLine.Option;

/** {@code plot}'s chart options: the size and the heatmap's columns and axes. */
final class ChartOptions {
    @Option(names = "--x", paramLabel = "COLUMN", description = "x column (heatmap).")
    String xColumn;

    @Option(names = "--y", paramLabel = "COLUMN", description = "y column (heatmap).")
    String yColumn;

    @Option(names = "--class", paramLabel = "COLUMN", description = "class column (heatmap).")
    String classColumn;

    @Option(names = "--log-x", description = "Logarithmic x axis (heatmap).")
    boolean logX;

    @Option(names = "--log-y", description = "Logarithmic y axis (heatmap).")
    boolean logY;

    @Option(names = "--width", defaultValue = "1200", description = "Pixels (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", defaultValue = "800", description = "Pixels (default: ${DEFAULT-VALUE}).")
    int height;

    /** Checks the size: 200-10000 by 150-10000 pixels. */
    void checkSize() {
        if (width < 200 || height < 150 || width > 10000 || height > 10000) {
            throw new InvalidInputException("command line", 0, "--width/--height", "size " + width + "x" + height
                    + " is out of range", "use 200-10000 by 150-10000 pixels");
        }
    }

    /** Checks that the heatmap's three columns are named. */
    void checkHeatmap() {
        if (xColumn == null || yColumn == null || classColumn == null) {
            throw new InvalidInputException("command line", 0, "--x/--y/--class", "a heatmap needs three columns",
                    "name them with --x, --y and --class");
        }
    }

    /** An allocation's --range LO:HI, checked: 0 < LO < HI. */
    static double[] range(String range) {
        String[] p = range.split(":");
        try {
            double lo = Double.parseDouble(p[0]);
            double hi = Double.parseDouble(p[1]);
            if (p.length == 2 && lo > 0 && hi > lo) {
                return new double[] {lo, hi};
            }
        } catch (RuntimeException e) {
            // fall through
        }
        throw new InvalidInputException("command line", 0, "--range", "cannot read '" + range + "'", "write LO:HI, e.g. 1e18:1e22");
    }
}
