package dev.quantagent.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Results of expensive sub-expressions (time-series, cross-sectional and group operators) over one panel, kept
 * across formulas: a mining run evaluates thousands of formulas on one panel, and a refinement usually keeps most of
 * its parent's sub-trees. Least recently used entries are dropped beyond a memory bound. Cached arrays are shared and
 * never written to. Thread-safe: the evaluators of one run share one cache.
 */
public final class SubexpressionCache {

    private final long maxBytes;
    private final Map<String, double[]> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    /** @param maxBytes memory the cached results may take */
    public SubexpressionCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    synchronized double[] get(String key) {
        double[] v = entries.get(key);
        if (v == null) {
            misses++;
        } else {
            hits++;
        }
        return v;
    }

    /** @return whether the cache took the array (then it is shared and must never be written again) */
    synchronized boolean put(String key, double[] values) {
        long size = 8L * values.length;
        if (size > maxBytes || entries.containsKey(key)) {
            return false;
        }
        entries.put(key, values);
        bytes += size;
        var it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            double[] dropped = it.next().getValue();
            bytes -= 8L * dropped.length;
            it.remove();
        }
        return true;
    }

    /** Share of lookups that found a result. */
    public synchronized double hitRate() {
        return hits + misses == 0 ? 0 : (double) hits / (hits + misses);
    }

    public synchronized long bytes() {
        return bytes;
    }
}
