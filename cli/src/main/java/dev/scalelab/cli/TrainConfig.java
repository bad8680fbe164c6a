package dev.scalelab.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.scalelab.core.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Reads {@code train --config FILE}: a flat YAML map whose keys are train's long option names
 * without dashes. Its values come first and the command line's options after them, so the
 * command line wins; an unknown key or a bad value is an error naming the file and line.
 */
final class TrainConfig {
    private TrainConfig() {
    }

    /** A fresh command populated from the file, then from the options the user typed. */
    static TrainCommand rerunWith(Path file, CommandSpec typed) {
        List<String> args = new ArrayList<>();
        for (Entry e : read(file, typed)) {
            args.addAll(e.args);
        }
        for (OptionSpec option : typed.commandLine().getParseResult().matchedOptions()) {
            if (option.longestName().equals("--config")) {
                continue;
            }
            if (option.arity().max() == 0) {
                args.add(option.longestName());
            } else {
                for (String value : option.originalStringValues()) {
                    args.add(option.longestName() + "=" + value);
                }
            }
        }
        TrainCommand fresh = new TrainCommand();
        CommandLine cl = new CommandLine(fresh);
        cl.setOverwrittenOptionsAllowed(true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(typed.commandLine().getOut());
        cl.setErr(typed.commandLine().getErr());
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new InvalidInputException(file, 0, null, Errors.oneLine(e.getMessage()),
                    "check the value in the file or on the command line");
        }
        fresh.configSource = file;
        return fresh;
    }

    private record Entry(String key, int line, List<String> args) {
    }

    private static List<Entry> read(Path file, CommandSpec typed) {
        List<Entry> entries = new ArrayList<>();
        try (JsonParser parser = new YAMLFactory().createParser(readText(file))) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new InvalidInputException(file, 0, null, "the file is empty", "write one 'key: value' per line");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidInputException(file, line(parser.currentLocation()), null,
                        "not a YAML map of options", "write one 'key: value' per line, e.g. 'd-model: 128'");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                int line = line(parser.currentLocation());
                JsonToken value = parser.nextToken();
                OptionSpec option = typed.findOption("--" + key);
                if (option == null || key.equals("config") || key.equals("help") || key.equals("version")) {
                    throw new InvalidInputException(file, line, key, "unknown key",
                            "known keys: " + String.join(", ", knownKeys(typed)));
                }
                if (!value.isScalarValue()) {
                    throw new InvalidInputException(file, line, key, "expected a single value, found a list or map", null);
                }
                entries.add(new Entry(key, line, toArgs(option, parser.getText(), value, file, line)));
            }
        } catch (IOException e) {
            throw new InvalidInputException(file, 0, null, "not valid YAML (" + Errors.oneLine(e.getMessage()) + ")", null);
        }
        return entries;
    }

    private static List<String> toArgs(OptionSpec option, String text, JsonToken value, Path file, int line) {
        if (option.arity().max() == 0) {
            if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                throw new InvalidInputException(file, line, option.longestName().substring(2),
                        "expected true or false, got '" + text + "'", null);
            }
            return value == JsonToken.VALUE_TRUE ? List.of(option.longestName()) : List.of();
        }
        return List.of(option.longestName() + "=" + text);
    }

    private static String readText(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, 0, "config", "no such file", "check the path");
        }
    }

    private static int line(JsonLocation location) {
        return location == null ? 0 : location.getLineNr();
    }

    private static TreeSet<String> knownKeys(CommandSpec typed) {
        TreeSet<String> keys = new TreeSet<>();
        for (OptionSpec o : typed.options()) {
            String name = o.longestName();
            if (name.startsWith("--") && !name.equals("--config") && !name.equals("--help") && !name.equals("--version")
                    && !name.equals("--verbose")) {
                keys.add(name.substring(2));
            }
        }
        return keys;
    }
}
