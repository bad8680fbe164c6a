package dev.scalelab.core.io;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.scalelab.core.InvalidInputException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of a CSV file with their line numbers: quoted fields, CRLF line ends and a UTF-8
 * byte-order mark are accepted, blank lines skipped. The parsing behind {@link CsvTable}'s readers.
 */
final class CsvRows {
    record Line(int line, List<String> cells) {
    }

    private CsvRows() {
    }

    /** The text of a table file; a missing, unreadable or non-UTF-8 file is an input error naming it. */
    static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, 0, null, "no such file", "check the path");
        } catch (MalformedInputException e) {
            throw new InvalidInputException(file, 0, null, "not UTF-8 text", "save the table as UTF-8 CSV");
        } catch (IOException e) {
            throw new InvalidInputException(file, 0, null, "cannot be read (" + e.getMessage() + ")", null);
        }
    }

    static List<Line> parse(Reader reader, String source) {
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        mapper.enable(CsvParser.Feature.TRIM_SPACES);
        mapper.enable(CsvParser.Feature.SKIP_EMPTY_LINES);
        List<Line> rows = new ArrayList<>();
        int line = 0;
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(reader)) {
            while (it.hasNextValue()) {
                line = it.getCurrentLocation().getLineNr();
                String[] cells = it.nextValue();
                if (rows.isEmpty() && cells.length > 0 && cells[0].startsWith("\uFEFF")) {
                    cells[0] = cells[0].substring(1).trim();
                }
                if (cells.length == 1 && cells[0].isEmpty()) {
                    continue;
                }
                rows.add(new Line(line, List.of(cells)));
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(source, Math.max(line, 1), null,
                    "not a valid CSV table (" + firstLine(e.getMessage()) + ")",
                    "check the quoting on that line");
        }
        return rows;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
