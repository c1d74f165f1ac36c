package dev.quantagent.knowledge;

import dev.quantagent.sandbox.Complexity;
import dev.quantagent.sandbox.Expr;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Op;
import dev.quantagent.sandbox.Sandbox;
import dev.quantagent.sandbox.Subtrees;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The knowledge base: every tested factor and run on an embedded H2 file ({@code kb.mv.db} in its directory), one
 * connection per process, every record written in one transaction. The embedder is asked for only when a vector
 * is needed (insert, search), so listing and statistics never load the model. Thread-safe (methods synchronise on
 * the one connection).
 */
public final class KnowledgeBase implements AutoCloseable {

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

    private final Path dir;
    private final Connection c;
    private final Supplier<Embedder> embedders;
    private final Sandbox sandbox = new Sandbox(Limits.DEFAULT);
    private VectorIndex index;
    private final Map<String, Map<String, Integer>> subtrees = new HashMap<>();

    private KnowledgeBase(Path dir, Connection c, Supplier<Embedder> embedders) {
        this.dir = dir;
        this.c = c;
        this.embedders = Embedders.lazy(embedders); // asked once per open knowledge base, at first need
    }

    /**
     * Opens the knowledge base in {@code dir} for reading (migrating it if needed), never creating one: a mistyped
     * path must not answer with an empty base.
     *
     * @throws KnowledgeBaseException if there is no knowledge base in {@code dir}
     */
    public static KnowledgeBase openExisting(Path dir, Supplier<Embedder> embedders) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!exists(abs)) {
            throw new KnowledgeBaseException("no knowledge base at " + abs + (Files.isDirectory(abs) ? "" :
                    " (no such directory)") + "; one is created by quantagent mine or kb import");
        }
        return open(dir, embedders);
    }

    /** Whether {@code dir} holds a knowledge base (its H2 file). */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve("kb.mv.db"));
    }

    /**
     * Opens (creating or migrating) the knowledge base in {@code dir}.
     *
     * @param embedders asked for an embedder only when a vector is first needed
     * @throws KnowledgeBaseException if another process has it open, or its schema is newer than this code
     */
    public static KnowledgeBase open(Path dir, Supplier<Embedder> embedders) {
        return open(dir, embedders, Migrations.latest());
    }

    static KnowledgeBase open(Path dir, Supplier<Embedder> embedders, int schemaVersion) {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.toString().indexOf(';') >= 0) {
            // H2 reads what follows a ';' of its URL as settings (and runs an INIT script): a database file would be
            // made beside the folder, and a setting taken from a path
            throw new KnowledgeBaseException("the knowledge base path " + abs + " contains ';', which the database "
                    + "would read as a setting; use a folder whose path has none");
        }
        try {
            Files.createDirectories(abs);
        } catch (java.io.IOException e) {
            throw new KnowledgeBaseException("cannot create the knowledge base directory " + abs + ": " + e, e);
        }
        Path file = abs.resolve("kb.mv.db");
        if (Files.exists(file)) {
            probe(abs, file);
        }
        // WRITE_DELAY=0: a commit reaches the file at once, so kill -9 loses at most the record being written
        // DB_CLOSE_ON_EXIT=FALSE: on Ctrl-C the command saves its run and closes the base itself; H2 closing it from its
        // own shutdown hook, under the running work, would fail those last writes
        String url = "jdbc:h2:file:" + abs.resolve("kb") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        Connection c;
        try {
            c = DriverManager.getConnection(url, "sa", "");
        } catch (SQLException e) {
            if (inUse(e)) {
                throw openElsewhere(abs, e);
            }
            throw new KnowledgeBaseException("cannot open the knowledge base at " + abs + ": " + e.getMessage(), e);
        }
        try {
            Migrations.migrate(c, schemaVersion, abs.toString());
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            if (e instanceof KnowledgeBaseException) {
                throw (KnowledgeBaseException) e;
            }
            throw new KnowledgeBaseException("cannot open the knowledge base at " + abs + ": " + e.getMessage(), e);
        }
        return new KnowledgeBase(abs, c, embedders);
    }

    /**
     * Looks at an existing database file read-only first, since H2 opening a damaged file for writing (one cut short
     * by a full disk or a bad copy) starts it afresh, empty, and overwrites it: that must never happen, least of all to
     * a command that only reads. A file whose store holds nothing is refused, untouched. (H2's own read-only mode is
     * no probe: after it fails on such a file it keeps the file locked for the rest of the process.)
     */
    private static void probe(Path abs, Path file) {
        long size = file.toFile().length();
        if (size == 0) {
            throw damaged(file, "it is empty", null);
        }
        try (MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
            if (store.getMapNames().isEmpty()) {
                throw damaged(file, String.format(java.util.Locale.ROOT, "its %,d bytes hold no database: cut short, "
                        + "or another kind of file", size), null);
            }
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw openElsewhere(abs, e);
            }
            throw damaged(file, "H2 cannot read it: " + e.getMessage().replaceAll(" \\[[^\\]]*]$", ""), e);
        } catch (RuntimeException e) {
            if (e instanceof KnowledgeBaseException k) {
                throw k;
            }
            throw damaged(file, "H2 cannot read it: " + e, e);
        }
    }

    private static KnowledgeBaseException damaged(Path file, String why, Exception e) {
        return new KnowledgeBaseException("the knowledge base file " + file + " is damaged (" + why + "); it was left "
                + "as it is: restore it from a backup, or move it away to start a new knowledge base", e);
    }

    private static boolean inUse(SQLException e) {
        return e.getErrorCode() == 90020 || String.valueOf(e.getMessage()).contains("already in use");
    }

    private static KnowledgeBaseException openElsewhere(Path abs, Exception e) {
        return new KnowledgeBaseException("the knowledge base at " + abs + " is open in another quantagent process; "
                + "wait for it to finish (or stop it), or use another one with --kb PATH", e);
    }

    public Path location() {
        return dir;
    }

    public synchronized int schemaVersion() {
        try {
            return Migrations.version(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly(c);
    }

    // ------------------------------------------------------------------------------------------------- writing

    /** Stores a factor with its embedding in one transaction, counts it as a trial of its data set; returns its id. */
    public long insert(FactorRecord r) {
        return insertAll(List.of(r)).get(0);
    }

    /** Stores factors in one transaction (import, bulk loads); returns their ids in order. */
    public List<Long> insertAll(List<FactorRecord> records) {
        Embedder e = embedders.get();
        List<float[]> vectors = new ArrayList<>(records.size());
        for (FactorRecord r : records) {
            vectors.add(e.embed(r.embeddingText())); // outside the lock: the model is the slow part
        }
        return insertAll(records, vectors, e);
    }

    /**
     * This knowledge base's vector of a text ({@link FactorRecord#embeddingText}), computed without holding the
     * base: threads that embed their own records in parallel then store them with {@link #insert(FactorRecord,
     * float[])}.
     */
    public float[] embed(String text) {
        return embedders.get().embed(text);
    }

    /** Stores a factor with a vector made by {@link #embed} of its {@link FactorRecord#embeddingText}. */
    public long insert(FactorRecord r, float[] vector) {
        Embedder e = embedders.get();
        if (vector.length != e.dimension()) {
            throw new IllegalArgumentException("a vector of " + vector.length + " floats is not one of " + e.id());
        }
        return insertAll(List.of(r), List.of(vector), e).get(0);
    }

    private List<Long> insertAll(List<FactorRecord> records, List<float[]> vectors, Embedder e) {
        synchronized (this) {
            List<Long> ids = inTransaction(() -> {
                List<Long> made = new ArrayList<>(records.size());
                try (PreparedStatement p = c.prepareStatement("INSERT INTO factors (" + COLUMNS.substring(4)
                        + ", valid_rank_ic, embedding, embedder) VALUES (" + "?, ".repeat(31) + "?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    for (int i = 0; i < records.size(); i++) {
                        FactorRecord r = records.get(i);
                        bind(p, r, Vectors.encode(vectors.get(i)), e.id());
                        p.executeUpdate();
                        try (ResultSet k = p.getGeneratedKeys()) {
                            k.next();
                            made.add(k.getLong(1));
                        }
                        if (r.datasetKey() != null) {
                            addTrialsInTransaction(r.datasetKey(), 1);
                            if (r.valid() != null) {
                                addLooksInTransaction(r.datasetKey(), 1);
                            }
                        }
                    }
                }
                return made;
            });
            if (index != null && index.dimensionMatches(e)) {
                for (int i = 0; i < records.size(); i++) {
                    FactorRecord r = records.get(i);
                    index.add(ids.get(i), r.status(), r.runId(), r.datasetKey(), vectors.get(i));
                }
            }
            return ids;
        }
    }

    private void bind(PreparedStatement p, FactorRecord r, byte[] vector, String embedder) throws SQLException {
        int i = 1;
        p.setString(i++, fit(r.name(), NAME_WIDTH));
        p.setString(i++, fit(r.formula(), FORMULA_WIDTH));
        p.setString(i++, fit(r.canonical(), CANONICAL_WIDTH));
        p.setString(i++, r.hash());
        p.setString(i++, r.hypothesis());
        setLong(p, i++, r.parentId());
        p.setString(i++, r.runId());
        p.setInt(i++, r.round());
        p.setInt(i++, r.step());
        p.setString(i++, r.writerKind());
        p.setString(i++, fit(r.writerModel(), WRITER_MODEL_WIDTH));
        p.setString(i++, r.status().key());
        p.setString(i++, FactorJson.write(r.rejectionReasons()));
        setDouble(p, i++, r.judgeScore());
        p.setString(i++, r.judgeFeedback());
        Complexity cx = r.complexity();
        setInt(p, i++, cx == null ? null : cx.nodes());
        setInt(p, i++, cx == null ? null : cx.depth());
        setInt(p, i++, cx == null ? null : cx.distinctFields());
        setInt(p, i++, cx == null ? null : cx.parameters());
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
        setDouble(p, i++, rankIc == rankIc ? rankIc : null);
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

    /** Counts factors tried on a data set that were not stored (the stored ones count themselves). */
    public synchronized void addTrials(String datasetKey, long n) {
        try {
            addTrialsInTransaction(datasetKey, n);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void addTrialsInTransaction(String datasetKey, long n) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(
                "UPDATE dataset_trials SET trials = trials + ? WHERE dataset_key = ?")) {
            u.setLong(1, n);
            u.setString(2, datasetKey);
            if (u.executeUpdate() == 0) {
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO dataset_trials (dataset_key, trials) VALUES (?, ?)")) {
                    ins.setString(1, datasetKey);
                    ins.setLong(2, n);
                    ins.executeUpdate();
                }
            }
        }
    }

    /**
     * Counts looks at a data set's valid split that stored no factor: a combined signal, a baseline's. A stored
     * factor with valid statistics counts itself.
     */
    public synchronized void addValidLooks(String datasetKey, long n) {
        inTransaction(() -> {
            addLooksInTransaction(datasetKey, n);
            return null;
        });
    }

    private void addLooksInTransaction(String datasetKey, long n) throws SQLException {
        try (PreparedStatement u = c.prepareStatement(
                "UPDATE dataset_looks SET valid_looks = valid_looks + ? WHERE dataset_key = ?")) {
            u.setLong(1, n);
            u.setString(2, datasetKey);
            if (u.executeUpdate() == 0) {
                try (PreparedStatement ins = c.prepareStatement(
                        "INSERT INTO dataset_looks (dataset_key, valid_looks) VALUES (?, ?)")) {
                    ins.setString(1, datasetKey);
                    ins.setLong(2, n);
                    ins.executeUpdate();
                }
            }
        }
    }

    /** Looks at a data set's valid split so far: the family the valid gate adjusts its evidence for. */
    public synchronized long validLooks(String datasetKey) {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT valid_looks FROM dataset_looks WHERE dataset_key = ?")) {
            p.setString(1, datasetKey);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * What each stored look at a data set's valid split saw, in id order: the factor's train and valid rank IC and
     * valid t-statistic, from which a caller computes the family's p-values.
     */
    public synchronized List<Look> looks(String datasetKey) {
        List<Look> out = new ArrayList<>();
        for (FactorRecord r : select("WHERE dataset_key = ? AND valid_stats IS NOT NULL ORDER BY id", datasetKey)) {
            Stats v = r.valid();
            Stats t = r.train();
            out.add(new Look(r.id(), r.status(), t == null ? Double.NaN : t.rankIc(), v.rankIc(), v.rankIcTstatNw(),
                    v.sharpe()));
        }
        return out;
    }

    /**
     * One stored look at valid.
     *
     * @param id           the factor
     * @param status       accepted, or rejected at the gate (or, before the gate existed, anywhere)
     * @param trainRankIc  its train rank IC (NaN when not computed), whose sign the look tested
     * @param validRankIc  its valid rank IC
     * @param validTstat   its valid rank IC's Newey-West t-statistic (0 for records stored before it was kept)
     * @param validSharpe  its valid long-short Sharpe after costs, annualised
     */
    public record Look(long id, Status status, double trainRankIc, double validRankIc, double validTstat,
                       double validSharpe) {
    }

    /** Factors tried on a data set so far (every one, failures too): how many chances luck has had there. */
    public synchronized long trials(String datasetKey) {
        try (PreparedStatement p = c.prepareStatement("SELECT trials FROM dataset_trials WHERE dataset_key = ?")) {
            p.setString(1, datasetKey);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Creates or replaces a run (one transaction). */
    public synchronized void saveRun(RunRecord r) {
        try (PreparedStatement p = c.prepareStatement("MERGE INTO runs (id, config_json, state_json, data_key, "
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
            setLong(p, i++, r.startedAt() == null ? null : r.startedAt().toEpochMilli());
            setLong(p, i, r.endedAt() == null ? null : r.endedAt().toEpochMilli());
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public synchronized Optional<RunRecord> run(String id) {
        List<RunRecord> runs = runs("WHERE id = ?", id);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    /** All runs, newest first. */
    public synchronized List<RunRecord> runs() {
        return runs("", null);
    }

    private List<RunRecord> runs(String where, String arg) {
        try (PreparedStatement p = c.prepareStatement("SELECT id, config_json, state_json, data_key, data_from, "
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
                            rs.getDouble(15), instant(rs, 16), instant(rs, 17)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Whether anything (a factor, a run or a count of trials) is filed under this data set key. */
    public synchronized boolean holds(String datasetKey) {
        try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM factors WHERE dataset_key = ? UNION ALL "
                + "SELECT 1 FROM runs WHERE data_key = ? UNION ALL SELECT 1 FROM dataset_trials WHERE dataset_key = ? "
                + "LIMIT 1")) {
            p.setString(1, datasetKey);
            p.setString(2, datasetKey);
            p.setString(3, datasetKey);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Files everything stored under data set key {@code from} under {@code to}, in one transaction: factors, runs and
     * the data set's count of trials (added to any count under {@code to}). For two keys of the same data, such as
     * the key an earlier version derived from the file's path and the digest of its contents that replaced it:
     * otherwise retrieval, novelty and the count of trials would not see the older records. The old key is kept as
     * an alias ({@link #currentDatasetKey}), so that an import of an older export merges instead of adding copies.
     *
     * @return the number of factors and runs moved
     */
    public synchronized int renameDataset(String from, String to) {
        if (from.equals(to)) {
            return 0;
        }
        int n = inTransaction(() -> {
            int moved;
            long trials;
            try (PreparedStatement f = c.prepareStatement("UPDATE factors SET dataset_key = ? WHERE dataset_key = ?");
                 PreparedStatement r = c.prepareStatement("UPDATE runs SET data_key = ? WHERE data_key = ?");
                 PreparedStatement t = c.prepareStatement("DELETE FROM dataset_trials WHERE dataset_key = ?");
                 PreparedStatement chain = c.prepareStatement("UPDATE dataset_aliases SET to_key = ? WHERE to_key = ?");
                 PreparedStatement alias = c.prepareStatement(
                         "MERGE INTO dataset_aliases (from_key, to_key) KEY (from_key) VALUES (?, ?)")) {
                f.setString(1, to);
                f.setString(2, from);
                r.setString(1, to);
                r.setString(2, from);
                moved = f.executeUpdate() + r.executeUpdate();
                trials = trials(from);
                long looks = validLooks(from);
                if (looks > 0) {
                    addLooksInTransaction(to, looks);
                    try (PreparedStatement v = c.prepareStatement("DELETE FROM dataset_looks WHERE dataset_key = ?")) {
                        v.setString(1, from);
                        v.executeUpdate();
                    }
                }
                if (trials > 0) {
                    addTrialsInTransaction(to, trials);
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
        if (n > 0) {
            index = null; // rebuilt on next search
        }
        return n;
    }

    /** The key a data set is filed under now: where {@link #renameDataset} moved {@code key}, or {@code key}. */
    public synchronized String currentDatasetKey(String key) {
        if (key == null) {
            return null;
        }
        try (PreparedStatement p = c.prepareStatement("SELECT to_key FROM dataset_aliases WHERE from_key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : key;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Deletes a run and its factors in one transaction; returns the number of factors deleted. */
    public synchronized int deleteRun(String runId) {
        int n = inTransaction(() -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM factors WHERE run_id = ?");
                 PreparedStatement r = c.prepareStatement("DELETE FROM runs WHERE id = ?")) {
                p.setString(1, runId);
                int deleted = p.executeUpdate();
                r.setString(1, runId);
                r.executeUpdate();
                return deleted;
            }
        });
        index = null; // rebuilt on next search
        return n;
    }

    /** Statements that change the database together. */
    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs work as one transaction: committed whole, or rolled back whole on any failure (an error too: turning
     * autocommit back on would commit what is pending).
     */
    private <T> T inTransaction(Work<T> work) {
        boolean committed = false;
        try {
            c.setAutoCommit(false);
            T result = work.run();
            c.commit();
            committed = true;
            return result;
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            if (!committed) {
                rollback();
            }
            autoCommit();
        }
    }

    /**
     * Records test statistics for a factor: only for the sanctioned moments when a user unsealed the test split
     * (an explicit {@code --include-test}, or the final report of a finished run).
     */
    public synchronized void setTestStats(long id, Stats test) {
        try (PreparedStatement p = c.prepareStatement("UPDATE factors SET test_stats = ? WHERE id = ?")) {
            p.setString(1, FactorJson.write(test));
            p.setLong(2, id);
            p.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Deletes a run's factors with an id above {@code lastKept}: the steps of a candidate that a crash interrupted,
     * so that a resumed run redoes that candidate from its start. Returns the number deleted.
     */
    public synchronized int deleteRunFactorsAfter(String runId, long lastKept) {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM factors WHERE run_id = ? AND id > ?")) {
            p.setString(1, runId);
            p.setLong(2, lastKept);
            int n = p.executeUpdate();
            if (n > 0) {
                index = null; // rebuilt on next search
            }
            return n;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    // ------------------------------------------------------------------------------------------------- reading

    public synchronized Optional<FactorRecord> get(long id) {
        List<FactorRecord> r = select("WHERE id = ?", id);
        return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    /** Exact duplicates: every stored factor with this canonical hash, oldest first. */
    public synchronized List<FactorRecord> byHash(String hash) {
        return select("WHERE hash = ? ORDER BY id", hash);
    }

    /** A run's records without a canonical hash (formulas that did not parse, Writer failures); run null: no run. */
    synchronized List<FactorRecord> unhashed(String runId) {
        return runId == null ? select("WHERE hash IS NULL AND run_id IS NULL ORDER BY id")
                : select("WHERE hash IS NULL AND run_id = ? ORDER BY id", runId);
    }

    /** The largest factor id stored (0 when empty): new factors get larger ones. */
    public synchronized long lastId() {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM factors")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    public synchronized long count() {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM factors")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** How {@link #list} orders factors. */
    public enum Sort {
        RANK_IC("valid_rank_ic DESC NULLS LAST, id"), CREATED("created_at DESC, id DESC"),
        SCORE("judge_score DESC NULLS LAST, id"), ID("id"), ID_DESC("id DESC");

        private final String orderBy;

        Sort(String orderBy) {
            this.orderBy = orderBy;
        }
    }

    /** Factors passing the filter, in the given order, at most {@code limit}. */
    public synchronized List<FactorRecord> list(Filter f, Sort sort, int limit) {
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
        where.append(" ORDER BY ").append(sort.orderBy).append(" LIMIT ").append(Math.max(0, limit));
        return select(where.toString(), args.toArray());
    }

    /** Ancestors of a factor through parent ids, nearest first (stops at a missing parent or a cycle). */
    public synchronized List<FactorRecord> lineage(long id) {
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
    public synchronized List<FactorRecord> children(long id) {
        return select("WHERE parent_id = ? ORDER BY id", id);
    }

    // ------------------------------------------------------------------------------------------------ searching

    /** The k factors semantically nearest to a text (cosine over embeddings), best first. */
    public List<Hit> search(String text, int k, Filter f) {
        float[] q = embedders.get().embed(text);
        return nearest(q, k, f, -1);
    }

    /** The k factors semantically nearest to a stored one (itself excluded). */
    public List<Hit> similar(long id, int k, Filter f) {
        VectorIndex ix = index();
        float[] q;
        synchronized (this) {
            q = ix.vector(id);
        }
        if (q == null) {
            FactorRecord r = get(id).orElseThrow(() -> new IllegalArgumentException("no factor with id " + id));
            q = embedders.get().embed(r.embeddingText());
        }
        return nearest(q, k, f, id);
    }

    /**
     * For the Writer: the k best accepted factors near an idea: the 5k semantically nearest, then ordered by
     * train rank IC (the split the search runs on; valid only gates).
     */
    public List<Hit> bestNear(String idea, int k, String datasetKey) {
        return bestNear(idea, k, datasetKey, Long.MAX_VALUE);
    }

    /**
     * As {@link #bestNear(String, int, String)}, among the factors with an id up to {@code upToId}: what the
     * knowledge base held when a mining round started, so a resumed run retrieves what it retrieved before.
     */
    public List<Hit> bestNear(String idea, int k, String datasetKey, long upToId) {
        List<Hit> near = search(idea, 5 * k, Filter.accepted().withDataset(datasetKey).upTo(upToId));
        return near.stream().sorted(Comparator.comparingDouble((Hit h) -> -rankIc(h.factor()))).limit(k).toList();
    }

    /** For the Writer: the k rejected or invalid factors nearest to an idea, with their reasons. */
    public List<Hit> failuresNear(String idea, int k, String datasetKey) {
        return failuresNear(idea, k, datasetKey, Long.MAX_VALUE);
    }

    /** As {@link #failuresNear(String, int, String)}, among the factors with an id up to {@code upToId}. */
    public List<Hit> failuresNear(String idea, int k, String datasetKey, long upToId) {
        return search(idea, k, Filter.failures().withDataset(datasetKey).upTo(upToId));
    }

    private static double rankIc(FactorRecord r) {
        double v = r.train() == null ? Double.NaN : r.train().rankIc();
        return v == v ? v : Double.NEGATIVE_INFINITY;
    }

    private List<Hit> nearest(float[] q, int k, Filter f, long exclude) {
        VectorIndex ix = index();
        VectorIndex.Top top;
        synchronized (this) {
            top = ix.top(q, k, f, exclude);
        }
        List<Hit> out = new ArrayList<>();
        for (int i = 0; i < top.ids().length; i++) {
            float score = top.scores()[i];
            get(top.ids()[i]).ifPresent(r -> out.add(new Hit(r, score)));
        }
        return out;
    }

    /** The vectors of the current embedder, loaded on first search. */
    private VectorIndex index() {
        Embedder e = embedders.get();
        synchronized (this) {
            if (index == null || !index.dimensionMatches(e)) {
                VectorIndex ix = new VectorIndex(e.dimension(), e.id());
                try (PreparedStatement p = c.prepareStatement("SELECT id, status, run_id, dataset_key, embedding "
                        + "FROM factors WHERE embedder = ? ORDER BY id")) {
                    p.setString(1, e.id());
                    p.setFetchSize(1000);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            ix.add(rs.getLong(1), Status.of(rs.getString(2)), rs.getString(3), rs.getString(4),
                                    rs.getBytes(5));
                        }
                    }
                } catch (SQLException ex) {
                    throw failure(ex);
                }
                index = ix;
            }
            return index;
        }
    }

    /**
     * Structural overlap: the k accepted factors (of a data set, or all if null) sharing the largest operator
     * sub-tree with the candidate; the score is the shared sub-tree's node count.
     */
    public synchronized List<Hit> structuralOverlap(Factor candidate, String datasetKey, int k) {
        Map<String, Integer> mine = Subtrees.of(candidate);
        List<long[]> scored = new ArrayList<>();
        String sql = "SELECT id, canonical, hash FROM factors WHERE status = 'accepted' AND canonical IS NOT NULL"
                + (datasetKey == null ? "" : " AND dataset_key = ?");
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (datasetKey != null) {
                p.setString(1, datasetKey);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Map<String, Integer> theirs = subtrees(rs.getString(2), rs.getString(3));
                    int common = theirs == null ? 0 : Subtrees.largestCommon(mine, theirs);
                    if (common > 0) {
                        scored.add(new long[] {rs.getLong(1), common});
                    }
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        scored.sort(Comparator.comparingLong((long[] a) -> -a[1]).thenComparingLong(a -> a[0]));
        List<Hit> out = new ArrayList<>();
        for (long[] s : scored.subList(0, Math.min(k, scored.size()))) {
            get(s[0]).ifPresent(r -> out.add(new Hit(r, s[1])));
        }
        return out;
    }

    private Map<String, Integer> subtrees(String canonical, String hash) {
        return subtrees.computeIfAbsent(hash == null ? canonical : hash, h -> {
            try {
                return Subtrees.of(sandbox.parse(canonical));
            } catch (FormulaException e) {
                return Map.of();
            }
        });
    }

    // ----------------------------------------------------------------------------------------------- aggregates

    /** Success rate by operator family: a factor counts once for each family among its operators. */
    public synchronized List<GroupRate> successByFamily() {
        Map<Op.Category, long[]> counts = new EnumMap<>(Op.Category.class);
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT canonical, status FROM factors WHERE canonical IS NOT NULL")) {
            while (rs.next()) {
                Set<Op.Category> families = EnumSet.noneOf(Op.Category.class);
                try {
                    categories(sandbox.parse(rs.getString(1)).expr(), families);
                } catch (FormulaException e) {
                    continue;
                }
                boolean accepted = Status.ACCEPTED.key().equals(rs.getString(2));
                for (Op.Category cat : families) {
                    long[] n = counts.computeIfAbsent(cat, x -> new long[2]);
                    n[0]++;
                    n[1] += accepted ? 1 : 0;
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        List<GroupRate> out = new ArrayList<>();
        counts.forEach((cat, n) -> out.add(new GroupRate(cat.name().toLowerCase(java.util.Locale.ROOT), n[0], n[1])));
        return out;
    }

    private static void categories(Expr e, Set<Op.Category> out) {
        if (e instanceof Expr.Call) {
            Expr.Call call = (Expr.Call) e;
            out.add(call.op().category());
            call.args().forEach(a -> categories(a, out));
        }
    }

    /** Success rate per run (null run: factors stored outside a run). */
    public synchronized List<GroupRate> successByRun() {
        return groupRates("run_id");
    }

    /** Success rate per writer ({@code kind/model}). */
    public synchronized List<GroupRate> successByWriter() {
        return groupRates("CONCAT(COALESCE(writer_kind, '?'), '/', COALESCE(writer_model, '-'))");
    }

    private List<GroupRate> groupRates(String group) {
        List<GroupRate> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + group + " AS g, COUNT(*), "
                + "SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) FROM factors GROUP BY g ORDER BY g")) {
            while (rs.next()) {
                out.add(new GroupRate(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    /** Counts of factors by status. */
    public synchronized Map<Status, Long> countByStatus() {
        Map<Status, Long> out = new EnumMap<>(Status.class);
        Arrays.stream(Status.values()).forEach(s -> out.put(s, 0L));
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT status, COUNT(*) FROM factors GROUP BY status")) {
            while (rs.next()) {
                out.put(Status.of(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    /** Trials per data set. */
    public synchronized Map<String, Long> trialsByDataset() {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT dataset_key, trials FROM dataset_trials ORDER BY dataset_key")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        return out;
    }

    // -------------------------------------------------------------------------------------------------- helpers

    private List<FactorRecord> select(String where, Object... args) {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM factors " + where)) {
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
            throw failure(e);
        }
    }

    private static FactorRecord record(ResultSet rs) throws SQLException {
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

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.BIGINT);
        } else {
            p.setLong(i, v);
        }
    }

    private static void setInt(PreparedStatement p, int i, Integer v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.INTEGER);
        } else {
            p.setInt(i, v);
        }
    }

    private static void setDouble(PreparedStatement p, int i, Double v) throws SQLException {
        if (v == null || v.isNaN()) {
            p.setNull(i, Types.DOUBLE);
        } else {
            p.setDouble(i, v);
        }
    }

    private void rollback() {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
    }

    private void autoCommit() {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; the next call reports it
        }
    }

    private KnowledgeBaseException failure(SQLException e) {
        return new KnowledgeBaseException("knowledge base " + dir + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing is best effort
        }
    }
}
