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
        final int[] keys;
        final int[] keysOut;
        final int[] position;
        final int[] positionOut;
        final int[] counts = new int[4 * 256];

        Scratch(int assets) {
            sorted = new double[assets];
            groupRow = new double[assets];
            keys = new int[assets];
            keysOut = new int[assets];
            position = new int[assets];
            positionOut = new int[assets];
        }
    }

    /**
     * Percentile ranks per date: the date's present values are sorted with their asset ids by a branch-free radix
     * sort (comparison sorts lose most of their time to mispredicted branches on this many small sorts), then ranks
     * are assigned in one pass, ties getting their average rank.
     */
    static void rank(double[] x, double[] out, int dates, int assets, double[] rowMajor, Scratch s, Deadline dl) {
        // Work date by date on a transposed copy: each date's values are then contiguous instead of 10 kB apart.
        transpose(x, rowMajor, assets, dates);
        for (int t = 0; t < dates; t++) {
            if ((t & 63) == 0) {
                dl.check();
            }
            rankRow(rowMajor, t * assets, assets, s);
        }
        transpose(rowMajor, out, dates, assets);
    }

    /**
     * Replaces row[from .. from+len) by percentile ranks in place (NaN stays NaN). Present values are radix-sorted
     * by their float keys carrying their positions; within each run of equal keys the exact double order is
     * restored by insertion sort, and the run's ranks are written at once (a run's positions are read before they
     * are written and belong to no other run, so working in place is safe).
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
        int[] pos = s.position;
        int[] counts = s.counts;
        java.util.Arrays.fill(counts, 0);
        int n = 0;
        for (int a = 0; a < len; a++) {
            double v = row[from + a];
            if (v != v) {
                continue;
            }
            // v + 0.0 turns -0.0 into 0.0: they are equal, so they must get the same key and share a rank
            int b = Float.floatToRawIntBits((float) (v + 0.0));
            b ^= (b >> 31) | Integer.MIN_VALUE;
            keys[n] = b;
            pos[n++] = from + a;
            counts[b & 0xFF]++;
            counts[256 | ((b >>> 8) & 0xFF)]++;
            counts[512 | ((b >>> 16) & 0xFF)]++;
            counts[768 | (b >>> 24)]++;
        }
        if (n == 0) {
            return;
        }
        int[] src = keys;
        int[] dst = s.keysOut;
        int[] srcPos = pos;
        int[] dstPos = s.positionOut;
        for (int p = 0; p < 4; p++) {
            int base = p << 8;
            int shift = p << 3;
            if (counts[base + ((src[0] >>> shift) & 0xFF)] == n) {
                continue; // every key has this byte
            }
            int sum = 0;
            for (int d = 0; d < 256; d++) {
                int c = counts[base + d];
                counts[base + d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int k = src[i];
                int at = counts[base + ((k >>> shift) & 0xFF)]++;
                dst[at] = k;
                dstPos[at] = srcPos[i];
            }
            int[] t = src;
            src = dst;
            dst = t;
            t = srcPos;
            srcPos = dstPos;
            dstPos = t;
        }
        double count = n;
        int i = 0;
        while (i < n) {
            int j = i + 1;
            while (j < n && src[j] == src[i]) {
                j++;
            }
            if (j - i == 1) {
                row[srcPos[i]] = (i + 1) / count;
                if (less != null) {
                    less[srcPos[i]] = i;
                }
            } else {
                // exact order inside the run, then average ranks over groups of equal doubles
                for (int k = i + 1; k < j; k++) {
                    int q = srcPos[k];
                    double v = row[q];
                    int m = k - 1;
                    while (m >= i && row[srcPos[m]] > v) {
                        srcPos[m + 1] = srcPos[m];
                        m--;
                    }
                    srcPos[m + 1] = q;
                }
                int g = i;
                while (g < j) {
                    int h = g + 1;
                    double v = row[srcPos[g]];
                    while (h < j && row[srcPos[h]] == v) {
                        h++;
                    }
                    double pct = (g + 1 + h) / 2.0 / count;
                    for (int k = g; k < h; k++) {
                        row[srcPos[k]] = pct;
                        if (less != null) {
                            less[srcPos[k]] = g;
                        }
                    }
                    g = h;
                }
            }
            i = j;
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

    /** (x - mean) / sample standard deviation per date; NaN with fewer than 2 values or no dispersion. */
    static void zscore(double[] x, double[] out, int dates, int assets, Deadline dl) {
        for (int t = 0; t < dates; t++) {
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

    /** scale * x / sum(|x|) per date; NaN where the sum is 0. */
    static void scale(double[] x, double[] out, int dates, int assets, double scale, Deadline dl) {
        for (int t = 0; t < dates; t++) {
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

    enum GroupOp { NEUTRALIZE, RANK, ZSCORE }

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
