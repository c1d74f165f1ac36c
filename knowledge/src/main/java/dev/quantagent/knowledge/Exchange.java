package dev.quantagent.knowledge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
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
        o.put("status", r.status().key());
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
     * {@code name<TAB>expression} per line for Qlib's expression loader, a comment line for a factor Qlib cannot
     * express; see {@link QlibExport}.
     *
     * @return the factors written as expressions
     */
    public static int exportQlib(List<FactorRecord> factors, Writer out) throws IOException {
        return QlibExport.write(factors, out);
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
        return importJson(kb, in, progress, run -> { });
    }

    /**
     * As {@link #importJson(KnowledgeBase, Reader, Progress)}; {@code runCheck} refuses (IllegalArgumentException) a
     * run whose stored settings its later readers could not use. Every entry is read and checked before the first is
     * stored ({@link ExportReader}): a bad one is named and nothing is imported.
     *
     * <p>What is already stored is skipped: the same trial (same data set, run, round, step, formula, status and
     * time: a second import of the same export, invalid records included), or an accepted or rejected factor whose
     * canonical hash is stored for the same data set (the same factor found elsewhere). A factor the Judge rejected
     * as a duplicate is a trial of its own, kept unless that very trial is stored: trial counts, and so
     * multiple-testing adjustments, come through an export and import unchanged.
     */
    public static ImportResult importJson(KnowledgeBase kb, Reader in, Progress progress,
                                          Consumer<RunRecord> runCheck) throws IOException {
        ExportReader.Export export = ExportReader.read(in, runCheck);
        List<RunRecord> runs = export.runs();
        List<FactorRecord> records = export.factors();
        // a run already here (the same base, or an earlier import) is kept as it is; another base's run that happens
        // to have the same id comes in under a new id, with its factors
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
                addExtraLooks(kb, r);
            } else if (!sameRun(here.get(), r)) {
                String id = r.id() + "-imported";
                for (int k = 2; ; k++) {
                    Optional<RunRecord> taken = kb.run(id);
                    if (taken.isEmpty()) {
                        kb.saveRun(withId(r, id));
                        addExtraLooks(kb, r);
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
        Map<String, List<FactorRecord>> unhashed = new HashMap<>(); // per run: stored records without a hash
        int added = 0;
        int skipped = 0;
        for (FactorRecord exported : records) {
            FactorRecord imported = exported.toBuilder().dataset(current.apply(exported.datasetKey())).build();
            FactorRecord r = runIds.containsKey(imported.runId())
                    ? imported.toBuilder().run(runIds.get(imported.runId()), imported.round(), imported.step()).build()
                    : imported;
            List<FactorRecord> alike = r.hash() != null ? kb.byHash(r.hash())
                    : unhashed.computeIfAbsent(String.valueOf(r.runId()), k -> new ArrayList<>(kb.unhashed(r.runId())));
            Long existing = existing(alike, r);
            if (existing != null) {
                newIds.put(r.id(), existing);
                skipped++;
            } else {
                Long parent = r.parentId() == null ? null : newIds.get(r.parentId());
                long id = kb.insert(r.toBuilder().id(0).parent(parent).build());
                newIds.put(r.id(), id);
                if (r.hash() == null) {
                    alike.add(r);
                }
                added++;
            }
            progress.done(added + skipped, records.size());
        }
        return new ImportResult(added, skipped);
    }

    /**
     * Counts the looks at valid a run took that stored no factor (its combined signals, a baseline's formulas): its
     * factors count their own as they come in, so the family of looks, and every adjusted p-value, comes through.
     */
    private static void addExtraLooks(KnowledgeBase kb, RunRecord r) {
        if (r.dataKey() == null || r.stateJson() == null) {
            return;
        }
        try {
            long n = FactorJson.MAPPER.readTree(r.stateJson()).path(RunRecord.EXTRA_VALID_LOOKS).asLong(0);
            if (n > 0) {
                kb.addValidLooks(r.dataKey(), n);
            }
        } catch (IOException e) {
            // a state that is not JSON was refused by the reader already; nothing to count
        }
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

    /** The stored record {@code r} is (see {@link #importJson(KnowledgeBase, Reader, Progress, Consumer)}), or null. */
    private static Long existing(List<FactorRecord> alike, FactorRecord r) {
        Long sameFactor = null;
        for (FactorRecord s : alike) {
            if (!Objects.equals(s.datasetKey(), r.datasetKey())) {
                continue;
            }
            if (sameTrial(s, r)) {
                return s.id();
            }
            if (sameFactor == null && r.hash() != null) {
                sameFactor = s.id();
            }
        }
        return duplicateRejection(r) ? null : sameFactor;
    }

    /** The same test of a formula: a record exported and imported again is this one. */
    private static boolean sameTrial(FactorRecord a, FactorRecord b) {
        return Objects.equals(a.runId(), b.runId()) && a.round() == b.round() && a.step() == b.step()
                && a.status() == b.status() && Objects.equals(a.createdAt(), b.createdAt())
                && Objects.equals(a.formula(), FactorTable.fit(b.formula(), FactorTable.FORMULA_WIDTH));
    }

    /** A factor the Judge rejected because its canonical form had been tested before: a trial all the same. */
    private static boolean duplicateRejection(FactorRecord r) {
        return r.status() == Status.REJECTED && r.rejectionReasons().stream().anyMatch(x -> x.startsWith("duplicate:"));
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
