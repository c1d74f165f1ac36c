package dev.quantagent.knowledge;

import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The knowledge base: every tested factor and run on an embedded H2 file ({@code kb.mv.db} in its directory), one
 * connection per process, every record written in one transaction. The embedder is asked for only when a vector
 * is needed (insert, search), so listing and statistics never load the model. Thread-safe (methods synchronise on
 * the one connection). The work is done by package-private parts: the connection and its
 * migrations ({@link Database}), the factors ({@link FactorTable}), the runs and per-data-set counts
 * ({@link RunTable}), search ({@link VectorSearch}) and aggregates ({@link Aggregates}).
 */
public final class KnowledgeBase implements AutoCloseable {

    private final Database db;
    private final Supplier<Embedder> embedders;
    private final RunTable runs;
    private final FactorTable factors;
    private final VectorSearch search;
    private final Aggregates aggregates;

    private KnowledgeBase(Database db, Supplier<Embedder> embedders) {
        this.db = db;
        this.embedders = Embedders.lazy(embedders); // asked once per open knowledge base, at first need
        Sandbox sandbox = new Sandbox(Limits.DEFAULT);
        this.runs = new RunTable(db);
        this.factors = new FactorTable(db, runs);
        this.search = new VectorSearch(db, factors, this.embedders, sandbox, this);
        this.aggregates = new Aggregates(db, sandbox);
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
        return new KnowledgeBase(Database.open(dir, schemaVersion), embedders);
    }

    public Path location() {
        return db.location();
    }

    public synchronized int schemaVersion() {
        return db.schemaVersion();
    }

