package dev.quantagent.cli.render;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * The one JSON mapper of everything the command line prints or writes (command output, run folders, the reports, the
 * chart data of the pages). Its rule: a number that is NaN or infinite (an undefined statistic) is written as
 * {@code null}, never as the string {@code "NaN"}. {@link #put} and {@link #add} apply the same rule while a tree is
 * built, for trees another module stores with its own mapper (a run's summary and figures).
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .addDecorator((factory, generator) -> new FiniteOrNull(generator)).build()).build();

    private Json() {
    }

    /** An empty object to build output in. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** An empty array to build output in. */
    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** The tree on one line (JSON Lines, {@code --json}). */
    public static String line(JsonNode tree) {
        return write(MAPPER.writer(), tree);
    }

    /** The tree indented, as the files and reports are written; no newline at the end. */
    public static String pretty(JsonNode tree) {
        return write(MAPPER.writerWithDefaultPrettyPrinter(), tree);
    }

    /** The writer for what needs a setting of its own (the pages' script-safe escapes). */
    public static ObjectWriter writer() {
        return MAPPER.writer();
    }

    /** Reads JSON text (a run's stored settings and state). */
    public static JsonNode read(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** Puts a number, or null when it is NaN or infinite. */
    public static void put(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    /** Adds a number, or null when it is NaN or infinite (Chart.js skips nulls). */
    public static void add(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    private static String write(ObjectWriter writer, JsonNode tree) {
        try {
            return writer.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a NaN or infinite number as null: JSON has no such numbers, and a string would pass for a value. */
    private static final class FiniteOrNull extends JsonGeneratorDelegate {
        FiniteOrNull(JsonGenerator g) {
            super(g);
        }

        @Override
        public void writeNumber(double v) throws IOException {
            if (Double.isFinite(v)) {
                super.writeNumber(v);
            } else {
                writeNull();
            }
        }

        @Override
        public void writeNumber(float v) throws IOException {
            if (Float.isFinite(v)) {
                super.writeNumber(v);
            } else {
                writeNull();
            }
        }
    }
}
