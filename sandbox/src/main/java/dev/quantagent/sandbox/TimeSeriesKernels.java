package dev.quantagent.sandbox;

import java.util.Arrays;

/**
 * Per-asset rolling kernels over asset-major panels (cell of asset a, date t at {@code a * dates + t}).
 *
 * <p>Each kernel works on the assets [from, to) only, so that one call can be shared among threads.
 *
 * <p>Conventions: a window of d rows covers today and the d-1 rows before; the result is NaN unless all d values are
 * present. Rolling sums are updated in O(1) per row around an anchor value (a value of the window, which keeps
 * second moments free of cancellation) and recomputed exactly from scratch every d rows, so rounding never drifts.
 * A run of d identical values has a variance of exactly 0, as a two-pass computation would give.
 */
final class TimeSeriesKernels {

    private TimeSeriesKernels() {
    }

    static void delay(double[] x, double[] out, int dates, int from, int to, int lag, Deadline dl) {
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            int head = Math.min(lag, dates);
            Arrays.fill(out, b, b + head, Double.NaN);
            System.arraycopy(x, b, out, b + head, dates - head);
        }
    }

    /** x - delay(x, lag); the body writes Scalar.sub out (see ElementwiseKernels for why). */
    static void delta(double[] x, double[] out, int dates, int from, int to, int lag, Deadline dl) {
        int head = Math.min(lag, dates);
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            Arrays.fill(out, b, b + head, Double.NaN);
            for (int t = b + head; t < b + dates; t++) {
                double v = x[t] - x[t - lag];
                out[t] = v - (v - v);
            }
        }
    }

    enum Moment implements Kernel {
        SUM, MEAN, VAR, STD, ZSCORE;

        @Override
        public void run(Kernel.Inputs in, double[] out, int from, int to, Kernel.Scratch s, Deadline dl) {
            moments(in.x(), out, in.dates(), from, to, in.window(), this, dl);
        }
    }

    /**
     * Rolling sum, mean, sample variance, sample standard deviation, or z-score of today's value. The running sums
     * are compensated (each addition's exact rounding error is kept), so values entering and leaving leave no rounding residue behind: a window's sum is
     * as accurate as summing it afresh.
     */
    static void moments(double[] x, double[] out, int dates, int from, int to, int d, Moment m, Deadline dl) {
        boolean second = m != Moment.SUM && m != Moment.MEAN;
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            int refresh = d - 1; // rows where the window sums are recomputed from scratch
            double c = 0;
            double s1 = 0; // sum of (x - c), and its lost rounding e1
            double e1 = 0;
            double s2 = 0; // sum of (x - c)^2, and e2
            double e2 = 0;
            int nan = 0;
            int run = 0;
            for (int t = 0; t < dates; t++) {
                double v = x[b + t];
                run = t > 0 && v == x[b + t - 1] ? run + 1 : 1;
                if (t < d - 1) {
                    out[b + t] = Double.NaN;
                    continue;
                }
                boolean afresh = t == refresh;
                if (!afresh) {
                    double o = x[b + t - d];
                    // the value entering minus the value leaving, each centred; a missing one contributes nothing
                    double ui = v != v ? 0.0 : v - c;
                    double uo = o != o ? 0.0 : o - c;
                    nan += (v != v ? 1 : 0) - (o != o ? 1 : 0);
                    // add (in - out) with both roundings kept: one addition per step on the running sum's chain
                    double step1 = ui - uo;
                    double n1 = s1 + step1;
                    e1 += roundingError(ui, -uo, step1) + roundingError(s1, step1, n1);
                    s1 = n1;
                    if (second) {
                        double qi = ui * ui;
                        double qo = uo * uo;
                        double step2 = qi - qo;
                        double n2 = s2 + step2;
                        e2 += roundingError(qi, -qo, step2) + roundingError(s2, step2, n2);
                        s2 = n2;
                    }
                    // a variance that is tiny next to the sum of squares around the centre (values that barely move, far
                    // from a centre that has left) would lose digits to cancellation: centre and sum afresh
                    afresh = second && nan == 0 && run < d
                            && ((s2 + e2) - (s1 + e1) * (s1 + e1) / d) * ILL_CONDITIONED < s2 + e2;
                }
                if (afresh) {
                    refresh = t + Math.max(d, REFRESH_ROWS);
                    c = anchor(x, b + t - d + 1, b + t);
                    s1 = 0;
                    e1 = 0;
                    s2 = 0;
                    e2 = 0;
                    nan = 0;
                    for (int k = b + t - d + 1; k <= b + t; k++) {
                        double u = x[k];
                        if (u != u) {
                            nan++;
                        } else {
                            u -= c;
                            double n1 = s1 + u;
                            e1 += roundingError(s1, u, n1);
                            s1 = n1;
                            if (second) {
                                double q = u * u;
                                double n2 = s2 + q;
                                e2 += roundingError(s2, q, n2);
                                s2 = n2;
                            }
                        }
                    }
                }
                if (nan > 0) {
                    out[b + t] = Double.NaN;
                    continue;
                }
                double sum1 = s1 + e1;
                double r;
                if (m == Moment.SUM) {
                    r = c * d + sum1;
                } else if (m == Moment.MEAN) {
                    r = c + sum1 / d;
                } else {
                    double sum2 = s2 + e2;
                    double var = (sum2 - sum1 * sum1 / d) / (d - 1);
                    var = run >= d || var < 0.0 ? 0.0 : var; // a select: Math.max's NaN rules are slow
                    if (m == Moment.VAR) {
                        r = var;
                    } else if (m == Moment.STD) {
                        r = Math.sqrt(var);
                    } else {
                        r = var == 0.0 ? Double.NaN : (v - c - sum1 / d) / Math.sqrt(var);
                    }
                }
                out[b + t] = Scalar.finite(r);
            }
        }
    }

    /**
     * The exact rounding error of {@code sum = a + b} (Knuth's TwoSum). Neumaier's test of which operand is larger
     * gives the same error but branches on the data, and those branches mispredicted half the time.
     */
    static double roundingError(double a, double b, double sum) {
        double bPart = sum - a;
        return (a - (sum - bPart)) + (b - bPart);
    }

    /** A value of the window to centre sums on: the first non-NaN one, or 0. */
    private static double anchor(double[] x, int from, int to) {
        for (int k = from; k <= to; k++) {
            if (x[k] == x[k]) {
                return x[k];
            }
        }
        return 0.0;
    }

    enum Extreme implements Kernel {
        MIN, MAX, ARGMIN, ARGMAX;

        @Override
        public void run(Kernel.Inputs in, double[] out, int from, int to, Kernel.Scratch s, Deadline dl) {
            extreme(in.x(), out, in.dates(), from, to, in.window(), this, s.extremes(), dl);
        }
    }

    /** Scratch for {@link #extreme}: block prefix and suffix extremes (as keys) and where they are, one asset long. */
    static final class ExtremeScratch {
        final long[] prefix;
        final long[] suffix;
        final int[] prefixAt;
        final int[] suffixAt;

        ExtremeScratch(int dates) {
            prefix = new long[dates];
            suffix = new long[dates];
            prefixAt = new int[dates];
            suffixAt = new int[dates];
        }
    }

    /**
     * Rolling min/max and their 1-based positions (oldest = 1), by van Herk / Gil-Werman: cut the series into blocks
     * of d rows, keep each block's running extreme from its start (prefix) and from its end (suffix); a window is
     * one suffix plus one prefix, so each row costs three comparisons whatever d is. Ties go to the oldest row.
     *
     * <p>The running extremes are taken over order-preserving long keys, not doubles: Math.max on doubles spends
     * most of each step on its NaN and signed-zero rules, and each step waits for the one before. A missing value
     * gets the largest key, so a window's extreme is that key exactly when the window has a missing value; the
     * prefix and suffix a window reads lie inside it, so a missing value elsewhere in their blocks never reaches it.
     */
    static void extreme(double[] x, double[] out, int dates, int from, int to, int d, Extreme e, ExtremeScratch s,
                        Deadline dl) {
        boolean arg = e == Extreme.ARGMIN || e == Extreme.ARGMAX;
        long flip = e == Extreme.MAX || e == Extreme.ARGMAX ? 0L : -1L; // minima are maxima of complemented keys
        long[] g = s.prefix;
        long[] h = s.suffix;
        int[] gi = s.prefixAt;
        int[] hi = s.suffixAt;
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            Arrays.fill(out, b, b + d - 1, Double.NaN);
            if (!arg) {
                for (int start = 0; start < dates; start += d) {
                    int end = Math.min(start + d, dates);
                    long m = key(x[b + start], flip);
                    g[start] = m;
                    for (int t = start + 1; t < end; t++) {
                        m = Math.max(m, key(x[b + t], flip));
                        g[t] = m;
                    }
                    m = key(x[b + end - 1], flip);
                    h[end - 1] = m;
                    for (int t = end - 2; t >= start; t--) {
                        m = Math.max(m, key(x[b + t], flip));
                        h[t] = m;
                    }
                }
                for (int t = d - 1; t < dates; t++) {
                    long m = Math.max(h[t - d + 1], g[t]);
                    out[b + t] = m == MISSING_KEY ? Double.NaN : value(m, flip);
                }
                continue;
            }
            for (int start = 0; start < dates; start += d) {
                int end = Math.min(start + d, dates);
                // v + 0.0: -0.0 and 0.0 are equal values, so they tie (and the older row wins)
                long best = key(x[b + start] + 0.0, flip);
                int bestAt = start;
                g[start] = best;
                gi[start] = start;
                for (int t = start + 1; t < end; t++) {
                    long k = key(x[b + t] + 0.0, flip);
                    boolean take = k > best; // strictly better replaces: on a tie the older row stays
                    best = take ? k : best;
                    bestAt = take ? t : bestAt;
                    g[t] = best;
                    gi[t] = bestAt;
                }
                best = key(x[b + end - 1] + 0.0, flip);
                bestAt = end - 1;
                h[end - 1] = best;
                hi[end - 1] = bestAt;
                for (int t = end - 2; t >= start; t--) {
                    long k = key(x[b + t] + 0.0, flip);
                    boolean take = k >= best; // scanning backwards, better-or-equal replaces: the older row wins
                    best = take ? k : best;
                    bestAt = take ? t : bestAt;
                    h[t] = best;
                    hi[t] = bestAt;
                }
            }
            for (int t = d - 1; t < dates; t++) {
                // a window that is exactly one block finds the same row in both
                int start = t - d + 1;
                long older = h[start];
                long newer = g[t];
                int at = older >= newer ? hi[start] : gi[t];
                out[b + t] = Math.max(older, newer) == MISSING_KEY ? Double.NaN : at - start + 1;
            }
        }
    }

    /** The key of a missing value: above every other (no double's key reaches it, complemented or not). */
    private static final long MISSING_KEY = Long.MAX_VALUE;

    /**
     * A long in the order of the doubles (-0.0 below 0.0, as Math.min and Math.max order them), complemented when
     * flip is -1 to reverse the order.
     */
    private static long key(double v, long flip) {
        long bits = Double.doubleToRawLongBits(v);
        long k = (bits ^ ((bits >> 63) & Long.MAX_VALUE)) ^ flip;
        return v != v ? MISSING_KEY : k;
    }

    /** The double whose {@link #key} is k. */
    private static double value(long k, long flip) {
        long ordered = k ^ flip;
        return Double.longBitsToDouble(ordered ^ ((ordered >> 63) & Long.MAX_VALUE));
    }

    enum Window implements Kernel {
        RANK, PRODUCT, MEDIAN, QUANTILE, MAD, SKEW, KURT;

        @Override
        public void run(Kernel.Inputs in, double[] out, int from, int to, Kernel.Scratch s, Deadline dl) {
            double q = in.numbers().length > 1 ? in.number(1) : 0; // the quantile's q follows its window
            window(in.x(), out, in.dates(), from, to, in.window(), this, q, s.sorted(), dl);
        }
    }

    /**
     * Statistics computed over each full window. Order statistics (rank, median, quantile) keep the window sorted as
     * it slides: one binary search and one array shift per value in and out, O(d) memory moves but no sort. The
     * higher moments and the product are recomputed exactly per window (O(d)), where an update would lose precision.
     */
    static void window(double[] x, double[] out, int dates, int from, int to, int d, Window w, double q,
                       double[] sorted, Deadline dl) {
        // Ranks count directly (vectorised, O(d) per value) up to about 300 rows, where the sorted window catches up.
        boolean countRank = w == Window.RANK && d <= 300;
        if (countRank) {
            countRanks(x, out, dates, from, to, d, dl);
            return;
        }
        boolean ordered = w == Window.RANK || w == Window.MEDIAN || w == Window.QUANTILE;
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            int nan = 0;
            int n = 0; // values in the sorted window
            for (int t = 0; t < dates; t++) {
                double v = x[b + t];
                if (v != v) {
                    nan++;
                } else if (ordered) {
                    n = insert(sorted, n, v);
                }
                if (t >= d) {
                    double o = x[b + t - d];
                    if (o != o) {
                        nan--;
                    } else if (ordered) {
                        n = remove(sorted, n, o);
                    }
                }
                if (t < d - 1 || nan > 0) {
                    out[b + t] = Double.NaN;
                    continue;
                }
                int first = b + t - d + 1;
                int last = b + t;
                out[b + t] = Scalar.finite(switch (w) {
                    case RANK -> CrossSectionKernels.percentile(sorted, n, v);
                    case MEDIAN -> interpolate(sorted, d, 0.5);
                    case QUANTILE -> interpolate(sorted, d, q);
                    case PRODUCT -> product(x, first, last);
                    case MAD -> mad(x, first, last, d);
                    case SKEW -> skew(x, first, last, d);
                    default -> kurt(x, first, last, d);
                });
            }
        }
    }

    /**
     * ts_rank of short windows by counting: twice the percentile's numerator is 2 * less + equal (today included)
     * + 1, which is d + 1 plus the sum over the window of sign(today - value).
     *
     * <p>The signs are summed one lag at a time over a whole asset, with the lagged values copied to their own array:
     * C2 (JDK 17) vectorises a loop only when every array is read at the loop's own index. The sign is branch-free:
     * the difference of two distinct finite doubles is at least 2^-1074, which 2^1200 lifts past 1 before the clamp,
     * and a NaN anywhere in the window makes the sum NaN, as the result must be. At 10 rows, 2.6 times as fast as
     * counting window by window, with the same bits.
     */
    private static void countRanks(double[] x, double[] out, int dates, int from, int to, int d, Deadline dl) {
        double[] today = new double[dates];
        double[] lagged = new double[dates];
        double[] signs = new double[dates];
        int head = Math.min(d - 1, dates);
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            System.arraycopy(x, b, today, 0, dates);
            for (int t = 0; t < dates; t++) {
                signs[t] = today[t] - today[t]; // 0, or NaN where today is missing
            }
            for (int k = 1; k < d; k++) {
                System.arraycopy(x, b, lagged, k, dates - k);
                for (int t = k; t < dates; t++) {
                    double lift = (today[t] - lagged[t]) * 0x1p600 * 0x1p600;
                    signs[t] += Math.min(Math.max(lift, -1.0), 1.0);
                }
            }
            for (int t = 0; t < dates; t++) {
                today[t] = (d + 1 + signs[t]) * 0.5 / d; // the same operations, and so the same bits, as c * 0.5 / d
            }
            Arrays.fill(out, b, b + head, Double.NaN);
            System.arraycopy(today, head, out, b + head, dates - head);
        }
    }

    /** Inserts v into sorted[0..n) keeping it sorted; returns the new size. */
    private static int insert(double[] sorted, int n, double v) {
        int i = upperBound(sorted, n, v);
        System.arraycopy(sorted, i, sorted, i + 1, n - i);
        sorted[i] = v;
        return n + 1;
    }

    /** Removes one copy of v (present) from sorted[0..n); returns the new size. */
    private static int remove(double[] sorted, int n, double v) {
        int i = upperBound(sorted, n, v) - 1;
        System.arraycopy(sorted, i + 1, sorted, i, n - i - 1);
        return n - 1;
    }

    private static int upperBound(double[] sorted, int n, double v) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** pandas' default ("linear") interpolation between order statistics of sorted[0..d). */
    private static double interpolate(double[] sorted, int d, double q) {
        double pos = q * (d - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, d - 1);
        double frac = pos - lo;
        return frac == 0.0 ? sorted[lo] : sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    private static double product(double[] x, int from, int to) {
        double p = 1.0;
        for (int k = from; k <= to; k++) {
            p *= x[k];
        }
        return p;
    }

    private static double mean(double[] x, int from, int to, int d) {
        double s = 0;
        for (int k = from; k <= to; k++) {
            s += x[k];
        }
        return s / d;
    }

    private static double mad(double[] x, int from, int to, int d) {
        double mu = mean(x, from, to, d);
        double s = 0;
        for (int k = from; k <= to; k++) {
            s += Math.abs(x[k] - mu);
        }
        return s / d;
    }

    /** Adjusted Fisher-Pearson skewness, as pandas' rolling skew; NaN for a constant window. */
    private static double skew(double[] x, int from, int to, int d) {
        double mu = mean(x, from, to, d);
        double m2 = 0;
        double m3 = 0;
        for (int k = from; k <= to; k++) {
            double u = x[k] - mu;
            m2 += u * u;
            m3 += u * u * u;
        }
        if (m2 == 0.0 || allEqual(x, from, to)) {
            return Double.NaN;
        }
        m2 /= d;
        m3 /= d;
        return Math.sqrt((double) d * (d - 1)) / (d - 2) * m3 / Math.pow(m2, 1.5);
    }

    /** Bias-corrected excess kurtosis, as pandas' rolling kurt; NaN for a constant window. */
    private static double kurt(double[] x, int from, int to, int d) {
        double mu = mean(x, from, to, d);
        double s2 = 0;
        double s4 = 0;
        for (int k = from; k <= to; k++) {
            double u = x[k] - mu;
            double u2 = u * u;
            s2 += u2;
            s4 += u2 * u2;
        }
        if (s2 == 0.0 || allEqual(x, from, to)) {
            return Double.NaN;
        }
        double n = d;
        return n * (n + 1) * (n - 1) * s4 / ((n - 2) * (n - 3) * s2 * s2) - 3 * (n - 1) * (n - 1) / ((n - 2) * (n - 3));
    }

    private static boolean allEqual(double[] x, int from, int to) {
        for (int k = from + 1; k <= to; k++) {
            if (x[k] != x[from]) {
                return false;
            }
        }
        return true;
    }

    /** Number of non-NaN values among the last d rows (NaN until d rows exist). */
    static void count(double[] x, double[] out, int dates, int from, int to, int d, Deadline dl) {
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            int present = 0;
            for (int t = 0; t < dates; t++) {
                if (x[b + t] == x[b + t]) {
                    present++;
                }
                if (t >= d && x[b + t - d] == x[b + t - d]) {
                    present--;
                }
                out[b + t] = t < d - 1 ? Double.NaN : present;
            }
        }
    }

    enum Trend implements Kernel {
        DECAY_LINEAR, SLOPE, RSQUARE, RESI;

        @Override
        public void run(Kernel.Inputs in, double[] out, int from, int to, Kernel.Scratch s, Deadline dl) {
            trend(in.x(), out, in.dates(), from, to, in.window(), this, dl);
        }
    }

    /**
     * Statistics of x against time inside the window, from the plain sum S = sum(y) and the weighted sum
     * W = sum(k * y) with k = 1 (oldest) .. d (today): W' = W - S + d * y_new. decay_linear is W / (d(d+1)/2);
     * slope, R^2 and the residual are those of the least-squares line through (k, y).
     */
    static void trend(double[] x, double[] out, int dates, int from, int to, int d, Trend tr, Deadline dl) {
        double sk = d * (d + 1) / 2.0;
        double sxx = d * ((double) d * d - 1) / 12.0;
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            int refresh = d - 1; // rows where the window sums are recomputed from scratch
            double c = 0;
            double s = 0;
            double w = 0;
            double s2 = 0;
            int nan = 0;
            int run = 0;
            for (int t = 0; t < dates; t++) {
                double v = x[b + t];
                run = t > 0 && v == x[b + t - 1] ? run + 1 : 1;
                if (t < d - 1) {
                    out[b + t] = Double.NaN;
                    continue;
                }
                boolean afresh = t == refresh;
                if (!afresh) {
                    double o = x[b + t - d];
                    double uo = o != o ? 0.0 : o - c;
                    double un = v != v ? 0.0 : v - c;
                    boolean wasMissing = nan > 0;
                    nan += (v != v ? 1 : 0) - (o != o ? 1 : 0);
                    // each running sum gets one addition per step (its latency bounds the loop)
                    w += d * un - s;
                    s += un - uo;
                    s2 += un * un - uo * uo;
                    // Sum afresh where the running sums may have lost digits: a value large next to them has just
                    // left (its rounding residue stays behind: a spike of 1e13 leaves ~1e-3), or, for the fits, the
                    // window's spread is tiny next to its distance from the centre. A window that has just lost its
                    // last missing value is summed afresh too: what left while it was missing went unchecked.
                    double leaving = Math.abs(uo);
                    afresh = nan == 0 && (wasMissing || leaving * d > Math.abs(w) * ILL_CONDITIONED
                            || leaving > Math.abs(s) * ILL_CONDITIONED
                            || tr != Trend.DECAY_LINEAR && run < d && (s2 - s * s / d) * ILL_CONDITIONED < s2);
                }
                if (afresh) {
                    refresh = t + Math.max(d, REFRESH_ROWS);
                    c = tr == Trend.DECAY_LINEAR ? 0.0 : anchor(x, b + t - d + 1, b + t);
                    s = 0;
                    w = 0;
                    s2 = 0;
                    nan = 0;
                    for (int k = 1; k <= d; k++) {
                        double u = x[b + t - d + k];
                        if (u != u) {
                            nan++;
                        } else {
                            u -= c;
                            s += u;
                            w += k * u;
                            s2 += u * u;
                        }
                    }
                }
                if (nan > 0) {
                    out[b + t] = Double.NaN;
                    continue;
                }
                double sxy = w - sk * s / d;
                double r;
                switch (tr) {
                    case DECAY_LINEAR -> r = w / sk;
                    case SLOPE -> r = run >= d ? 0.0 : sxy / sxx;
                    case RSQUARE -> {
                        double syy = s2 - s * s / d;
                        r = run >= d || syy <= 0 ? Double.NaN : Math.min(1.0, sxy * sxy / (sxx * syy));
                    }
                    default -> {
                        double slope = run >= d ? 0.0 : sxy / sxx;
                        double intercept = s / d - slope * (d + 1) / 2.0;
                        r = run >= d ? 0.0 : (v - c) - (intercept + slope * d);
                    }
                }
                out[b + t] = Scalar.finite(r);
            }
        }
    }

    enum Pair implements Kernel {
        CORRELATION(false), COVARIANCE(false), REGBETA(true), REGRESI(true);

        /** regbeta(y, x, d) and regresi(y, x, d) regress their first argument on the second: the kernel's y on x. */
        private final boolean regression;

        Pair(boolean regression) {
            this.regression = regression;
        }

        @Override
        public void run(Kernel.Inputs in, double[] out, int from, int to, Kernel.Scratch s, Deadline dl) {
            double[] first = in.series(0);
            double[] second = in.series(1);
            pair(regression ? second : first, regression ? first : second, out, in.dates(), from, to, in.window(),
                    this, dl);
        }
    }

    /**
     * Two-series rolling statistics from anchored sums of x, y, x^2, y^2 and xy. For REGBETA and REGRESI, y is
     * regressed on x. A row is missing if either series is missing anywhere in the window.
     */
    static void pair(double[] x, double[] y, double[] out, int dates, int from, int to, int d, Pair p, Deadline dl) {
        if (d <= SHORT_WINDOW) {
            pairTwoPass(x, y, out, dates, from, to, d, p, dl);
            return;
        }
        double perValue = 1.0 / d;
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            int refresh = d - 1; // rows where the window sums are recomputed from scratch
            double cx = 0;
            double cy = 0;
            // running sums of the centred x, y, x^2, y^2 and xy
            double sx = 0;
            double sy = 0;
            double sxx = 0;
            double syy = 0;
            double sxy = 0;
            int nan = 0;
            int runX = 0;
            int runY = 0;
            double previousX = Double.NaN;
            double previousY = Double.NaN;
            for (int t = 0; t < dates; t++) {
                double vx = x[b + t];
                double vy = y[b + t];
                runX = vx == previousX ? runX + 1 : 1;
                runY = vy == previousY ? runY + 1 : 1;
                previousX = vx;
                previousY = vy;
                if (t < d - 1) {
                    out[b + t] = Double.NaN;
                    continue;
                }
                boolean constX = runX >= d;
                boolean constY = runY >= d;
                boolean afresh = t == refresh;
                if (!afresh) {
                    // the row entering minus the row leaving, each centred; a missing row contributes nothing.
                    // Selects, not branches, and one addition per running sum: its latency bounds this loop.
                    double ox = x[b + t - d];
                    double oy = y[b + t - d];
                    boolean inMissing = vx != vx || vy != vy;
                    boolean outMissing = ox != ox || oy != oy;
                    boolean wasMissing = nan > 0;
                    nan += (inMissing ? 1 : 0) - (outMissing ? 1 : 0);
                    double ix = inMissing ? 0.0 : vx - cx;
                    double iy = inMissing ? 0.0 : vy - cy;
                    double qx = outMissing ? 0.0 : ox - cx;
                    double qy = outMissing ? 0.0 : oy - cy;
                    double leavingX = qx * qx;
                    double leavingY = qy * qy;
                    sx += ix - qx;
                    sy += iy - qy;
                    sxx += ix * ix - leavingX;
                    syy += iy * iy - leavingY;
                    sxy += ix * iy - qx * qy;
                    // Sum afresh where the running sums may have lost digits: a large value has just left (its
                    // rounding residue stays behind), or the window's spread is tiny next to its distance from the
                    // centre (ranks that barely move, centred on one that has left), where the variance cancels.
                    // Either way the sums' error stays near 2d * 1e-14 of the variance. A window that has
                    // just lost its last missing value is summed afresh too: what left meanwhile went unchecked.
                    afresh = nan == 0 && (wasMissing || leavingX > sxx * ILL_CONDITIONED || leavingY > syy * ILL_CONDITIONED
                            || !constX && (sxx - sx * sx * perValue) * ILL_CONDITIONED < sxx
                            || !constY && (syy - sy * sy * perValue) * ILL_CONDITIONED < syy);
                }
                if (afresh) {
                    refresh = t + Math.max(d, REFRESH_ROWS);
                    cx = 0;
                    cy = 0;
                    for (int k = b + t - d + 1; k <= b + t; k++) {
                        if (x[k] == x[k] && y[k] == y[k]) {
                            cx = x[k];
                            cy = y[k];
                            break;
                        }
                    }
                    sx = sy = sxx = syy = sxy = 0;
                    nan = 0;
                    for (int k = b + t - d + 1; k <= b + t; k++) {
                        double ux = x[k];
                        double uy = y[k];
                        boolean missing = ux != ux || uy != uy;
                        nan += missing ? 1 : 0;
                        ux = missing ? 0.0 : ux - cx;
                        uy = missing ? 0.0 : uy - cy;
                        sx += ux;
                        sy += uy;
                        sxx += ux * ux;
                        syy += uy * uy;
                        sxy += ux * uy;
                    }
                }
                // times 1/d rather than five divisions per cell (within an ulp; division throughput bound this loop)
                double cov = constX || constY ? 0.0 : sxy - sx * sy * perValue;
                double varX = constX ? 0.0 : sxx - sx * sx * perValue;
                double varY = constY ? 0.0 : syy - sy * sy * perValue;
                double r = p == Pair.CORRELATION ? correlation(cov, varX, varY)
                        : pairResult(p, d, cov, varX, varY, sx * perValue, sy * perValue, vx - cx, vy - cy);
                out[b + t] = nan > 0 ? Double.NaN : r;
            }
        }
    }

    /**
     * Pearson correlation from centred sums, clamped to [-1, 1]; NaN without variance. Selects rather than
     * Math.min/max, whose NaN and signed-zero rules cost a third of the loop.
     */
    private static double correlation(double cov, double varX, double varY) {
        double r = cov / Math.sqrt(varX * varY);
        r = r > 1.0 ? 1.0 : r;
        r = r < -1.0 ? -1.0 : r;
        return varX <= 0 || varY <= 0 ? Double.NaN : r;
    }

    /**
     * Rows between scheduled re-summings of a running window (or d, if longer). Spikes and cancellation trigger their
     * own re-summing, so this only bounds the slow drift of ordinary roundings: at most this many updates, each off by
     * an ulp of sums that are at most ILL_CONDITIONED times the window's own spread: about 1e-12 of the result. Every
     * d rows would double the work of short windows.
     */
    private static final int REFRESH_ROWS = 64;

    /**
     * How much larger than the window's variance (times d) running sums of squares may be, or have just lost, before
     * the window is summed afresh: rounding then costs about 2d * 1e-14 of the variance.
     */
    private static final double ILL_CONDITIONED = 1e2;

    /** Windows this short are cheaper to recompute exactly (two passes) than to update. */
    private static final int SHORT_WINDOW = 4;

    /**
     * Pair statistics of short windows computed exactly, by two passes per window (means first, then centred sums,
     * each summed from the oldest row), for every window of an asset at once: one lag at a time on copies of the
     * lagged rows, so that C2 (JDK 17) vectorises the loops; it does so only when every array is read at the loop's
     * own index. A missing value makes the window's means NaN, and with them the result. The rows are allocated
     * per call (about 11 x 8 x dates bytes): taken from a scratch object kept by the evaluator, C2 could no longer
     * tell them apart and these loops ran half as fast.
     */
    private static void pairTwoPass(double[] x, double[] y, double[] out, int dates, int from, int to, int d, Pair p,
                                    Deadline dl) {
        int first = Math.min(d - 1, dates); // the first row with a full window
        double[] oldestX = new double[dates];
        double[] oldestY = new double[dates];
        double[] lagX = new double[dates];
        double[] lagY = new double[dates];
        double[] meanX = new double[dates];
        double[] meanY = new double[dates];
        double[] spreadX = new double[dates]; // sum of |x - oldest x|: 0 exactly when the window is constant
        double[] spreadY = new double[dates];
        double[] cov = new double[dates];
        double[] varX = new double[dates];
        double[] varY = new double[dates];
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            int n = dates - first;
            System.arraycopy(x, b, oldestX, first, n);
            System.arraycopy(y, b, oldestY, first, n);
            Arrays.fill(meanX, 0.0);
            Arrays.fill(meanY, 0.0);
            Arrays.fill(spreadX, 0.0);
            Arrays.fill(spreadY, 0.0);
            for (int t = first; t < dates; t++) {
                meanX[t] += oldestX[t];
                meanY[t] += oldestY[t];
            }
            for (int k = d - 2; k >= 0; k--) {
                System.arraycopy(x, b + first - k, lagX, first, n);
                System.arraycopy(y, b + first - k, lagY, first, n);
                for (int t = first; t < dates; t++) {
                    // each value read once, before any store: a re-read after a store stops C2 vectorising
                    double vx = lagX[t];
                    double vy = lagY[t];
                    meanX[t] += vx;
                    meanY[t] += vy;
                    spreadX[t] += Math.abs(vx - oldestX[t]);
                    spreadY[t] += Math.abs(vy - oldestY[t]);
                }
            }
            for (int t = first; t < dates; t++) {
                meanX[t] /= d;
                meanY[t] /= d;
            }
            Arrays.fill(cov, 0.0);
            Arrays.fill(varX, 0.0);
            Arrays.fill(varY, 0.0);
            for (int k = d - 1; k >= 0; k--) {
                System.arraycopy(x, b + first - k, lagX, first, n);
                System.arraycopy(y, b + first - k, lagY, first, n);
                if (p == Pair.COVARIANCE) { // no variance is read: a third of the work
                    for (int t = first; t < dates; t++) {
                        cov[t] += (lagX[t] - meanX[t]) * (lagY[t] - meanY[t]);
                    }
                    continue;
                }
                for (int t = first; t < dates; t++) {
                    double ux = lagX[t] - meanX[t];
                    double uy = lagY[t] - meanY[t];
                    cov[t] += ux * uy;
                    varX[t] += ux * ux;
                    varY[t] += uy * uy;
                }
            }
            Arrays.fill(out, b, b + first, Double.NaN);
            if (p == Pair.COVARIANCE || p == Pair.CORRELATION) {
                finishTwoPass(p, d, first, dates, spreadX, spreadY, cov, varX, varY);
                System.arraycopy(cov, first, out, b + first, n);
                continue;
            }
            for (int t = first; t < dates; t++) {
                double mx = meanX[t];
                double my = meanY[t];
                boolean constX = spreadX[t] == 0.0;
                boolean constY = spreadY[t] == 0.0;
                double c = constX || constY ? 0.0 : cov[t];
                out[b + t] = mx != mx || my != my ? Double.NaN : pairResult(p, d, c, constX ? 0.0 : varX[t],
                        constY ? 0.0 : varY[t], 0, 0, x[b + t] - mx, y[b + t] - my);
            }
        }
    }

    /**
     * {@link #pairResult} of a covariance or correlation for rows first .. dates, written over {@code cov}, in
     * arithmetic rather than selects so that it vectorises. A constant window's sums count as 0: a spread of 0 scales
     * them by 0, any other by 1, and a missing value's NaN spread makes everything NaN. 0 / var is +0.0, or NaN where
     * the variance is 0. No sum is -0.0 (each starts at +0.0), so adding +0.0 changes no bit.
     */
    private static void finishTwoPass(Pair p, int d, int first, int dates, double[] spreadX, double[] spreadY,
                                      double[] cov, double[] varX, double[] varY) {
        if (p == Pair.COVARIANCE) {
            for (int t = first; t < dates; t++) {
                double movesX = Math.min(spreadX[t] * 0x1p600 * 0x1p600, 1.0);
                double movesY = Math.min(spreadY[t] * 0x1p600 * 0x1p600, 1.0);
                cov[t] = Scalar.finite((cov[t] * (movesX * movesY) + 0.0) / (d - 1));
            }
            return;
        }
        for (int t = first; t < dates; t++) {
            double movesX = Math.min(spreadX[t] * 0x1p600 * 0x1p600, 1.0);
            double movesY = Math.min(spreadY[t] * 0x1p600 * 0x1p600, 1.0);
            double c = cov[t] * (movesX * movesY) + 0.0;
            double vx = varX[t] * movesX;
            double vy = varY[t] * movesY;
            double r = Math.min(Math.max(c / Math.sqrt(vx * vy), -1.0), 1.0) + (0.0 / vx + 0.0 / vy);
            cov[t] = Scalar.finite(r);
        }
    }

    /**
     * Finishes a pair statistic from centred sums: cov = sum(dx * dy), varX = sum(dx^2), varY = sum(dy^2), taken
     * around centres whose offsets from the window means are meanX and meanY; lastX, lastY are today's values
     * around the same centres.
     */
    private static double pairResult(Pair p, int d, double cov, double varX, double varY, double meanX, double meanY,
                                     double lastX, double lastY) {
        double r;
        switch (p) {
            case COVARIANCE -> r = cov / (d - 1);
            case CORRELATION -> r = correlation(cov, varX, varY);
            case REGBETA -> r = varX <= 0 ? Double.NaN : cov / varX;
            default -> {
                if (varX <= 0) {
                    r = Double.NaN;
                } else {
                    double beta = cov / varX;
                    double alpha = meanY - beta * meanX;
                    r = lastY - (alpha + beta * lastX);
                }
            }
        }
        return Scalar.finite(r);
    }

    /**
     * Exponential moving average with span d (alpha = 2/(d+1)), weights normalised over the history seen so far as
     * pandas' {@code ewm(span=d, adjust=True)}; missing inputs add no weight but age the older ones. The result is
     * NaN where x is NaN and until d values have been seen.
     */
    static void ema(double[] x, double[] out, int dates, int from, int to, int d, Deadline dl) {
        double keep = 1.0 - 2.0 / (d + 1.0);
        for (int a = from; a < to; a++) {
            dl.check();
            int b = a * dates;
            double num = 0;
            double den = 0;
            int seen = 0;
            for (int t = 0; t < dates; t++) {
                double v = x[b + t];
                num *= keep;
                den *= keep;
                if (v != v) {
                    out[b + t] = Double.NaN;
                    continue;
                }
                num += v;
                den += 1.0;
                seen++;
                out[b + t] = seen < d ? Double.NaN : Scalar.finite(num / den);
            }
        }
    }
}
