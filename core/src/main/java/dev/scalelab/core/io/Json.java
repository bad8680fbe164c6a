package dev.scalelab.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.file.Path;

/**
 * The one JSON configuration scalelab uses: pretty-printed, keys in declaration order, unknown
 * keys rejected on read (a misspelt key is an error, not a silent default), NaN and infinities
 * written as the strings "NaN", "Infinity", "-Infinity".
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Json() {
    }

    /** The shared mapper; configure nothing on it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The value as pretty JSON text, ending in a newline. */
    public static String toText(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getName() + " to JSON", e);
        }
    }

    /** Writes the value as pretty JSON, atomically. */
    public static void write(Path target, Object value) {
        AtomicFiles.writeString(target, toText(value));
    }
}
