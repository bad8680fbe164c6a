package dev.scalelab.sweep.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.scalelab.core.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads a sweep config. Syntax and type errors, and unknown keys, become an
 * {@link InvalidInputException} naming the file, line and field; {@link #lineOf} lets later checks
 * name the line of any field too.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** A loaded config with the line of every field, by dotted path (family.widths[2]). */
    public record Loaded(Path file, SweepConfig config, Map<String, Integer> lines) {
        public int lineOf(String path) {
            return lines.getOrDefault(path, 0);
        }

        public InvalidInputException error(String path, String problem, String fix) {
            return new InvalidInputException(file, lineOf(path), path, problem, fix);
        }
    }

    private ConfigLoader() {
    }

    public static Loaded load(Path file) {
        Parsed<SweepConfig> p = parse(file, SweepConfig.class, "configs/quickstart.yaml");
        return new Loaded(file, withAbsoluteLrLaw(p.config(), file), p.lines());
    }

    /**
     * The config with a {@code training.lr: law FILE} path made absolute against the config's folder, so that
     * a config written elsewhere from it (the quickstart's check run) still finds the card.
     */
    private static SweepConfig withAbsoluteLrLaw(SweepConfig c, Path file) {
        SweepConfig.Training t = c.training();
        if (t == null || t.lr() == null || t.lr().law() == null) {
            return c;
        }
        String law = file.toAbsolutePath().getParent().resolve(t.lr().law()).normalize().toString();
        SweepConfig.Training training = t.withLr(new LearningRate(null, law));
        return new SweepConfig(c.name(), c.corpus(), c.family(), c.grid(), training, c.flopConvention());
    }

    /** A YAML file read into a record, with the line of every field by dotted path. */
    public record Parsed<T>(Path file, T config, Map<String, Integer> lines) {
        public int lineOf(String path) {
            return lines.getOrDefault(path, 0);
        }

        public InvalidInputException error(String path, String problem, String fix) {
            return new InvalidInputException(file, lineOf(path), path, problem, fix);
        }
    }

    /**
     * Reads {@code file} as a {@code type}: unknown keys, wrong types and malformed YAML are errors
     * naming the line and the field; {@code example} is the config the messages point to.
     */
    public static <T> Parsed<T> parse(Path file, Class<T> type, String example) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file, 0, null, "no such file", "give a config such as " + example);
        } catch (IOException e) {
            throw new InvalidInputException(file, 0, null, "cannot be read (" + e.getMessage() + ")", null);
        }
        if (text.isBlank()) {
            throw new InvalidInputException(file, 0, null, "the file is empty", "start from " + example);
        }
        Map<String, Integer> lines = lines(text, file);
        try {
            T config = YAML.readValue(text, type);
            if (config == null) {
                throw new InvalidInputException(file, 0, null, "the file holds no config", "start from " + example);
            }
            return new Parsed<>(file, config, lines);
        } catch (UnrecognizedPropertyException e) {
            String path = path(e);
            throw new InvalidInputException(file, lines.getOrDefault(path, line(e.getLocation())), path,
                    "unknown key '" + e.getPropertyName() + "'",
                    "known keys here: " + String.join(", ", e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList()));
        } catch (JsonMappingException e) {
            String path = path(e);
            throw new InvalidInputException(file, lines.getOrDefault(path, line(e.getLocation())), path,
                    "wrong type (" + firstLine(e.getOriginalMessage()) + ")", "check the value's type against " + example);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(file, line(e.getLocation()), null, "not valid YAML (" + firstLine(e.getOriginalMessage()) + ")", null);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder s = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                s.append(s.length() > 0 ? "." : "").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                s.append('[').append(r.getIndex()).append(']');
            }
        }
        return s.length() == 0 ? null : s.toString();
    }

    private static int line(JsonLocation location) {
        return location == null ? 0 : location.getLineNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The line of every field and list element, by dotted path, from the YAML token stream. */
    static Map<String, Integer> lines(String text, Path file) {
        Map<String, Integer> out = new HashMap<>();
        final class Frame {
            final String path;
            final boolean array;
            int next;
            String field;

            Frame(String path, boolean array) {
                this.path = path;
                this.array = array;
            }
        }
        try (JsonParser p = new YAMLFactory().createParser(text)) {
            Deque<Frame> stack = new ArrayDeque<>();
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                Frame top = stack.peek();
                if (t == JsonToken.FIELD_NAME) {
                    top.field = p.currentName();
                    out.put(join(top.path, top.field), line(p.currentLocation()));
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    stack.pop();
                    continue;
                }
                String path = top == null ? "" : top.array ? top.path + "[" + top.next++ + "]" : join(top.path, top.field);
                if (top != null && top.array) {
                    out.put(path, line(p.currentLocation()));
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    stack.push(new Frame(path, t == JsonToken.START_ARRAY));
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(file, 0, null, "not valid YAML (" + firstLine(e.getMessage()) + ")", null);
        }
        return out;
    }

    private static String join(String here, String name) {
        return here.isEmpty() ? name : here + "." + name;
    }

}
