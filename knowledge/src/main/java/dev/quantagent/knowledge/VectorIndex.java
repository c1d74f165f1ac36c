package dev.quantagent.knowledge;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * All vectors of one embedder in one flat float[] (row i at i * dim), with the columns filters need, for an
 * exhaustive top-k scan: at 100,000 factors that is 38 M multiply-adds, well under the 20 ms budget, and simpler
 * and exact compared with an approximate index.
 */
final class VectorIndex {

    private final int dim;
    private final String embedder;
    private long[] ids = new long[1024];
    private byte[] status = new byte[1024];
    private int[] run = new int[1024];
    private int[] dataset = new int[1024];
    private float[] vectors;
    private int size;
    private final Map<String, Integer> codes = new HashMap<>();

    VectorIndex(int dim, String embedder) {
        this.dim = dim;
        this.embedder = embedder;
        this.vectors = new float[1024 * dim];
    }

    boolean dimensionMatches(Embedder e) {
        return e.dimension() == dim && e.id().equals(embedder);
    }

    int size() {
        return size;
    }

    /** Adds a row whose vector is read from bytes; rows with a vector of the wrong size are skipped. */
    void add(long id, Status s, String runId, String datasetKey, byte[] encoded) {
        grow();
        if (Vectors.decode(encoded, vectors, size * dim, dim)) {
            put(id, s, runId, datasetKey);
        }
    }

    void add(long id, Status s, String runId, String datasetKey, float[] v) {
        if (v.length != dim) {
            return;
        }
        grow();
        System.arraycopy(v, 0, vectors, size * dim, dim);
        put(id, s, runId, datasetKey);
    }

    /** The vector of a stored factor, or null. */
    float[] vector(long id) {
        for (int i = 0; i < size; i++) {
            if (ids[i] == id) {
                return Arrays.copyOfRange(vectors, i * dim, (i + 1) * dim);
            }
        }
        return null;
    }

    /** Ids of the k rows most similar to q that pass the filter (excluding {@code exclude}), best first. */
    Top top(float[] q, int k, Filter f, long exclude) {
        long[] bestIds = new long[k];
        float[] best = new float[k];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        int found = 0;
        int wantRun = f.runId() == null ? -1 : codes.getOrDefault(f.runId(), -2);
        int wantData = f.datasetKey() == null ? -1 : codes.getOrDefault(f.datasetKey(), -2);
        long maxId = f.maxId();
        if (wantRun == -2 || wantData == -2 || k <= 0) {
            return new Top(new long[0], new float[0]);
        }
        boolean[] allowed = new boolean[Status.values().length];
        for (Status s : Status.values()) {
            allowed[s.ordinal()] = f.allows(s);
        }
        for (int i = 0; i < size; i++) {
            if (!allowed[status[i]] || (wantRun >= 0 && run[i] != wantRun)
                    || (wantData >= 0 && dataset[i] != wantData) || ids[i] == exclude || ids[i] > maxId) {
                continue;
            }
            float s = Vectors.dot(q, vectors, i * dim);
            if (s <= best[k - 1]) {
                continue;
            }
            int j = Math.min(found, k - 1);
            while (j > 0 && best[j - 1] < s) {
                best[j] = best[j - 1];
                bestIds[j] = bestIds[j - 1];
                j--;
            }
            best[j] = s;
            bestIds[j] = ids[i];
            found = Math.min(found + 1, k);
        }
        return new Top(Arrays.copyOf(bestIds, found), Arrays.copyOf(best, found));
    }

    /** Ids and similarities, best first. */
    record Top(long[] ids, float[] scores) {
    }

    private void put(long id, Status s, String runId, String datasetKey) {
        ids[size] = id;
        status[size] = (byte) s.ordinal();
        run[size] = code(runId);
        dataset[size] = code(datasetKey);
        size++;
    }

    private int code(String s) {
        return s == null ? -3 : codes.computeIfAbsent(s, x -> codes.size());
    }

    private void grow() {
        if (size < ids.length) {
            return;
        }
        int n = ids.length * 2;
        ids = Arrays.copyOf(ids, n);
        status = Arrays.copyOf(status, n);
        run = Arrays.copyOf(run, n);
        dataset = Arrays.copyOf(dataset, n);
        vectors = Arrays.copyOf(vectors, n * dim);
    }
}
