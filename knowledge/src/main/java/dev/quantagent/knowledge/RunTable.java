package dev.quantagent.knowledge;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runs table, and what is counted per data set: factors tried, looks at valid, and the keys a data set was filed
 * under before. Called under {@link KnowledgeBase}'s lock.
 */
final class RunTable {

    private final Database db;

    RunTable(Database db) {
        this.db = db;
    }

    /** Counts factors tried on a data set, within the caller's statement or transaction. */
    void addTrials(String datasetKey, long n) throws SQLException {
        try (PreparedStatement u = db.prepare(
                "UPDATE dataset_trials SET trials = trials + ? WHERE dataset_key = ?")) {
            u.setLong(1, n);
            u.setString(2, datasetKey);
            if (u.executeUpdate() == 0) {
                try (PreparedStatement ins = db.prepare(
                        "INSERT INTO dataset_trials (dataset_key, trials) VALUES (?, ?)")) {
                    ins.setString(1, datasetKey);
                    ins.setLong(2, n);
                    ins.executeUpdate();
                }
            }
        }
    }

    /** Counts looks at a data set's valid split, within the caller's statement or transaction. */
    void addValidLooks(String datasetKey, long n) throws SQLException {
        try (PreparedStatement u = db.prepare(
                "UPDATE dataset_looks SET valid_looks = valid_looks + ? WHERE dataset_key = ?")) {
            u.setLong(1, n);
            u.setString(2, datasetKey);
            if (u.executeUpdate() == 0) {
                try (PreparedStatement ins = db.prepare(
                        "INSERT INTO dataset_looks (dataset_key, valid_looks) VALUES (?, ?)")) {
                    ins.setString(1, datasetKey);
                    ins.setLong(2, n);
                    ins.executeUpdate();
                }
            }
        }
    }

