package dev.quantagent.knowledge;

import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Sandbox;
import dev.quantagent.sandbox.Subtrees;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Semantic search (cosine over the vectors of the current embedder, held in memory and loaded on first search) and
 * structural overlap (shared operator sub-trees). The model runs outside the lock; the index and the tables are used
 * under it.
 */
final class VectorSearch {

    private final Database db;
    private final FactorTable factors;
    private final Supplier<Embedder> embedders;
    private final Sandbox sandbox;
    private final Object lock;
    private VectorIndex index;
    private final Map<String, Map<String, Integer>> subtrees = new HashMap<>();

    VectorSearch(Database db, FactorTable factors, Supplier<Embedder> embedders, Sandbox sandbox, Object lock) {
        this.db = db;
        this.factors = factors;
        this.embedders = embedders;
        this.sandbox = sandbox;
        this.lock = lock;
    }

    /** Factors were moved or deleted: the index is rebuilt on the next search. Under the lock. */
    void invalidate() {
        index = null;
    }

    /** Factors were stored with these vectors: a loaded index of their embedder takes them in. Under the lock. */
    void added(List<Long> ids, List<FactorRecord> records, List<float[]> vectors, Embedder e) {
        if (index != null && index.dimensionMatches(e)) {
            for (int i = 0; i < records.size(); i++) {
                FactorRecord r = records.get(i);
                index.add(ids.get(i), r.status(), r.runId(), r.datasetKey(), vectors.get(i));
            }
        }
    }

    private Optional<FactorRecord> get(long id) {
        synchronized (lock) {
            return factors.get(id);
        }
    }

    /** The k factors semantically nearest to a text (cosine over embeddings), best first. */
    List<Hit> search(String text, int k, Filter f) {
        float[] q = embedders.get().embed(text);
        return nearest(q, k, f, -1);
    }

    /** The k factors semantically nearest to a stored one (itself excluded). */
    List<Hit> similar(long id, int k, Filter f) {
        VectorIndex ix = index();
        float[] q;
        synchronized (lock) {
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
    List<Hit> bestNear(String idea, int k, String datasetKey) {
        return bestNear(idea, k, datasetKey, Long.MAX_VALUE);
    }

    /**
     * As {@link #bestNear(String, int, String)}, among the factors with an id up to {@code upToId}: what the
     * knowledge base held when a mining round started, so a resumed run retrieves what it retrieved before.
     */
    List<Hit> bestNear(String idea, int k, String datasetKey, long upToId) {
        List<Hit> near = search(idea, 5 * k, Filter.accepted().withDataset(datasetKey).upTo(upToId));
        return near.stream().sorted(Comparator.comparingDouble((Hit h) -> -rankIc(h.factor()))).limit(k).toList();
    }

    /** For the Writer: the k rejected or invalid factors nearest to an idea, with their reasons. */
    List<Hit> failuresNear(String idea, int k, String datasetKey) {
        return failuresNear(idea, k, datasetKey, Long.MAX_VALUE);
    }

    /** As {@link #failuresNear(String, int, String)}, among the factors with an id up to {@code upToId}. */
    List<Hit> failuresNear(String idea, int k, String datasetKey, long upToId) {
        return search(idea, k, Filter.failures().withDataset(datasetKey).upTo(upToId));
    }

    private static double rankIc(FactorRecord r) {
        double v = r.train() == null ? Double.NaN : r.train().rankIc();
        return v == v ? v : Double.NEGATIVE_INFINITY;
    }

    private List<Hit> nearest(float[] q, int k, Filter f, long exclude) {
        VectorIndex ix = index();
        VectorIndex.Top top;
        synchronized (lock) {
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
        synchronized (lock) {
            if (index == null || !index.dimensionMatches(e)) {
                VectorIndex ix = new VectorIndex(e.dimension(), e.id());
                try (PreparedStatement p = db.prepare("SELECT id, status, run_id, dataset_key, embedding "
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
                    throw db.failure(ex);
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
    List<Hit> structuralOverlap(Factor candidate, String datasetKey, int k) {
        Map<String, Integer> mine = Subtrees.of(candidate);
        List<long[]> scored = new ArrayList<>();
        String sql = "SELECT id, canonical, hash FROM factors WHERE status = 'accepted' AND canonical IS NOT NULL"
                + (datasetKey == null ? "" : " AND dataset_key = ?");
        try (PreparedStatement p = db.prepare(sql)) {
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
            throw db.failure(e);
        }
        scored.sort(Comparator.comparingLong((long[] a) -> -a[1]).thenComparingLong(a -> a[0]));
        List<Hit> out = new ArrayList<>();
        for (long[] s : scored.subList(0, Math.min(k, scored.size()))) {
            factors.get(s[0]).ifPresent(r -> out.add(new Hit(r, s[1])));
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

}
