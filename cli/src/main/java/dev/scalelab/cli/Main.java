package dev.scalelab.cli;

import picocli.CommandLine;

/** Entry point: {@code scalelab [--verbose] COMMAND [OPTIONS]}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true"); // charts render without a display
        configureLogging(args);
        System.exit(commandLine().execute(args));
    }

    /** The fully configured command line: commands, error handlers and exit codes. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new ScalelabCommand());
        cmd.setParameterExceptionHandler(new Errors.UsageHandler());
        cmd.setExecutionExceptionHandler(new Errors.ExecutionHandler());
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        return cmd;
    }

    /**
     * ND4J logs through SLF4J at INFO on start-up; users see warnings only, unless --verbose.
     * Must run before any class touches SLF4J.
     */
    static void configureLogging(String[] args) {
        boolean verbose = false;
        for (String arg : args) {
            if ("--verbose".equals(arg)) {
                verbose = true;
            }
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        }
    }
}