    /** Looks at a data set's valid split so far: the family the valid gate adjusts its evidence for. */
    long validLooks(String datasetKey) {
        try (PreparedStatement p = db.prepare(
                "SELECT valid_looks FROM dataset_looks WHERE dataset_key = ?")) {
            p.setString(1, datasetKey);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    /** Factors tried on a data set so far (every one, failures too): how many chances luck has had there. */
    long trials(String datasetKey) {
        try (PreparedStatement p = db.prepare("SELECT trials FROM dataset_trials WHERE dataset_key = ?")) {
            p.setString(1, datasetKey);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    /** Creates or replaces a run (one transaction). */
    void saveRun(RunRecord r) {
        try (PreparedStatement p = db.prepare("MERGE INTO runs (id, config_json, state_json, data_key, "
                + "data_from, data_to, symbols, splits_json, status, progress, trials, accepted, invalid, tokens, "
                + "cost, started_at, ended_at) KEY (id) VALUES (" + "?, ".repeat(16) + "?)")) {
            int i = 1;
            p.setString(i++, r.id());
            p.setString(i++, r.configJson());
            p.setString(i++, r.stateJson());
            p.setString(i++, r.dataKey());
            p.setString(i++, r.dataFrom());
            p.setString(i++, r.dataTo());
            p.setInt(i++, r.symbols());
            p.setString(i++, r.splitsJson());
            p.setString(i++, r.status().key());
            p.setDouble(i++, r.progress());
            p.setLong(i++, r.trials());
            p.setLong(i++, r.accepted());
            p.setLong(i++, r.invalid());
            p.setLong(i++, r.tokens());
            p.setDouble(i++, r.cost());
            Database.setLong(p, i++, r.startedAt() == null ? null : r.startedAt().toEpochMilli());
            Database.setLong(p, i, r.endedAt() == null ? null : r.endedAt().toEpochMilli());
            p.executeUpdate();
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    Optional<RunRecord> run(String id) {
        List<RunRecord> runs = runs("WHERE id = ?", id);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    /** All runs, newest first. */
    List<RunRecord> runs() {
        return runs("", null);
    }

    private List<RunRecord> runs(String where, String arg) {
        try (PreparedStatement p = db.prepare("SELECT id, config_json, state_json, data_key, data_from, "
                + "data_to, symbols, splits_json, status, progress, trials, accepted, invalid, tokens, cost, "
                + "started_at, ended_at FROM runs " + where + " ORDER BY started_at DESC NULLS LAST, id")) {
            if (arg != null) {
                p.setString(1, arg);
            }
            List<RunRecord> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8), RunStatus.of(rs.getString(9)),
                            rs.getDouble(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14),
                            rs.getDouble(15), Database.instant(rs, 16), Database.instant(rs, 17)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    /** Whether anything (a factor, a run or a count of trials) is filed under this data set key. */
    boolean holds(String datasetKey) {
        try (PreparedStatement p = db.prepare("SELECT 1 FROM factors WHERE dataset_key = ? UNION ALL "
                + "SELECT 1 FROM runs WHERE data_key = ? UNION ALL SELECT 1 FROM dataset_trials WHERE dataset_key = ? "
                + "LIMIT 1")) {
            p.setString(1, datasetKey);
            p.setString(2, datasetKey);
            p.setString(3, datasetKey);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    /**
     * Files everything stored under data set key {@code from} under {@code to}, in one transaction: factors, runs and
     * the data set's count of trials (added to any count under {@code to}). For two keys of the same data, such as
     * the key an earlier version derived from the file's path and the digest of its contents that replaced it:
     * otherwise retrieval, novelty and the count of trials would not see the older records. The old key is kept as
     * an alias ({@link KnowledgeBase#currentDatasetKey}), so that an import of an older export merges instead of adding copies.
     *
     * @return the number of factors and runs moved
     */
    int renameDataset(String from, String to) {
        if (from.equals(to)) {
            return 0;
        }
        return db.inTransaction(() -> {
            int moved;
            long trials;
            try (PreparedStatement f = db.prepare("UPDATE factors SET dataset_key = ? WHERE dataset_key = ?");
                 PreparedStatement r = db.prepare("UPDATE runs SET data_key = ? WHERE data_key = ?");
                 PreparedStatement t = db.prepare("DELETE FROM dataset_trials WHERE dataset_key = ?");
                 PreparedStatement chain = db.prepare("UPDATE dataset_aliases SET to_key = ? WHERE to_key = ?");
                 PreparedStatement alias = db.prepare(
                         "MERGE INTO dataset_aliases (from_key, to_key) KEY (from_key) VALUES (?, ?)")) {
                f.setString(1, to);
                f.setString(2, from);
                r.setString(1, to);
                r.setString(2, from);
                moved = f.executeUpdate() + r.executeUpdate();
                trials = trials(from);
                long looks = validLooks(from);
                if (looks > 0) {
                    addValidLooks(to, looks);
                    try (PreparedStatement v = db.prepare("DELETE FROM dataset_looks WHERE dataset_key = ?")) {
                        v.setString(1, from);
                        v.executeUpdate();
                    }
                }
                if (trials > 0) {
                    addTrials(to, trials);
                    t.setString(1, from);
                    t.executeUpdate();
                }
                if (moved > 0 || trials > 0) {
                    chain.setString(1, to); // keys renamed to from before now lead to to
                    chain.setString(2, from);
                    chain.executeUpdate();
                    alias.setString(1, from);
                    alias.setString(2, to);
                    alias.executeUpdate();
                }
            }
            return moved;
        });
    }

    /** The key a data set is filed under now: where {@link KnowledgeBase#renameDataset} moved {@code key}, or {@code key}. */
    String currentDatasetKey(String key) {
        if (key == null) {
            return null;
        }
        try (PreparedStatement p = db.prepare("SELECT to_key FROM dataset_aliases WHERE from_key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : key;
            }
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    /** Deletes a run and its factors in one transaction; returns the number of factors deleted. */
    int deleteRun(String runId) {
        return db.inTransaction(() -> {
            try (PreparedStatement p = db.prepare("DELETE FROM factors WHERE run_id = ?");
                 PreparedStatement r = db.prepare("DELETE FROM runs WHERE id = ?")) {
                p.setString(1, runId);
                int deleted = p.executeUpdate();
                r.setString(1, runId);
                r.executeUpdate();
                return deleted;
            }
        });
    }

}
