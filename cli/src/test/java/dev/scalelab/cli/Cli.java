package dev.scalelab.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the scalelab command line in process, as the tests' black box: exit code, stdout, stderr. */
final class Cli {
    record Result(int code, String out, String err) {
    }

    private Cli() {
    }

    /** Runs {@code args} on a fresh command line, with any extra (test-only) subcommands added first. */
    static Result run(Object[] extraCommands, String... args) {
        CommandLine cmd = Main.commandLine();
        for (Object extra : extraCommands) {
            cmd.addSubcommand(extra);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return new Result(cmd.execute(args), out.toString(), err.toString());
    }

    static Result run(String... args) {
        return run(new Object[0], args);
    }
}
