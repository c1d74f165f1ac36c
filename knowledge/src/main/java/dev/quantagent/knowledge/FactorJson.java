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

    /** For JSON held in a text (a run's settings): one value, nothing after it. */
    static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

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

    /**
     * Reads a record, checking every value's type and range (a text where a number belongs, a round of 1e30, a
     * correlation of 3 or an infinite statistic are refused, naming the key), since what is read is stored.
     *
     * @throws IllegalArgumentException {@code not a factor record: "round" is ...}
     */
    public static FactorRecord fromJson(JsonNode o) {
        try {
            List<String> reasons = new ArrayList<>();
            JsonNode rr = o.get("rejection_reasons");
            if (rr != null && !rr.isNull()) {
                if (!rr.isArray()) {
                    throw bad("rejection_reasons", rr, "not an array of texts");
                }
                for (JsonNode n : rr) {
                    if (!n.isTextual()) {
                        throw bad("rejection_reasons", n, "not an array of texts");
                    }
                    reasons.add(n.asText());
                }
            }
            Long parent = o.hasNonNull("parent_id") ? whole(o, "parent_id", 1, Long.MAX_VALUE, 0) : null;
            Double score = o.hasNonNull("judge_score") ? number(o, "judge_score", 0, 100) : null;
            String status = text(o, "status");
            FactorRecord r = new FactorRecord(whole(o, "id", 0, Long.MAX_VALUE, 0), text(o, "name"), text(o, "formula"),
                    text(o, "canonical"), text(o, "hash"), text(o, "hypothesis"), parent, text(o, "run_id"),
                    (int) whole(o, "round", 0, Integer.MAX_VALUE, 0), (int) whole(o, "step", 0, Integer.MAX_VALUE, 0),
                    text(o, "writer_kind"), text(o, "writer_model"), Status.of(status == null ? "rejected" : status),
                    reasons, score, text(o, "judge_feedback"), value(o, "complexity", Complexity.class),
                    text(o, "dataset_key"), value(o, "train", Stats.class), value(o, "valid", Stats.class),
                    value(o, "test", Stats.class), value(o, "usage", Usage.class), instant(o, "created_at"));
            check(r);
            return r;
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a factor record: " + e.getMessage(), e);
        }
    }

    /** The ranges of what a record holds: counts are not negative, correlations lie in [-1, 1], numbers are finite. */
    private static void check(FactorRecord r) {
        Complexity c = r.complexity();
        if (c != null && (c.nodes() < 0 || c.depth() < 0 || c.distinctFields() < 0 || c.parameters() < 0)) {
            throw new IllegalArgumentException("\"complexity\" has a negative count");
        }
        Usage u = r.usage();
        if (u.writerMillis() < 0 || u.evalMillis() < 0 || u.judgeMillis() < 0 || u.promptTokens() < 0
                || u.completionTokens() < 0) {
            throw new IllegalArgumentException("\"usage\" has a negative time or token count");
        }
        check("train", r.train());
        check("valid", r.valid());
        check("test", r.test());
    }

    private static void check(String key, Stats s) {
        if (s == null) {
            return;
        }
        double[] correlations = {s.ic(), s.rankIc()};
        for (double v : correlations) {
            if (v < -1 || v > 1) {
                throw new IllegalArgumentException("\"" + key + "\" has a correlation of " + v + ", outside -1 to 1");
            }
        }
        double[] all = {s.ic(), s.rankIc(), s.icir(), s.rankIcir(), s.icTstat(), s.longShort(), s.annualReturn(),
            s.sharpe(), s.maxDrawdown(), s.turnover(), s.coverage()};
        for (double v : all) {
            if (Double.isInfinite(v) || Math.abs(v) > 1e6) {
                throw new IllegalArgumentException("\"" + key + "\" has a statistic of " + v + ", not a finite "
                        + "figure a factor can have");
            }
        }
        if (s.coverage() < 0 || s.coverage() > 1 || s.turnover() < 0 || s.maxDrawdown() > 0 || s.nDates() < 0) {
            throw new IllegalArgumentException("\"" + key + "\" has a coverage outside 0 to 1, a negative turnover "
                    + "or number of dates, or a positive drawdown");
        }
    }

    /** A whole number between {@code min} and {@code max}, or {@code absent} when the key is missing or null. */
    static long whole(JsonNode o, String key, long min, long max, long absent) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return absent;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw bad(key, n, "not a whole number from " + min + " to " + max);
        }
        return n.asLong();
    }

    /** A finite number between {@code min} and {@code max}, or NaN when the key is missing or null. */
    static double number(JsonNode o, String key, double min, double max) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return Double.NaN;
        }
        if (!n.isNumber() || !(n.asDouble() >= min && n.asDouble() <= max)) {
            throw bad(key, n, "not a number from " + min + " to " + max);
        }
        return n.asDouble();
    }

    /** The span of times a record may hold: what the knowledge base stores as milliseconds, and then some. */
    private static final Instant FIRST = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999Z");

    /** A time such as 2024-01-31T12:00:00Z in the years 0 to 9999, or null. */
    static Instant instant(JsonNode o, String key) {
        String t = text(o, key);
        Instant i;
        try {
            i = t == null ? null : Instant.parse(t);
        } catch (java.time.format.DateTimeParseException e) {
            throw bad(key, o.get(key), "not a time such as 2024-01-31T12:00:00Z");
        }
        if (i != null && (i.isBefore(FIRST) || i.isAfter(LAST))) {
            throw bad(key, o.get(key), "not a time such as 2024-01-31T12:00:00Z (years 0 to 9999)");
        }
        return i;
    }

    static IllegalArgumentException bad(String key, JsonNode value, String what) {
        String v = String.valueOf(value);
        return new IllegalArgumentException("\"" + key + "\" is " + (v.length() > 60 ? v.substring(0, 60) + "..." : v)
                + ", " + what);
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

    /** The key's text, or null when it is absent or null; anything else (a number, an object) is refused. */
    static String text(JsonNode o, String key) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw bad(key, n, "not a text");
        }
        return n.asText();
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
