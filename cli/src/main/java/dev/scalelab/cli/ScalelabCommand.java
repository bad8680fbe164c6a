package dev.scalelab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The root command. Subcommands are listed here, in one place. */
@Command(name = "scalelab",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Scaling laws and emergence, from small transformer runs to predictions for larger models.",
        description = {
                "Plans and trains grids of small decoder-only transformers (ND4J), fits scaling laws to their "
                        + "losses (Commons Math), and draws the log-log charts that predict larger models (XChart).",
                ""},
        subcommands = {
                QuickstartCommand.class,
                PlanCommand.class,
                SweepCommand.class,
                StatusCommand.class,
                CollectCommand.class,
                ReportCommand.class,
                EmergenceCommand.class,
                GrokCommand.class,
                PlotCommand.class,
                TrainCommand.class,
                FitCommand.class,
                BacktestCommand.class,
                PredictCommand.class,
                CorpusCommand.class,
                DoctorCommand.class,
                CompletionCommand.class,
        },
        footerHeading = "%nExit codes:%n",
        footer = {
                "  0  ok",
                "  1  internal error (rerun with --verbose for the stack trace)",
                "  2  usage error (unknown command or option, bad argument)",
                "  3  invalid config or data (the message names the file, line and field), a damaged",
                "     run folder, or an output that cannot be written (full disk, read-only folder)",
                "  4  no usable fit",
                "  5  a training run diverged (its log and metrics are kept)",
                "",
                "Run 'scalelab COMMAND --help' for a command's options."})
public final class ScalelabCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Log progress and native-library details; print stack traces on errors.")
    boolean verbose;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "no command given");
    }
}
