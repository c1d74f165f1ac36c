package dev.quantagent.sandbox;

import java.util.Arrays;

/**
 * Per-date kernels across assets (and within groups of assets). Missing values take no part and stay missing.
 * Percentile ranks are average ranks of ties divided by the count of present values, so they lie in (0, 1].
 */
final class CrossSectionKernels {

    private CrossSectionKernels() {
    }

    /** Scratch space for one evaluation thread, sized for the panel's assets. */
    static final class Scratch {
        final double[] sorted;
        final double[] groupRow;
        final double[] dateBlock;
        final int[] keys;
        final int[] keysOut;
        final int[] position;
        final int[] counts = new int[2 * 256];

        Scratch(int assets) {
            if (assets > Panel.MAX_ASSETS) {
                // rankRow packs asset offsets into the low 16 bits of its sort keys
                throw new IllegalArgumentException("a cross-section holds at most " + Panel.MAX_ASSETS
                        + " assets, got " + assets);
            }
            sorted = new double[assets];
            groupRow = new double[assets];
            dateBlock = new double[DATE_BLOCK * assets];
            keys = new int[assets];
            keysOut = new int[assets];
            position = new int[assets];
        }
    }

    /** Dates ranked per block: 16 rows of 505 assets (64 kB) stay in L2 between the copy in and the copy out. */
    static final int DATE_BLOCK = 16;

    /**
     * Percentile ranks per date, of the dates [from, to). Panels are asset-major, so a date's values lie 8 x dates
     * bytes apart: a block of dates is copied into contiguous rows (each asset's slice of the block is one or two cache
     * lines), ranked row by row, and copied back; no full-panel transpose goes through memory.
     */
    static void rank(double[] x, double[] out, int dates, int assets, int from, int to, Scratch s, Deadline dl) {
        double[] rows = s.dateBlock;
        for (int t0 = from; t0 < to; t0 += DATE_BLOCK) {
            dl.check();
            int b = Math.min(DATE_BLOCK, to - t0);
            for (int a = 0; a < assets; a++) {
                int at = a * dates + t0;
                for (int j = 0; j < b; j++) {
                    rows[j * assets + a] = x[at + j];
                }
            }
            for (int j = 0; j < b; j++) {
                rankRow(rows, j * assets, assets, s);
            }
            for (int a = 0; a < assets; a++) {
                int at = a * dates + t0;
                for (int j = 0; j < b; j++) {
                    out[at + j] = rows[j * assets + a];
                }
            }
        }
    }

    /**
     * Replaces row[from .. from+len) by percentile ranks in place (NaN stays NaN).
     *
     * <p>Present values are sorted by a branch-free radix sort (comparison sorts lose most of their time to
     * mispredicted branches on this many small sorts) of 16-bit keys packed with their offsets into one int: the
     * keys are the top 16 varying bits of the values' order-preserving float bits, so at most two passes. Values
     * that share a key (close or equal values) are put in exact double order afterwards, and ties get their
     * average rank. Ranks are written in place: a run's offsets are read before they are written and belong to no
     * other run.
     */
    static void rankRow(double[] row, int from, int len, Scratch s) {
        rankRow(row, from, len, s, null);
    }

