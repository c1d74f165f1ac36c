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
        final int[] index;
        final int[] order;
        final int[] absent;

        Scratch(int assets) {
            sorted = new double[assets];
            index = new int[assets];
            order = new int[assets];
            absent = new int[assets];
        }
    }

    /**
     * Percentile ranks per date. Each date starts from the previous date's order of assets, which for prices,
     * volumes and smoothed signals is nearly sorted already: an insertion sort finishes it in close to linear time.
     * When the order has changed a lot (returns, differences), the insertion sort gives up after a budget of moves
     * and a quicksort of (value, asset) pairs takes over. Ranks are then assigned in one pass over the sorted values.
     */
    static void rank(double[] x, double[] out, int dates, int assets, double[] rowMajor, Scratch s, Deadline dl) {
        // Work date by date on a transposed copy: each date's values are then contiguous instead of 10 kB apart.
        transpose(x, rowMajor, assets, dates);
        int[] order = s.order;
        for (int a = 0; a < assets; a++) {
            order[a] = a;
        }
        double[] vals = s.sorted;
        int[] idx = s.index;
        int[] absent = s.absent;
        for (int t = 0; t < dates; t++) {
            if ((t & 63) == 0) {
                dl.check();
            }
            int row = t * assets;
            int n = 0;
            int m = 0;
            for (int k = 0; k < assets; k++) {
                int a = order[k];
                double v = rowMajor[row + a];
                if (v == v) {
                    vals[n] = v;
                    idx[n++] = a;
                } else {
                    absent[m++] = a;
                }
            }
            sortPairs(vals, idx, n);
            assignRanks(vals, idx, n, rowMajor, row); // missing cells keep their NaN
            System.arraycopy(idx, 0, order, 0, n);
            System.arraycopy(absent, 0, order, n, m);
        }
        transpose(rowMajor, out, dates, assets);
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

    /** Writes average-rank percentiles of sorted vals (asset ids in idx) into out[row + asset]. */
    private static void assignRanks(double[] vals, int[] idx, int n, double[] out, int row) {
        int i = 0;
        while (i < n) {
            int j = i + 1;
            while (j < n && vals[j] == vals[i]) {
                j++;
            }
            double pct = (i + 1 + j) / 2.0 / n; // positions i+1..j share their mean rank
            for (int k = i; k < j; k++) {
                out[row + idx[k]] = pct;
            }
            i = j;
        }
    }

    /** Sorts vals[0..n) ascending, carrying idx along: adaptive insertion sort, quicksort past a move budget. */
    static void sortPairs(double[] vals, int[] idx, int n) {
        long budget = 4L * n + 64;
        for (int i = 1; i < n; i++) {
            double v = vals[i];
            int id = idx[i];
            int j = i - 1;
            while (j >= 0 && vals[j] > v) {
                vals[j + 1] = vals[j];
                idx[j + 1] = idx[j];
                j--;
            }
            vals[j + 1] = v;
            idx[j + 1] = id;
            budget -= i - 1 - j;
            if (budget < 0) {
                quicksort(vals, idx, 0, n - 1);
                return;
            }
        }
    }

    private static void quicksort(double[] v, int[] id, int lo, int hi) {
        while (hi - lo > 24) {
            int mid = (lo + hi) >>> 1;
            // median of three as pivot
            if (v[mid] < v[lo]) {
                swap(v, id, mid, lo);
            }
            if (v[hi] < v[lo]) {
                swap(v, id, hi, lo);
            }
            if (v[hi] < v[mid]) {
                swap(v, id, hi, mid);
            }
            double pivot = v[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (v[i] < pivot) {
                    i++;
                }
                while (v[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(v, id, i, j);
                    i++;
                    j--;
                }
            }
            // recurse into the smaller side, loop on the larger: stack depth stays logarithmic
            if (j - lo < hi - i) {
                quicksort(v, id, lo, j);
                lo = i;
            } else {
                quicksort(v, id, i, hi);
                hi = j;
            }
        }
        for (int i = lo + 1; i <= hi; i++) {
            double x = v[i];
            int d = id[i];
            int j = i - 1;
            while (j >= lo && v[j] > x) {
                v[j + 1] = v[j];
                id[j + 1] = id[j];
                j--;
            }
            v[j + 1] = x;
            id[j + 1] = d;
        }
    }

    private static void swap(double[] v, int[] id, int i, int j) {
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
        int u = id[i];
        id[i] = id[j];
        id[j] = u;
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
                    Arrays.sort(s.sorted, 0, n);
                    for (int a : group) {
                        int i = a * dates + t;
                        double v = x[i];
                        out[i] = v == v ? percentile(s.sorted, n, v) : Double.NaN;
                    }
                }
            }
        }
    }
}
