package dev.quantagent.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.sandbox.Expr;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Op;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/** {@code kb export} and {@code kb import}: JSON (lossless, re-importable), CSV (for spreadsheets) and Qlib. */
public final class Exchange {

    private Exchange() {
    }

    /** A JSON array of factor records (the shape of {@link FactorJson}), without their runs. */
    public static void exportJson(List<FactorRecord> factors, Writer out) throws IOException {
        ArrayNode a = FactorJson.MAPPER.createArrayNode();
        factors.forEach(f -> a.add(FactorJson.toJson(f)));
        FactorJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, a);
    }

    /** The export format's version; see {@link #exportJson(List, List, Writer)}. */
    static final int VERSION = 3;

    /**
     * The factors with the runs that produced them: {@code {"format": "quantagent-kb", "version": 3, "runs": [...],
     * "factors": [...]}}. A run carries its settings (evaluation, Judge, Writer) and data, so that an imported factor
     * is recomputed as it was mined. Version 3 writes the factors' nested statistics in snake_case with null for an
     * undefined value, as {@code eval --json} does (version 2 wrote camelCase and "NaN"; both read).
     */
    public static void exportJson(List<FactorRecord> factors, List<RunRecord> runs, Writer out) throws IOException {
        ObjectNode root = FactorJson.MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode r = root.putArray("runs");
        runs.forEach(x -> r.add(runJson(x)));
        ArrayNode a = root.putArray("factors");
        factors.forEach(f -> a.add(FactorJson.toJson(f)));
        FactorJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, root);
    }

    /** The export format's name, written at the top of a json export. */
    static final String FORMAT = "quantagent-kb";

    private static ObjectNode runJson(RunRecord r) {
        ObjectNode o = FactorJson.MAPPER.createObjectNode();
        o.put("id", r.id());
        o.put("config", r.configJson());
        o.put("state", r.stateJson());
        o.put("data_key", r.dataKey());
        o.put("data_from", r.dataFrom());
        o.put("data_to", r.dataTo());
        o.put("symbols", r.symbols());
        o.put("splits", r.splitsJson());
        o.put("status", r.status());
        o.put("progress", r.progress());
        o.put("trials", r.trials());
        o.put("accepted", r.accepted());
        o.put("invalid", r.invalid());
        o.put("tokens", r.tokens());
        o.put("cost", r.cost());
        o.put("started_at", r.startedAt() == null ? null : r.startedAt().toString());
        o.put("ended_at", r.endedAt() == null ? null : r.endedAt().toString());
        return o;
    }

    private static RunRecord runOf(JsonNode o, String where) {
        if (!o.isObject() || !o.path("id").isTextual() || o.get("id").asText().isBlank()) {
            throw new IllegalArgumentException(where + " is not a run with an id");
        }
        try {
            return new RunRecord(o.get("id").asText(), FactorJson.text(o, "config"), FactorJson.text(o, "state"),
                    FactorJson.text(o, "data_key"), FactorJson.text(o, "data_from"), FactorJson.text(o, "data_to"),
                    o.path("symbols").asInt(0), FactorJson.text(o, "splits"),
                    o.path("status").asText("paused"), o.path("progress").asDouble(0), o.path("trials").asLong(0),
                    o.path("accepted").asLong(0), o.path("invalid").asLong(0), o.path("tokens").asLong(0),
                    o.path("cost").asDouble(0), instant(o, "started_at"), instant(o, "ended_at"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static java.time.Instant instant(JsonNode o, String key) {
        if (!o.hasNonNull(key)) {
            return null;
        }
        try {
            return java.time.Instant.parse(o.get(key).asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(key + " is not a time such as 2024-01-31T12:00:00Z: " + e.getMessage(),
                    e);
        }
    }

    /** One row per factor with the figures people sort by. */
    public static void exportCsv(List<FactorRecord> factors, Writer out) throws IOException {
        out.write("id,name,status,formula,canonical,hash,run_id,dataset_key,valid_rank_ic,valid_ic,train_rank_ic,"
                + "judge_score,created_at\n");
        for (FactorRecord f : factors) {
            out.write(String.join(",", String.valueOf(f.id()), csv(f.name()), f.status().key(), csv(f.formula()),
                    csv(f.canonical()), csv(f.hash()), csv(f.runId()), csv(f.datasetKey()),
                    f.valid() == null ? "" : num(f.valid().rankIc()), f.valid() == null ? "" : num(f.valid().ic()),
                    f.train() == null ? "" : num(f.train().rankIc()),
                    f.judgeScore() == null ? "" : num(f.judgeScore()),
                    f.createdAt() == null ? "" : f.createdAt().toString()));
            out.write('\n');
        }
    }

    /**
     * {@code name<TAB>expression} per line, in Qlib's expression syntax ({@code $close}, {@code Mean($close, 5)}),
     * for Qlib's expression loader. Operators Qlib has no name for keep QuantAgent's name; factors that do not
     * parse are skipped. Names are made unique.
     */
    public static void exportQlib(List<FactorRecord> factors, Writer out) throws IOException {
        Sandbox sandbox = new Sandbox(Limits.DEFAULT);
        Set<String> names = new HashSet<>();
        for (FactorRecord f : factors) {
            if (f.canonical() == null) {
                continue;
            }
            String expr;
            try {
                expr = qlib(sandbox.parse(f.canonical()).expr());
            } catch (FormulaException e) {
                continue;
            }
            String base = f.name() == null || f.name().isBlank() ? "factor_" + f.id()
                    : f.name().replaceAll("[^A-Za-z0-9_]+", "_");
            String name = base;
            for (int i = 2; !names.add(name); i++) {
                name = base + "_" + i;
            }
            out.write(name + "\t" + expr + "\n");
        }
    }

    /** Outcome of an import. */
    public record ImportResult(int added, int skipped) {
    }

    /** Told after each factor of an import (added or skipped): how many of the export's factors are done. */
    @FunctionalInterface
    public interface Progress {
        void done(int done, int total);
    }

    /**
     * Imports a JSON export, merging by canonical hash: a factor whose hash (and data set) is already stored is
     * skipped, so importing twice adds nothing. Parent links are remapped to the new ids when the parent came along.
     */
    public static ImportResult importJson(KnowledgeBase kb, Reader in) throws IOException {
        return importJson(kb, in, (done, total) -> { });
    }

    /** As {@link #importJson(KnowledgeBase, Reader)}, telling {@code progress} after each factor. */
    public static ImportResult importJson(KnowledgeBase kb, Reader in, Progress progress) throws IOException {
        JsonNode top = FactorJson.MAPPER.readTree(in);
        // versions 2 and 3 are an object with the runs; version 1 (and a hand-made file) a bare array of factors
        if (top != null && top.path("version").asInt(0) > VERSION) {
            throw new IllegalArgumentException("the export is version " + top.get("version").asText() + ", written "
                    + "by a newer QuantAgent; this one reads versions up to " + VERSION);
        }
        JsonNode root = top != null && top.isObject() && FORMAT.equals(top.path("format").asText())
                ? top.path("factors") : top;
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("a knowledge base export is a JSON array of factors, or an object "
                    + "with \"format\": \"" + FORMAT + "\" and its runs and factors");
        }
        if (root != top && top.has("runs") && !top.get("runs").isArray()) {
            throw new IllegalArgumentException("\"runs\" of the export is not an array of runs");
        }
        List<RunRecord> runs = new ArrayList<>();
        int run = 0;
        for (JsonNode n : root == top ? FactorJson.MAPPER.createArrayNode() : top.path("runs")) {
            runs.add(runOf(n, "run " + ++run));
        }
        // every entry is read and checked before the first is stored: a bad entry imports nothing
        List<FactorRecord> records = new ArrayList<>(root.size());
        int entry = 0;
        for (JsonNode n : root) {
            entry++;
            String where = "entry " + entry + (n.hasNonNull("id") ? " (id " + n.get("id").asText() + ")" : "");
            if (!n.isObject()) {
                throw new IllegalArgumentException(where + " is not a factor object");
            }
            FactorRecord r;
            try {
                r = FactorJson.fromJson(n);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            if (r.formula() == null || r.formula().isBlank()) {
                throw new IllegalArgumentException(where + " has no formula");
            }
            records.add(r);
        }
        // a run already here (the same base, or an earlier import) is kept as it is; another base's run that happens
        // to have the same id (two runs started in the same second) comes in under a new id, with its factors
        // data set keys as renamed here since the export (an export holds few data sets: one lookup each)
        Map<String, String> currentKeys = new HashMap<>();
        UnaryOperator<String> current = key -> key == null ? null
                : currentKeys.computeIfAbsent(key, kb::currentDatasetKey);
        Map<String, String> runIds = new HashMap<>();
        for (RunRecord exported : runs) {
            RunRecord r = withDataKey(exported, current.apply(exported.dataKey()));
            Optional<RunRecord> here = kb.run(r.id());
            if (here.isEmpty()) {
                kb.saveRun(r);
            } else if (!sameRun(here.get(), r)) {
                String id = r.id() + "-imported";
                for (int k = 2; ; k++) {
                    Optional<RunRecord> taken = kb.run(id);
                    if (taken.isEmpty()) {
                        kb.saveRun(withId(r, id));
                        break;
                    }
                    if (sameRun(taken.get(), r)) {
                        break; // imported before
                    }
                    id = r.id() + "-imported-" + k;
                }
                runIds.put(r.id(), id);
            }
        }
        Map<Long, Long> newIds = new HashMap<>();
        int added = 0;
        int skipped = 0;
        for (FactorRecord exported : records) {
            FactorRecord imported = exported.toBuilder().dataset(current.apply(exported.datasetKey())).build();
            FactorRecord r = runIds.containsKey(imported.runId())
                    ? imported.toBuilder().run(runIds.get(imported.runId()), imported.round(), imported.step()).build()
                    : imported;
            Long existing = existing(kb, r);
            if (existing != null) {
                newIds.put(r.id(), existing);
                skipped++;
            } else {
                Long parent = r.parentId() == null ? null : newIds.get(r.parentId());
                long id = kb.insert(r.toBuilder().id(0).parent(parent).build());
                newIds.put(r.id(), id);
                added++;
            }
            progress.done(added + skipped, records.size());
        }
        return new ImportResult(added, skipped);
    }

    /** The same run: its settings and the data it mined (progress and counters may have moved on since). */
    private static boolean sameRun(RunRecord a, RunRecord b) {
        return Objects.equals(a.configJson(), b.configJson()) && Objects.equals(a.dataKey(), b.dataKey())
                && Objects.equals(a.startedAt(), b.startedAt());
    }

    private static RunRecord withId(RunRecord r, String id) {
        return copy(r, id, r.dataKey());
    }

    private static RunRecord withDataKey(RunRecord r, String dataKey) {
        return copy(r, r.id(), dataKey);
    }

    private static RunRecord copy(RunRecord r, String id, String dataKey) {
        return new RunRecord(id, r.configJson(), r.stateJson(), dataKey, r.dataFrom(), r.dataTo(), r.symbols(),
                r.splitsJson(), r.status(), r.progress(), r.trials(), r.accepted(), r.invalid(), r.tokens(), r.cost(),
                r.startedAt(), r.endedAt());
    }

    private static Long existing(KnowledgeBase kb, FactorRecord r) {
        if (r.hash() == null) {
            return null;
        }
        for (FactorRecord s : kb.byHash(r.hash())) {
            if (Objects.equals(s.datasetKey(), r.datasetKey())) {
                return s.id();
            }
        }
        return null;
    }

    /** Prints a resolved expression in Qlib's syntax. */
    static String qlib(Expr e) {
        StringBuilder sb = new StringBuilder();
        qlib(e, sb);
        return sb.toString();
    }

    private static void qlib(Expr e, StringBuilder sb) {
        if (e instanceof Expr.Num) {
            double v = ((Expr.Num) e).value();
            sb.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
                    : new BigDecimal(Double.toString(v)).toPlainString());
        } else if (e instanceof Expr.Field) {
            sb.append('$').append(((Expr.Field) e).name());
        } else if (e instanceof Expr.Group) {
            sb.append('$').append(((Expr.Group) e).name());
        } else {
            Expr.Call c = (Expr.Call) e;
            Op op = c.op();
            if ("if".equals(op.name())) {
                call("If", c, sb);
            } else if ("neg".equals(op.name())) {
                sb.append("(-");
                qlib(c.arg(0), sb);
                sb.append(')');
            } else if (op.infix() != null && c.args().size() >= 2) {
                sb.append('(');
                for (int i = 0; i < c.args().size(); i++) {
                    if (i > 0) {
                        sb.append(' ').append(op.infix().replace("&&", "&").replace("||", "|")).append(' ');
                    }
                    qlib(c.arg(i), sb);
                }
                sb.append(')');
            } else {
                call(qlibName(op), c, sb);
            }
        }
    }

    private static void call(String name, Expr.Call c, StringBuilder sb) {
        sb.append(name).append('(');
        for (int i = 0; i < c.args().size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            qlib(c.arg(i), sb);
        }
        sb.append(')');
    }

    /** Qlib names are the capitalised aliases of the registry ({@code Mean}, {@code Ref}, {@code Corr}). */
    private static String qlibName(Op op) {
        for (String a : op.aliases()) {
            if (!a.isEmpty() && Character.isUpperCase(a.charAt(0)) && a.chars().allMatch(Character::isLetter)) {
                return a;
            }
        }
        return op.name();
    }

    private static String csv(String s) {
        if (s == null) {
            return "";
        }
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static String num(double v) {
        return v == v ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
