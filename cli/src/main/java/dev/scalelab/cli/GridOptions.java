package dev.scalelab.cli;

import dev.scalelab.core.InvalidInputException;

import java.util.Arrays;

/** Parses an approach-3 start grid option: FROM:TO:STEP or a comma list. */
final class GridOptions {
    private GridOptions() {
    }

    /** The values of {@code text}, or {@code fallback} when the option was not given. */
    static double[] parse(String option, String text, double[] fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            if (text.contains(":")) {
                String[] p = text.split(":");
                if (p.length != 3) {
                    throw new NumberFormatException(text);
                }
                double from = Double.parseDouble(p[0]);
                double to = Double.parseDouble(p[1]);
                double step = Double.parseDouble(p[2]);
                if (!(step > 0) || to < from) {
                    throw new NumberFormatException(text);
                }
                int n = (int) Math.floor((to - from) / step + 1e-9) + 1;
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = from + i * step;
                }
                return v;
            }
            return Arrays.stream(text.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
        } catch (NumberFormatException e) {
            throw new InvalidInputException("command line", 0, option, "cannot read '" + text + "'",
                    "write FROM:TO:STEP (e.g. 0:2:0.5) or a comma list (e.g. 0,0.5,1)");
        }
    }
}
