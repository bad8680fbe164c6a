package dev.scalelab.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.scalelab.core.InvalidInputException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON Lines file (one JSON object per line, as pandas' {@code to_json(orient="records",
 * lines=True)} and most loggers export) as the lines of a table: the header is every key in the order
 * first seen, and each object a row whose cells are its values as text (numbers as written, strings as
 * they are, null or a missing key empty). Blank lines are skipped; a line that is not a flat object is an
 * {@link InvalidInputException} naming its line.
 */
final class JsonLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {
    }

    /** Whether {@code text} reads as JSON Lines: its first non-blank character opens an object. */
    static boolean looksLike(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFEFF' || Character.isWhitespace(c)) {
                continue;
            }
            return c == '{';
        }
        return false;
    }

    static List<CsvRows.Line> parse(String text, String source) {
        List<Map<String, String>> objects = new ArrayList<>();
        List<Integer> lineNumbers = new ArrayList<>();
        Map<String, Boolean> keys = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                throw new InvalidInputException(source, i + 1, null, "is not valid JSON ("
                        + e.getOriginalMessage().lines().findFirst().orElse("") + ")",
                        "write one JSON object per line");
            }
            if (node == null || !node.isObject()) {
                throw new InvalidInputException(source, i + 1, null, "is not a JSON object",
                        "write one object per line, such as {\"params\": 1e8, \"tokens\": 2e9, \"loss\": 3.1}");
            }
            Map<String, String> cells = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                if (v.isContainerNode()) {
                    throw new InvalidInputException(source, i + 1, f.getKey(), "holds a nested "
                            + (v.isArray() ? "array" : "object"), "flatten it into columns of plain values");
                }
                cells.put(f.getKey(), v.isNull() ? "" : v.isTextual() ? v.textValue() : v.asText());
                keys.putIfAbsent(f.getKey(), true);
            }
            objects.add(cells);
            lineNumbers.add(i + 1);
        }
        List<CsvRows.Line> out = new ArrayList<>();
        if (objects.isEmpty()) {
            return out;
        }
        List<String> header = new ArrayList<>(keys.keySet());
        out.add(new CsvRows.Line(lineNumbers.get(0), header));
        for (int r = 0; r < objects.size(); r++) {
            List<String> cells = new ArrayList<>(header.size());
            for (String k : header) {
                cells.add(objects.get(r).getOrDefault(k, ""));
            }
            out.add(new CsvRows.Line(lineNumbers.get(r), cells));
        }
        return out;
    }
}
