package dev.quantagent.knowledge;

import dev.quantagent.sandbox.Complexity;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The factors table: storing and reading factor records. Called under {@link KnowledgeBase}'s lock. */
final class FactorTable {

    private static final String COLUMNS = "id, name, formula, canonical, hash, hypothesis, parent_id, run_id, "
            + "round_no, step_no, writer_kind, writer_model, status, rejection_reasons, judge_score, judge_feedback, "
            + "cx_nodes, cx_depth, cx_fields, cx_params, dataset_key, train_stats, valid_stats, test_stats, "
            + "writer_ms, eval_ms, judge_ms, prompt_tokens, completion_tokens, created_at";

    /**
     * Widths of the free-text columns (V1__init.sql). Longer text is cut to fit, ending in {@link #CUT}, rather than
     * refused: a model's overlong name or formula must not abort a run or an import.
     */
    static final int NAME_WIDTH = 400;
    static final int FORMULA_WIDTH = 8192;
    static final int CANONICAL_WIDTH = 65536;
    static final int WRITER_MODEL_WIDTH = 200;
    /** Ends a text cut to fit its column. */
    static final String CUT = "\u2026";

    private final Database db;
    private final RunTable runs;

    FactorTable(Database db, RunTable runs) {
        this.db = db;
        this.runs = runs;
    }

    /**
     * Stores factors with their vectors in one transaction, each counted as a trial of its data set (and a look at
     * its valid split when it has valid statistics); returns their ids in order.
     */
    List<Long> insert(List<FactorRecord> records, List<float[]> vectors, String embedderId) {
        return db.inTransaction(() -> {
            List<Long> made = new ArrayList<>(records.size());
            try (PreparedStatement p = db.prepare("INSERT INTO factors (" + COLUMNS.substring(4)
                    + ", valid_rank_ic, embedding, embedder) VALUES (" + "?, ".repeat(31) + "?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                for (int i = 0; i < records.size(); i++) {
                    FactorRecord r = records.get(i);
                    bind(p, r, Vectors.encode(vectors.get(i)), embedderId);
                    p.executeUpdate();
                    try (ResultSet k = p.getGeneratedKeys()) {
                        k.next();
                        made.add(k.getLong(1));
                    }
                    if (r.datasetKey() != null) {
                        runs.addTrials(r.datasetKey(), 1);
                        if (r.valid() != null) {
                            runs.addValidLooks(r.datasetKey(), 1);
                        }
                    }
                }
            }
            return made;
        });
    }

    private void bind(PreparedStatement p, FactorRecord r, byte[] vector, String embedder) throws SQLException {
        int i = 1;
        p.setString(i++, fit(r.name(), NAME_WIDTH));
        p.setString(i++, fit(r.formula(), FORMULA_WIDTH));
        p.setString(i++, fit(r.canonical(), CANONICAL_WIDTH));
        p.setString(i++, r.hash());
        p.setString(i++, r.hypothesis());
        Database.setLong(p, i++, r.parentId());
        p.setString(i++, r.runId());
        p.setInt(i++, r.round());
        p.setInt(i++, r.step());
        p.setString(i++, r.writerKind());
        p.setString(i++, fit(r.writerModel(), WRITER_MODEL_WIDTH));
        p.setString(i++, r.status().key());
        p.setString(i++, FactorJson.write(r.rejectionReasons()));
        Database.setDouble(p, i++, r.judgeScore());
        p.setString(i++, r.judgeFeedback());
        Complexity cx = r.complexity();
        Database.setInt(p, i++, cx == null ? null : cx.nodes());
        Database.setInt(p, i++, cx == null ? null : cx.depth());
        Database.setInt(p, i++, cx == null ? null : cx.distinctFields());
        Database.setInt(p, i++, cx == null ? null : cx.parameters());
        p.setString(i++, r.datasetKey());
        p.setString(i++, FactorJson.write(r.train()));
        p.setString(i++, FactorJson.write(r.valid()));
        p.setString(i++, FactorJson.write(r.test()));
        p.setLong(i++, r.usage().writerMillis());
        p.setLong(i++, r.usage().evalMillis());
        p.setLong(i++, r.usage().judgeMillis());
        p.setLong(i++, r.usage().promptTokens());
        p.setLong(i++, r.usage().completionTokens());
        p.setLong(i++, (r.createdAt() == null ? Instant.now() : r.createdAt()).toEpochMilli());
        double rankIc = r.valid() == null ? Double.NaN : r.valid().rankIc();
        Database.setDouble(p, i++, rankIc == rankIc ? rankIc : null);
        p.setBytes(i++, vector);
        p.setString(i, embedder);
    }

    /** The text, cut to {@code width} characters ending in {@link #CUT} if it is longer (never inside a pair). */
    static String fit(String text, int width) {
        if (text == null || text.length() <= width) {
            return text;
        }
        int cut = width - CUT.length();
        if (Character.isHighSurrogate(text.charAt(cut - 1))) {
            cut--;
        }
        return text.substring(0, cut) + CUT;
    }

