package dev.quantagent.knowledge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.sandbox.Complexity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The JSON shape of a factor record, shared by {@code kb export}, {@code kb import} and {@code --json}. */
public final class FactorJson {

    /** NaN statistics are written as the string "NaN" and read back. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
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
        o.set("complexity", MAPPER.valueToTree(r.complexity()));
        o.put("dataset_key", r.datasetKey());
        o.set("train", MAPPER.valueToTree(r.train()));
        o.set("valid", MAPPER.valueToTree(r.valid()));
        o.set("test", MAPPER.valueToTree(r.test()));
        o.set("usage", MAPPER.valueToTree(r.usage()));
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

    private static <T> T value(JsonNode o, String key, Class<T> type) throws JsonProcessingException {
        return o.hasNonNull(key) ? MAPPER.treeToValue(o.get(key), type) : null;
    }
}