    @Override
    public synchronized void close() {
        db.close();
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
            List<Long> ids = factors.insert(records, vectors, e.id());
            search.added(ids, records, vectors, e);
            return ids;
        }
    }

    /** Counts factors tried on a data set that were not stored (the stored ones count themselves). */
    public synchronized void addTrials(String datasetKey, long n) {
        try {
            runs.addTrials(datasetKey, n);
        } catch (SQLException e) {
            throw db.failure(e);
        }
    }

    /**
     * Counts looks at a data set's valid split that stored no factor: a combined signal, a baseline's. A stored
     * factor with valid statistics counts itself.
     */
    public synchronized void addValidLooks(String datasetKey, long n) {
        db.inTransaction(() -> {
            runs.addValidLooks(datasetKey, n);
            return null;
        });
    }

    /** Looks at a data set's valid split so far: the family the valid gate adjusts its evidence for. */
    public synchronized long validLooks(String datasetKey) {
        return runs.validLooks(datasetKey);
    }

    /**
     * What each stored look at a data set's valid split saw, in id order: the factor's train and valid rank IC and
     * valid t-statistic, from which a caller computes the family's p-values.
     */
    public synchronized List<Look> looks(String datasetKey) {
        return factors.looks(datasetKey);
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
        return runs.trials(datasetKey);
    }

    /** Creates or replaces a run (one transaction). */
    public synchronized void saveRun(RunRecord r) {
        runs.saveRun(r);
    }

    public synchronized Optional<RunRecord> run(String id) {
        return runs.run(id);
    }

    /** All runs, newest first. */
    public synchronized List<RunRecord> runs() {
        return runs.runs();
    }

    /** Whether anything (a factor, a run or a count of trials) is filed under this data set key. */
    public synchronized boolean holds(String datasetKey) {
        return runs.holds(datasetKey);
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
        int n = runs.renameDataset(from, to);
        if (n > 0) {
            search.invalidate();
        }
        return n;
    }

    /** The key a data set is filed under now: where {@link #renameDataset} moved {@code key}, or {@code key}. */
    public synchronized String currentDatasetKey(String key) {
        return runs.currentDatasetKey(key);
    }

    /** Deletes a run and its factors in one transaction; returns the number of factors deleted. */
    public synchronized int deleteRun(String runId) {
        int n = runs.deleteRun(runId);
        search.invalidate();
        return n;
    }

    /**
     * Records test statistics for a factor: only for the sanctioned moments when a user unsealed the test split
     * (an explicit {@code --include-test}, or the final report of a finished run).
     */
    public synchronized void setTestStats(long id, Stats test) {
        factors.setTestStats(id, test);
    }

    /**
     * Deletes a run's factors with an id above {@code lastKept}: the steps of a candidate that a crash interrupted,
     * so that a resumed run redoes that candidate from its start. Returns the number deleted.
     */
    public synchronized int deleteRunFactorsAfter(String runId, long lastKept) {
        int n = factors.deleteRunFactorsAfter(runId, lastKept);
        if (n > 0) {
            search.invalidate();
        }
        return n;
    }

    // ------------------------------------------------------------------------------------------------- reading

    public synchronized Optional<FactorRecord> get(long id) {
        return factors.get(id);
    }

    /** Exact duplicates: every stored factor with this canonical hash, oldest first. */
    public synchronized List<FactorRecord> byHash(String hash) {
        return factors.byHash(hash);
    }

    /** A run's records without a canonical hash (formulas that did not parse, Writer failures); run null: no run. */
    synchronized List<FactorRecord> unhashed(String runId) {
        return factors.unhashed(runId);
    }

    /** The largest factor id stored (0 when empty): new factors get larger ones. */
    public synchronized long lastId() {
        return factors.lastId();
    }

    public synchronized long count() {
        return factors.count();
    }

    /** How {@link #list} orders factors. */
    public enum Sort {
        RANK_IC("valid_rank_ic DESC NULLS LAST, id"), CREATED("created_at DESC, id DESC"),
        SCORE("judge_score DESC NULLS LAST, id"), ID("id"), ID_DESC("id DESC");

        private final String orderBy;

        Sort(String orderBy) {
            this.orderBy = orderBy;
        }

        String orderBy() {
            return orderBy;
        }
    }

    /** Factors passing the filter, in the given order, at most {@code limit}. */
    public synchronized List<FactorRecord> list(Filter f, Sort sort, int limit) {
        return factors.list(f, sort, limit);
    }

    /** Ancestors of a factor through parent ids, nearest first (stops at a missing parent or a cycle). */
    public synchronized List<FactorRecord> lineage(long id) {
        return factors.lineage(id);
    }

    /** Factors derived from this one. */
    public synchronized List<FactorRecord> children(long id) {
        return factors.children(id);
    }

    // ------------------------------------------------------------------------------------------------ searching

    /** The k factors semantically nearest to a text (cosine over embeddings), best first. */
    public List<Hit> search(String text, int k, Filter f) {
        return search.search(text, k, f);
    }

    /** The k factors semantically nearest to a stored one (itself excluded). */
    public List<Hit> similar(long id, int k, Filter f) {
        return search.similar(id, k, f);
    }

    /**
     * For the Writer: the k best accepted factors near an idea: the 5k semantically nearest, then ordered by
     * train rank IC (the split the search runs on; valid only gates).
     */
    public List<Hit> bestNear(String idea, int k, String datasetKey) {
        return search.bestNear(idea, k, datasetKey);
    }

    /**
     * As {@link #bestNear(String, int, String)}, among the factors with an id up to {@code upToId}: what the
     * knowledge base held when a mining round started, so a resumed run retrieves what it retrieved before.
     */
    public List<Hit> bestNear(String idea, int k, String datasetKey, long upToId) {
        return search.bestNear(idea, k, datasetKey, upToId);
    }

    /** For the Writer: the k rejected or invalid factors nearest to an idea, with their reasons. */
    public List<Hit> failuresNear(String idea, int k, String datasetKey) {
        return search.failuresNear(idea, k, datasetKey);
    }

    /** As {@link #failuresNear(String, int, String)}, among the factors with an id up to {@code upToId}. */
    public List<Hit> failuresNear(String idea, int k, String datasetKey, long upToId) {
        return search.failuresNear(idea, k, datasetKey, upToId);
    }

    /**
     * Structural overlap: the k accepted factors (of a data set, or all if null) sharing the largest operator
     * sub-tree with the candidate; the score is the shared sub-tree's node count.
     */
    public synchronized List<Hit> structuralOverlap(Factor candidate, String datasetKey, int k) {
        return search.structuralOverlap(candidate, datasetKey, k);
    }

    // ----------------------------------------------------------------------------------------------- aggregates

    /** Success rate by operator family: a factor counts once for each family among its operators. */
    public synchronized List<GroupRate> successByFamily() {
        return aggregates.successByFamily();
    }

    /** Success rate per run (null run: factors stored outside a run). */
    public synchronized List<GroupRate> successByRun() {
        return aggregates.successByRun();
    }

    /** Success rate per writer ({@code kind/model}). */
    public synchronized List<GroupRate> successByWriter() {
        return aggregates.successByWriter();
    }

    /** Counts of factors by status. */
    public synchronized Map<Status, Long> countByStatus() {
        return aggregates.countByStatus();
    }

    /** Trials per data set. */
    public synchronized Map<String, Long> trialsByDataset() {
        return aggregates.trialsByDataset();
    }
}