    /**
     * As {@link #rankRow(double[], int, int, Scratch)}; when {@code less} is given, also writes at each present
     * value's position the number of present values strictly less than it (for quantile bins that keep ties
     * together).
     */
    static void rankRow(double[] row, int from, int len, Scratch s, double[] less) {
        int[] keys = s.keys;
        int n = 0;
        int smallest = Integer.MAX_VALUE; // smallest non-zero magnitude, as float bits
        for (int a = 0; a < len; a++) {
            double v = row[from + a];
            if (v != v) {
                continue;
            }
            // v + 0.0 turns -0.0 into 0.0: they are equal, so they must get the same key and share a rank
            int b = Float.floatToRawIntBits((float) (v + 0.0));
            int magnitude = b & Integer.MAX_VALUE;
            smallest = Math.min(smallest, magnitude | (((magnitude - 1) >> 31) & Integer.MAX_VALUE));
            keys[n] = b;
            s.position[n++] = a;
        }
        if (n == 0) {
            return;
        }
        // Keys in float order with the empty band of magnitudes below the smallest one cut out: values on both sides
        // of zero would otherwise spend most of the 16 key bits on exponents nobody has (1e-38 .. 1e-3, say).
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int b = keys[i];
            int magnitude = b & Integer.MAX_VALUE;
            int k = (magnitude - smallest + 1) & ~((magnitude - 1) >> 31); // 0 stays 0
            int negative = b >> 31;
            k = (k ^ negative) - negative;
            min = Math.min(min, k);
            max = Math.max(max, k);
            keys[i] = k;
        }
        // drop the low bits below the top 16 varying ones; (b - min) as unsigned is exact, the range fits 32 bits
        int shift = Math.max(0, 16 - Integer.numberOfLeadingZeros(max - min));
        int[] counts = s.counts;
        Arrays.fill(counts, 0, 512, 0);
        int[] src = s.keysOut;
        int[] pos = s.position;
        for (int i = 0; i < n; i++) {
            int d = (keys[i] - min) >>> shift;
            src[i] = (d << 16) | pos[i];
            counts[d & 0xFF]++;
            counts[256 | (d >>> 8)]++;
        }
        int[] dst = keys;
        for (int p = 0; p < 2; p++) {
            int base = p << 8;
            int shiftDigit = 16 + (p << 3);
            if (counts[base + ((src[0] >>> shiftDigit) & 0xFF)] == n) {
                continue; // every key has this digit
            }
            int sum = 0;
            for (int d = 0; d < 256; d++) {
                int c = counts[base + d];
                counts[base + d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int k = src[i];
                dst[counts[base + ((k >>> shiftDigit) & 0xFF)]++] = k;
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        double count = n;
        int collisions = 0; // neighbours sharing a key
        for (int i = 1; i < n; i++) {
            collisions += (src[i] ^ src[i - 1]) >>> 16 == 0 ? 1 : 0;
        }
        if (collisions * 4 >= n && (n - collisions) * 4 >= n) {
            // many short runs of equal keys (differences of prices on a cents grid: exact ties and values a few ulps
            // apart): settling each run with branches mispredicts several times a run, so order them all at once
            if (orderedTail(row, from, n, src, s, less)) {
                return;
            }
        }
        int i = 0;
        while (i < n) {
            int key = src[i] >>> 16;
            int j = i + 1;
            while (j < n && src[j] >>> 16 == key) {
                j++;
            }
            if (j - i == 1) {
                int q = from + (src[i] & 0xFFFF);
                row[q] = (i + 1) / count;
                if (less != null) {
                    less[q] = i;
                }
            } else if (j - i == 2) {
                // the common collision (ties, or values equal as floats), settled without the general run code
                int q0 = from + (src[i] & 0xFFFF);
                int q1 = from + (src[i + 1] & 0xFFFF);
                double v0 = row[q0];
                double v1 = row[q1];
                boolean tie = v0 == v1;
                int lower = v0 <= v1 ? q0 : q1;
                int upper = lower == q0 ? q1 : q0;
                row[lower] = tie ? (i + 1.5) / count : (i + 1) / count;
                row[upper] = tie ? (i + 1.5) / count : (i + 2) / count;
                if (less != null) {
                    less[lower] = i;
                    less[upper] = tie ? i : i + 1;
                }
            } else {
                sortRun(row, from, src, i, j);
                int g = i;
                while (g < j) {
                    double v = row[from + (src[g] & 0xFFFF)];
                    int h = g + 1;
                    while (h < j && row[from + (src[h] & 0xFFFF)] == v) {
                        h++;
                    }
                    double pct = (g + 1 + h) / 2.0 / count;
                    for (int k = g; k < h; k++) {
                        int q = from + (src[k] & 0xFFFF);
                        row[q] = pct;
                        if (less != null) {
                            less[q] = g;
                        }
                    }
                    g = h;
                }
            }
            i = j;
        }
    }

    /**
     * Ranks from key-sorted offsets whose equal-key runs may be out of order: one insertion pass by the exact values
     * (only runs can hold inversions, and a value not below its predecessor costs one comparison), then ties grouped
     * by selects: each position's first equal value forwards, the last backwards, and the average rank written.
     *
     * @return false, having written nothing, when a long run would make the insertion pass quadratic (thousands of
     *     values crowded into one key by an outlier); the offsets are still in key order for the run-by-run path
     */
    private static boolean orderedTail(double[] row, int from, int n, int[] src, Scratch s, double[] less) {
        double[] values = s.sorted;
        int[] first = src == s.keys ? s.keysOut : s.keys; // the radix sort's other buffer, free again
        double previous = Double.NEGATIVE_INFINITY;
        int moves = 0;
        for (int i = 0; i < n; i++) {
            int k = src[i];
            double v = row[from + (k & 0xFFFF)];
            if (v >= previous) {
                values[i] = v;
                previous = v;
                continue;
            }
            int m = i - 1;
            while (m >= 0 && values[m] > v) {
                values[m + 1] = values[m];
                src[m + 1] = src[m];
                m--;
            }
            values[m + 1] = v;
            src[m + 1] = k;
            moves += i - 1 - m;
            if (moves > 8 * n) {
                return false;
            }
        }
        int start = 0;
        first[0] = 0;
        for (int i = 1; i < n; i++) {
            start = values[i] == values[i - 1] ? start : i;
            first[i] = start;
        }
        double count = n;
        int last = n - 1;
        for (int i = n - 1; i >= 0; i--) {
            int f = first[i];
            int q = from + (src[i] & 0xFFFF);
            // positions f+1 .. last+1 (1-based) hold this value; their mean is (f + last + 2) / 2
            row[q] = (f + last + 2) / 2.0 / count;
            if (less != null) {
                less[q] = f;
            }
            last = f == i ? i - 1 : last;
        }
        return true;
    }

    /**
     * Sorts packed[from .. to) (offsets into row in the low 16 bits) by the exact double values: nothing to do for
     * runs of equal values, insertion sort for short runs, Shell sort (no quadratic worst case) for long ones, e.g.
     * thousands of distinct values crowded into one key by an extreme outlier.
     */
    private static void sortRun(double[] row, int base, int[] packed, int from, int to) {
        if (to - from <= 16) {
            insertionSort(row, base, packed, from, to, 1); // linear on runs already in order
            return;
        }
        boolean sorted = true;
        double previous = row[base + (packed[from] & 0xFFFF)];
        for (int k = from + 1; k < to; k++) {
            double v = row[base + (packed[k] & 0xFFFF)];
            sorted &= previous <= v;
            previous = v;
        }
        if (sorted) {
            return; // the rule for ties (ranked integers, signs, flags): the radix sort kept them in place
        }
        int gap = 1;
        while (gap < (to - from) / 3) {
            gap = 3 * gap + 1; // Knuth's gaps 1, 4, 13, 40, ...
        }
        for (; gap > 0; gap /= 3) {
            insertionSort(row, base, packed, from, to, gap);
        }
    }

    /** One Shell-sort pass with the given gap (gap 1: insertion sort) by the exact values. */
    private static void insertionSort(double[] row, int base, int[] packed, int from, int to, int gap) {
        for (int k = from + gap; k < to; k++) {
            int q = packed[k];
            double v = row[base + (q & 0xFFFF)];
            int m = k - gap;
            while (m >= from && row[base + (packed[m] & 0xFFFF)] > v) {
                packed[m + gap] = packed[m];
                m -= gap;
            }
            packed[m + gap] = q;
        }
    }

    /** Cache-blocked transpose of a rows x cols matrix (row-major in, row-major out of the transpose). */
    static void transpose(double[] in, double[] out, int rows, int cols) {
        final int block = 32;
        for (int r0 = 0; r0 < rows; r0 += block) {
            int r1 = Math.min(rows, r0 + block);
            for (int c0 = 0; c0 < cols; c0 += block) {
                int c1 = Math.min(cols, c0 + block);
                for (int r = r0; r < r1; r++) {
                    int base = r * cols;
                    for (int c = c0; c < c1; c++) {
                        out[c * rows + r] = in[base + c];
                    }
                }
            }
        }
    }

    /** Average 1-based rank of v among sorted[0..n), divided by n. */
    static double percentile(double[] sorted, int n, double v) {
        int lo = lowerBound(sorted, n, v);
        int hi = lo + 1;
        while (hi < n && sorted[hi] == v) {
            hi++;
        }
        // positions lo+1 .. hi (1-based) hold v; their mean is (lo + 1 + hi) / 2
        return (lo + 1 + hi) / 2.0 / n;
    }

    private static int lowerBound(double[] sorted, int n, double v) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** (x - mean) / sample standard deviation per date of [from, to); NaN with fewer than 2 values or no dispersion. */
    static void zscore(double[] x, double[] out, int dates, int assets, int from, int to, Deadline dl) {
        for (int t = from; t < to; t++) {
            if ((t & 63) == 0) {
                dl.check();
            }
            int n = 0;
            double sum = 0;
            for (int a = 0; a < assets; a++) {
                double v = x[a * dates + t];
                if (v == v) {
                    n++;
                    sum += v;
                }
            }
            double mean = sum / n;
            double ss = 0;
            for (int a = 0; a < assets; a++) {
                double v = x[a * dates + t];
                if (v == v) {
                    ss += (v - mean) * (v - mean);
                }
            }
            double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0;
            for (int a = 0; a < assets; a++) {
                int i = a * dates + t;
                out[i] = sd > 0 ? Scalar.finite((x[i] - mean) / sd) : Double.NaN;
            }
        }
    }

    /** scale * x / sum(|x|) per date of [from, to); NaN where the sum is 0. */
    static void scale(double[] x, double[] out, int dates, int assets, int from, int to, double scale, Deadline dl) {
        for (int t = from; t < to; t++) {
            if ((t & 63) == 0) {
                dl.check();
            }
            double sum = 0;
            for (int a = 0; a < assets; a++) {
                double v = x[a * dates + t];
                if (v == v) {
                    sum += Math.abs(v);
                }
            }
            for (int a = 0; a < assets; a++) {
                int i = a * dates + t;
                out[i] = sum > 0 ? Scalar.finite(scale * x[i] / sum) : Double.NaN;
            }
        }
    }

    enum GroupOp implements Kernel {
        NEUTRALIZE, RANK, ZSCORE;

        /** Every date at once: groups are not shared among threads. */
        @Override
        public void run(Kernel.Inputs in, double[] out, int from, int to, Kernel.Scratch s, Deadline dl) {
            group(in.x(), out, in.dates(), in.assets(), in.members(), this, s.cross(), dl);
        }
    }

    /**
     * Group-wise operations per date. {@code members[g]} lists the assets of group g; assets in no group get NaN.
     */
    static void group(double[] x, double[] out, int dates, int assets, int[][] members, GroupOp op, Scratch s,
                      Deadline dl) {
        Arrays.fill(out, Double.NaN); // assets without a group
        for (int t = 0; t < dates; t++) {
            if ((t & 63) == 0) {
                dl.check();
            }
            for (int[] group : members) {
                int n = 0;
                double sum = 0;
                for (int a : group) {
                    double v = x[a * dates + t];
                    if (v == v) {
                        s.sorted[n++] = v;
                        sum += v;
                    }
                }
                double mean = sum / n;
                if (op == GroupOp.NEUTRALIZE) {
                    for (int a : group) {
                        int i = a * dates + t;
                        out[i] = Scalar.finite(x[i] - mean);
                    }
                } else if (op == GroupOp.ZSCORE) {
                    double ss = 0;
                    for (int k = 0; k < n; k++) {
                        ss += (s.sorted[k] - mean) * (s.sorted[k] - mean);
                    }
                    double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0.0;
                    for (int a : group) {
                        int i = a * dates + t;
                        out[i] = sd > 0 ? Scalar.finite((x[i] - mean) / sd) : Double.NaN;
                    }
                } else {
                    double[] row = s.groupRow;
                    for (int k = 0; k < group.length; k++) {
                        row[k] = x[group[k] * dates + t];
                    }
                    rankRow(row, 0, group.length, s);
                    for (int k = 0; k < group.length; k++) {
                        out[group[k] * dates + t] = row[k];
                    }
                }
            }
        }
    }
}
