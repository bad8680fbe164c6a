package dev.scalelab.cli;

import dev.scalelab.fitting.fit.Approach3;
import picocli.CommandLine.Option;

/** {@code fit}'s options for approach 3: the Huber delta and the grid of starts. */
final class Approach3Options {
    @Option(names = "--huber-delta", defaultValue = "1e-3", paramLabel = "D", description = "Huber delta of approach 3 (default: ${DEFAULT-VALUE}).")
    double huberDelta;

    @Option(names = "--grid-alpha", paramLabel = "GRID",
            description = "Approach 3's starting alphas, FROM:TO:STEP or a comma list (default: 0:2:0.5).")
    String gridAlpha;

    @Option(names = "--grid-beta", paramLabel = "GRID", description = "Starting betas (default: 0:2:0.5).")
    String gridBeta;

    @Option(names = "--grid-e", paramLabel = "GRID", description = "Starting e = log E (default: -1:1:0.5).")
    String gridE;

    @Option(names = "--grid-a", paramLabel = "GRID", description = "Starting a = log A (default: 0:25:5).")
    String gridA;

    @Option(names = "--grid-b", paramLabel = "GRID", description = "Starting b = log B (default: 0:25:5).")
    String gridB;

    /** Approach 3's options; {@code threads} null for its default (all CPUs). */
    Approach3.Options options(Integer threads) {
        Approach3.Options o = Approach3.Options.defaults().withHuberDelta(huberDelta);
        o = o.withGrid(GridOptions.parse("--grid-alpha", gridAlpha, o.alphaGrid()),
                GridOptions.parse("--grid-beta", gridBeta, o.betaGrid()), GridOptions.parse("--grid-e", gridE, o.eGrid()),
                GridOptions.parse("--grid-a", gridA, o.aGrid()), GridOptions.parse("--grid-b", gridB, o.bGrid()));
        return threads != null ? o.withThreads(threads) : o;
    }
}
