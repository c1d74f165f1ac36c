package dev.quantagent.sandbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Market data as a dates x assets panel. Each field is one {@code double[]} in asset-major (column-major) order: the
 * cell of asset a on date t is at {@code a * dateCount() + t}, so an asset's history is contiguous, which is what the
 * time-series kernels stream over. NaN is the missing value. Dates are epoch seconds (UTC), strictly increasing.
 *
 * <p>A panel is immutable; fields derived from it ({@code returns}, {@code vwap}, {@code adv20}) are computed once
 * and cached on it, so many formulas evaluated over one panel share them.
 */
public final class Panel {

    /** The widest cross-section a panel may have (any real universe is far smaller). */
    public static final int MAX_ASSETS = 1 << 16;

    private final long[] dates;
    private final String[] symbols;
    private final Map<String, double[]> fields;
    private final Map<String, int[]> groups;
    private final Map<String, List<String>> groupLabels;
    private final Map<String, double[]> derived = new ConcurrentHashMap<>();
    private final boolean daily;

    private Panel(long[] dates, String[] symbols, Map<String, double[]> fields, Map<String, int[]> groups,
                  Map<String, List<String>> groupLabels) {
        this.dates = dates;
        this.symbols = symbols;
        this.fields = fields;
        this.groups = groups;
        this.groupLabels = groupLabels;
        boolean midnight = true;
        for (long d : dates) {
            if (Math.floorMod(d, 86_400L) != 0) {
                midnight = false;
                break;
            }
        }
        this.daily = midnight;
    }

    public static Builder builder(long[] dates, String[] symbols) {
        return new Builder(dates, symbols);
    }

    public int dateCount() {
        return dates.length;
    }

    public int assetCount() {
        return symbols.length;
    }

    /** Number of cells, dates x assets. */
    public int cells() {
        return dates.length * symbols.length;
    }

    /** Epoch seconds (UTC) of date index t. */
    public long date(int t) {
        return dates[t];
    }

    /** The date as users wrote it: {@code 2013-02-08} for daily data, ISO instants otherwise. */
    public String dateLabel(int t) {
        Instant i = Instant.ofEpochSecond(dates[t]);
        return daily ? i.atOffset(ZoneOffset.UTC).toLocalDate().toString() : i.toString();
    }

    public String symbol(int a) {
        return symbols[a];
    }

    /** Field names of the data, lower case, in the order they were added. */
    public Set<String> fieldNames() {
        return Collections.unmodifiableSet(fields.keySet());
    }

