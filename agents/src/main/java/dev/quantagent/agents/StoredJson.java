package dev.quantagent.agents;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;

/** How a run's settings and state are written to and read from the knowledge base (records bound by Jackson). */
final class StoredJson {

    /** Reads what a later version added as unknown, rather than refusing to resume. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private StoredJson() {
    }

    /**
     * The stored value (null or empty: nothing stored, every field missing); {@code what} names it in the error
     * ("run state", "run settings").
     */
    static <T> T read(String json, Class<T> type, String what) {
        try {
            return JSON.readValue(json == null || json.isBlank() ? "{}" : json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("damaged " + what + " in the knowledge base", e);
        }
    }

    /** The value as it is stored. */
    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value as the JSON it is stored as. */
    static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }
}