    /**
     * What each stored look at a data set's valid split saw, in id order: the factor's train and valid rank IC and
     * valid t-statistic, from which a caller computes the family's p-values.
     */
    List<KnowledgeBase.Look> looks(String datasetKey) {
        List<KnowledgeBase.Look> out = new ArrayList<>();
        for (FactorRecord r : select("WHERE dataset_key = ? AND valid_stats IS NOT NULL ORDER BY id", datasetKey)) {
            Stats v = r.valid();
            Stats t = r.train();
            out.add(new KnowledgeBase.Look(r.id(), r.status(), t == null ? Double.NaN : t.rankIc(), v.rankIc(),
                    v.rankIcTstatNw(), v.sharpe()));
        }
        return out;
    }

    /**
     * Records test statistics for a factor: only for the sanctioned moments when a user unsealed the test split
     * (an explicit {@code --include-test}, or the final report of a finished run).
     */
    void setTestStats(long id, Stats test) {
        try (PreparedStatement p = db.prepare("UPDATE factors SET test_stats = ? WHERE id = ?")) {
            p.setString(1, FactorJson.write(test));
            p.setLong(2, id);
            p.executeUpdate();
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    /**
     * Deletes a run's factors with an id above {@code lastKept}: the steps of a candidate that a crash interrupted,
     * so that a resumed run redoes that candidate from its start. Returns the number deleted.
     */
    int deleteRunFactorsAfter(String runId, long lastKept) {
        try (PreparedStatement p = db.prepare("DELETE FROM factors WHERE run_id = ? AND id > ?")) {
            p.setString(1, runId);
            p.setLong(2, lastKept);
            return p.executeUpdate();
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    Optional<FactorRecord> get(long id) {
        List<FactorRecord> r = select("WHERE id = ?", id);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    /** Exact duplicates: every stored factor with this canonical hash, oldest first. */
    List<FactorRecord> byHash(String hash) {
        return select("WHERE hash = ? ORDER BY id", hash);
    }

    /** A run's records without a canonical hash (formulas that did not parse, Writer failures); run null: no run. */
    List<FactorRecord> unhashed(String runId) {
        return runId == null ? select("WHERE hash IS NULL AND run_id IS NULL ORDER BY id")
                : select("WHERE hash IS NULL AND run_id = ? ORDER BY id", runId);
    }

    /** The largest factor id stored (0 when empty): new factors get larger ones. */
    long lastId() {
        try (Statement s = db.statement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM factors")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    long count() {
        try (Statement s = db.statement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM factors")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    /** Factors passing the filter, in the given order, at most {@code limit}. */
    List<FactorRecord> list(Filter f, KnowledgeBase.Sort sort, int limit) {
        StringBuilder where = new StringBuilder("WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.statuses() != null) {
            where.append(" AND status IN (").append("?, ".repeat(f.statuses().size() - 1)).append("?)");
            f.statuses().stream().sorted().forEach(s -> args.add(s.key()));
        }
        if (f.runId() != null) {
            where.append(" AND run_id = ?");
            args.add(f.runId());
        }
        if (f.datasetKey() != null) {
            where.append(" AND dataset_key = ?");
            args.add(f.datasetKey());
        }
        if (f.maxId() != Long.MAX_VALUE) {
            where.append(" AND id <= ?");
            args.add(f.maxId());
        }
        where.append(" ORDER BY ").append(sort.orderBy()).append(" LIMIT ").append(Math.max(0, limit));
        return select(where.toString(), args.toArray());
    }

    /** Ancestors of a factor through parent ids, nearest first (stops at a missing parent or a cycle). */
    List<FactorRecord> lineage(long id) {
        List<FactorRecord> out = new ArrayList<>();
        Set<Long> seen = new java.util.HashSet<>();
        Optional<FactorRecord> r = get(id);
        while (r.isPresent() && r.get().parentId() != null && seen.add(r.get().parentId())) {
            r = get(r.get().parentId());
            r.ifPresent(out::add);
        }
        return out;
    }

    /** Factors derived from this one. */
    List<FactorRecord> children(long id) {
        return select("WHERE parent_id = ? ORDER BY id", id);
    }

    List<FactorRecord> select(String where, Object... args) {
        try (PreparedStatement p = db.prepare("SELECT " + COLUMNS + " FROM factors " + where)) {
            for (int i = 0; i < args.length; i++) {
                p.setObject(i + 1, args[i]);
            }
            List<FactorRecord> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(record(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    static FactorRecord record(ResultSet rs) throws SQLException {
        int nodes = rs.getInt(17);
        Complexity cx = rs.wasNull() ? null : new Complexity(nodes, rs.getInt(18), rs.getInt(19), rs.getInt(20));
        long parent = rs.getLong(7);
        Long parentId = rs.wasNull() ? null : parent;
        double score = rs.getDouble(15);
        Double judgeScore = rs.wasNull() ? null : score;
        String[] reasons = FactorJson.read(rs.getString(14), String[].class);
        return new FactorRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), parentId, rs.getString(8), rs.getInt(9), rs.getInt(10), rs.getString(11),
                rs.getString(12), Status.of(rs.getString(13)), reasons == null ? List.of() : List.of(reasons),
                judgeScore, rs.getString(16), cx, rs.getString(21), FactorJson.read(rs.getString(22), Stats.class),
                FactorJson.read(rs.getString(23), Stats.class), FactorJson.read(rs.getString(24), Stats.class),
                new Usage(rs.getLong(25), rs.getLong(26), rs.getLong(27), rs.getLong(28), rs.getLong(29)),
                Instant.ofEpochMilli(rs.getLong(30)));
    }

}