    public boolean hasField(String name) {
        return fields.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The backing array of a data field, shared and not copied (panels are large): callers must not modify it.
     *
     * @throws IllegalArgumentException if the data has no such field
     */
    public double[] column(String name) {
        double[] c = fields.get(name.toLowerCase(Locale.ROOT));
        if (c == null) {
            throw new IllegalArgumentException("the data has no field '" + name + "' (has: " + fields.keySet() + ")");
        }
        return c;
    }

    /** The value of a field for asset a on date index t. */
    public double value(String field, int t, int a) {
        return column(field)[a * dates.length + t];
    }

    /** Names of the groupings (e.g. sector, industry), lower case. */
    public Set<String> groupNames() {
        return Collections.unmodifiableSet(groups.keySet());
    }

    /** Group index of each asset for a grouping (-1 where unknown), or null if the grouping is absent. */
    int[] groupIds(String grouping) {
        return groups.get(grouping);
    }

    /** Group labels of a grouping, indexed by group id. */
    public List<String> groupLabels(String grouping) {
        return groupLabels.getOrDefault(grouping, List.of());
    }

    /** Label of asset a's group in a grouping, or null when unknown. */
    public String groupOf(String grouping, int a) {
        int[] ids = groups.get(grouping.toLowerCase(Locale.ROOT));
        return ids == null || ids[a] < 0 ? null : groupLabels.get(grouping.toLowerCase(Locale.ROOT)).get(ids[a]);
    }

    boolean hasDerived(String key) {
        return derived.containsKey(key);
    }

    /** Derived field cache: computed once per panel and name. */
    double[] derived(String key, Function<String, double[]> compute) {
        double[] v = derived.get(key);
        if (v == null) {
            v = compute.apply(key);
            double[] raced = derived.putIfAbsent(key, v);
            if (raced != null) {
                v = raced;
            }
        }
        return v;
    }

    /** Assembles a panel; checks shapes, so a panel is always consistent. */
    public static final class Builder {
        private final long[] dates;
        private final String[] symbols;
        private final Map<String, double[]> fields = new LinkedHashMap<>();
        private final Map<String, int[]> groups = new LinkedHashMap<>();
        private final Map<String, List<String>> groupLabels = new LinkedHashMap<>();

        private Builder(long[] dates, String[] symbols) {
            if (dates.length == 0 || symbols.length == 0) {
                throw new IllegalArgumentException("a panel needs at least one date and one asset");
            }
            for (int t = 1; t < dates.length; t++) {
                if (dates[t] <= dates[t - 1]) {
                    throw new IllegalArgumentException("dates must be strictly increasing (index " + t + ")");
                }
            }
            if (symbols.length > MAX_ASSETS) {
                // cross-sectional ranking packs asset offsets into 16 bits of its sort keys (CrossSectionKernels)
                throw new IllegalArgumentException("a panel holds at most " + MAX_ASSETS + " assets, got "
                        + symbols.length);
            }
            if ((long) dates.length * symbols.length > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("panel of " + dates.length + " dates x " + symbols.length
                        + " assets is too large");
            }
            this.dates = dates.clone();
            this.symbols = symbols.clone();
        }

        /**
         * Adds a field; values are asset-major ({@code a * dates + t}) and taken over without copying. NaN is a
         * missing value; an infinity is refused, so that kernels can rely on finite-or-NaN inputs.
         */
        public Builder field(String name, double[] values) {
            String key = name.toLowerCase(Locale.ROOT);
            if (values.length != dates.length * symbols.length) {
                throw new IllegalArgumentException("field '" + name + "' has " + values.length + " cells, expected "
                        + dates.length * symbols.length);
            }
            for (int i = 0; i < values.length; i++) {
                if (Double.isInfinite(values[i])) {
                    int t = i % dates.length;
                    throw new IllegalArgumentException("field '" + name + "' is infinite for " + symbols[i / dates.length]
                            + " at date index " + t + " (" + Instant.ofEpochSecond(dates[t])
                            + "); infinity is not a market value, write NaN for a missing one");
                }
            }
            if (fields.putIfAbsent(key, values) != null) {
                throw new IllegalArgumentException("field '" + name + "' was given twice");
            }
            return this;
        }

        /**
         * Adds a grouping (e.g. sector) from each asset's label; null or blank labels mean unknown.
         */
        public Builder grouping(String name, String[] labelPerAsset) {
            if (labelPerAsset.length != symbols.length) {
                throw new IllegalArgumentException("grouping '" + name + "' has " + labelPerAsset.length
                        + " labels, expected " + symbols.length);
            }
            Map<String, Integer> ids = new LinkedHashMap<>();
            int[] idOf = new int[symbols.length];
            for (int a = 0; a < symbols.length; a++) {
                String label = labelPerAsset[a];
                idOf[a] = label == null || label.isBlank() ? -1 : ids.computeIfAbsent(label, k -> ids.size());
            }
            String key = name.toLowerCase(Locale.ROOT);
            groups.put(key, idOf);
            groupLabels.put(key, List.copyOf(ids.keySet()));
            return this;
        }

        public Panel build() {
            return new Panel(dates, symbols, new LinkedHashMap<>(fields), new LinkedHashMap<>(groups),
                    new LinkedHashMap<>(groupLabels));
        }
    }
}
