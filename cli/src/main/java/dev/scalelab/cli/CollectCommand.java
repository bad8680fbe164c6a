package dev.scalelab.cli;

import dev.scalelab.core.run.SweepLayout;
import dev.scalelab.sweep.run.SweepFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Writes a sweep's tables for fits. */
@Command(name = "collect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Write runs.csv and curves.csv of a sweep folder.",
        descriptionHeading = "%n",
        description = "runs.csv has one row per completed run (run, budget, params, tokens, flops under the sweep's "
                + "convention, loss = final validation loss, every spec and result field); curves.csv every evaluation "
                + "after step 0 (run, budget, params, step, tokens, flops, loss, train_loss, lr). 'scalelab fit' reads "
                + "both: runs.csv for chinchilla and isoflop fits, curves.csv for the envelope (approach 1).")
final class CollectCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A sweep folder.")
    Path dir;

    @Override
    public void run() {
        int[] counts = SweepFolder.open(dir).collect();
        PrintWriter w = spec.commandLine().getOut();
        w.printf("%s: %d runs%n%s: %d evaluations%n", SweepLayout.runsCsv(dir), counts[0], SweepLayout.curvesCsv(dir), counts[1]);
        w.flush();
    }
}
