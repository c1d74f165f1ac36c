package dev.quantagent.knowledge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.sandbox.Complexity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON shape of a factor record, shared by {@code kb export}, {@code kb import} and {@code --json}: snake_case keys
 * throughout, statistics under the names {@code eval --json} uses ({@code rank_ic}, {@code n_dates}), and an undefined
 * statistic as null, as there. Exports written before (camelCase nested keys, NaN as the string "NaN") still read.
 */
public final class FactorJson {

    /** The knowledge base's own columns: camelCase records, NaN as the string "NaN" (unchanged since version 1). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** What users read: snake_case keys. */
    private static final ObjectMapper PUBLIC = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private FactorJson() {
    }

    public static ObjectNode toJson(FactorRecord r) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", r.id());
        o.put("name", r.name());
        o.put("formula", r.formula());
        o.put("canonical", r.canonical());
        o.put("hash", r.hash());
        o.put("hypothesis", r.hypothesis());
        o.put("parent_id", r.parentId());
        o.put("run_id", r.runId());
        o.put("round", r.round());
        o.put("step", r.step());
        o.put("writer_kind", r.writerKind());
        o.put("writer_model", r.writerModel());
        o.put("status", r.status().key());
        ArrayNode reasons = o.putArray("rejection_reasons");
        r.rejectionReasons().forEach(reasons::add);
        o.put("judge_score", r.judgeScore());
        o.put("judge_feedback", r.judgeFeedback());
        o.set("complexity", tree(r.complexity()));
        o.put("dataset_key", r.datasetKey());
        o.set("train", tree(r.train()));
        o.set("valid", tree(r.valid()));
        o.set("test", tree(r.test()));
        o.set("usage", tree(r.usage()));
        o.put("created_at", r.createdAt() == null ? null : r.createdAt().toString());
        return o;
    }

    public static FactorRecord fromJson(JsonNode o) {
        try {
            List<String> reasons = new ArrayList<>();
            o.path("rejection_reasons").forEach(n -> reasons.add(n.asText()));
            return new FactorRecord(o.path("id").asLong(0), text(o, "name"), text(o, "formula"),
                    text(o, "canonical"), text(o, "hash"), text(o, "hypothesis"),
                    o.hasNonNull("parent_id") ? o.get("parent_id").asLong() : null, text(o, "run_id"),
                    o.path("round").asInt(0), o.path("step").asInt(0), text(o, "writer_kind"),
                    text(o, "writer_model"), Status.of(o.path("status").asText("rejected")), reasons,
                    o.hasNonNull("judge_score") ? o.get("judge_score").asDouble() : null, text(o, "judge_feedback"),
                    value(o, "complexity", Complexity.class), text(o, "dataset_key"), value(o, "train", Stats.class),
                    value(o, "valid", Stats.class), value(o, "test", Stats.class), value(o, "usage", Usage.class),
                    o.hasNonNull("created_at") ? Instant.parse(o.get("created_at").asText()) : null);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a factor record: " + e.getMessage(), e);
        }
    }

    static String write(Object value) {
        try {
            return value == null ? null : MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            return json == null ? null : MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " in the knowledge base: " + e, e);
        }
    }

    /** The key's text, or null when it is absent or null. */
    static String text(JsonNode o, String key) {
        return o.hasNonNull(key) ? o.get(key).asText() : null;
    }

    /** A record as snake_case JSON, an undefined number (NaN) as null. */
    private static JsonNode tree(Object value) {
        JsonNode n = PUBLIC.valueToTree(value);
        if (n instanceof ObjectNode obj) {
            List<String> names = new ArrayList<>();
            obj.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (obj.get(name).isNumber() && Double.isNaN(obj.get(name).asDouble())) {
                    obj.putNull(name);
                }
            }
        }
        return n;
    }

    /**
     * A nested record: snake_case with null for an undefined number, or an older export's camelCase with "NaN"
     * (told apart by an upper-case letter in a key).
     */
    private static <T> T value(JsonNode o, String key, Class<T> type) throws JsonProcessingException {
        if (!o.hasNonNull(key)) {
            return null;
        }
        JsonNode n = o.get(key);
        if (!n.isObject()) {
            throw new IllegalArgumentException("\"" + key + "\" is not an object");
        }
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        if (names.stream().anyMatch(name -> !name.equals(name.toLowerCase(Locale.ROOT)))) {
            return MAPPER.treeToValue(n, type);
        }
        ObjectNode copy = n.deepCopy();
        for (String name : names) {
            if (copy.get(name).isNull()) {
                copy.put(name, Double.NaN); // a null double would read as 0
            }
        }
        return PUBLIC.treeToValue(copy, type);
    }
}
