package dev.scalelab.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The shared {@code --group-by COLUMN[,COLUMN]} option of {@code fit} and {@code backtest}: one result per group. */
final class GroupByOption {
    @Option(names = "--group-by", split = ",", paramLabel = "COLUMN", description = "Work on each group of the table "
            + "on its own (each value of this column, or combination of these columns), e.g. source or run: one card "
            + "(fit) or summary line per law (backtest) per group; a group that cannot be fitted or scored is listed "
            + "as skipped with the reason.")
    List<String> columns = new ArrayList<>();
}
