package dev.quantagent.assistant;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The strategy against its benchmark, over the intervals both series have: beta and correlation (the market regimes
 * are {@link MarketRegimes}).
 *
 * <p>Alignment: an equity point is matched with the benchmark's price on the same UTC date when both series have at
 * most one point a day (so a close stamped 16:00 matches the benchmark's date), otherwise on the exact time. Both
 * returns are taken between consecutive matched points, over the same interval. An equity point without a benchmark
 * price (a weekend of a 24/7 curve against an index, a holiday, a gap) is skipped, so its interval merges into the
 * next one; benchmark prices between matched points, and empty or non-positive ones, are not used.
 *
 * @param strategy    the strategy's return over each matched interval
 * @param benchmark   the benchmark's return over the same interval
 * @param end         time at the end of each interval (the equity point's)
 * @param equityTimes the equity curve's times, sorted
 * @param priceAt     the benchmark's price at each equity point (sorted), NaN where it has none
 * @param byDate      matched on the UTC date (true) or on the exact time (false)
 */
public record Market(double[] strategy, double[] benchmark, long[] end, long[] equityTimes, double[] priceAt,
              boolean byDate) {

    /** Matched intervals below which beta, correlation and regimes are not computed. */
    static final int MIN_INTERVALS = 3;

    private static final long DAY = 86_400;

    /**
     * Aligns a curve in time order (as {@link Curve} has it) with a benchmark (any order; for a duplicated time the
     * later row wins). The result's {@code equityTimes} is {@code time} itself, so {@code priceAt[i]} is the price at
     * the curve's i-th point.
     */
    static Market align(long[] time, double[] equity, long[] benchmarkTime, double[] benchmarkPrice) {
        Integer[] bo = Curve.order(benchmarkTime);
        long[] et = time;
        long[] bt = new long[benchmarkTime.length];
        for (int i = 0; i < bt.length; i++) {
            bt[i] = benchmarkTime[bo[i]];
        }
        boolean byDate = dailyOrCoarser(et) && dailyOrCoarser(bt);
        Map<Long, Double> price = new HashMap<>();
        for (int i = 0; i < bt.length; i++) {
            double p = benchmarkPrice[bo[i]];
            if (p > 0 && !Double.isInfinite(p)) {
                price.put(key(bt[i], byDate), p);
            }
        }
        int n = et.length;
        double[] s = new double[n];
        double[] b = new double[n];
        long[] end = new long[n];
        double[] priceAt = new double[n];
        Arrays.fill(priceAt, Double.NaN);
        int m = 0;
        int prev = -1;
        double prevPrice = Double.NaN;
        for (int i = 0; i < n; i++) {
            Double p = price.get(key(et[i], byDate));
            if (p == null) {
                continue;
            }
            priceAt[i] = p;
            if (prev >= 0) {
                s[m] = equity[i] / equity[prev] - 1;
                b[m] = p / prevPrice - 1;
                end[m] = et[i];
                m++;
            }
            prev = i;
            prevPrice = p;
        }
        return new Market(Arrays.copyOf(s, m), Arrays.copyOf(b, m), Arrays.copyOf(end, m), et, priceAt, byDate);
    }

    /**
     * Refuses a benchmark that cannot be compared with the equity curve: fewer than {@value #MIN_INTERVALS} common
     * intervals, with a message saying whether the periods do not overlap or the times do not line up.
     */
    static void requireOverlap(Backtest bt, String source) {
        Curve c = Curve.of(bt);
        Market mk = align(c.time(), c.equity(), bt.benchmarkTime(), bt.benchmarkPrice());
        if (mk.intervals() >= MIN_INTERVALS) {
            return;
        }
        long[] bs = bt.benchmarkTime().clone();
        Arrays.sort(bs);
        long[] es = mk.equityTimes();
        String equitySpan = Formats.time(es[0]) + " .. " + Formats.time(es[es.length - 1]);
        if (bs.length == 0) {
            throw new BacktestFormatException(source + ": the benchmark has no prices");
        }
        String benchSpan = Formats.time(bs[0]) + " .. " + Formats.time(bs[bs.length - 1]);
        if (bs[bs.length - 1] < es[0] || bs[0] > es[es.length - 1]) {
            throw new BacktestFormatException(source + ": the benchmark covers " + benchSpan + ", the equity curve of \""
                    + bt.strategy() + "\" covers " + equitySpan + ": the periods do not overlap");
        }
        throw new BacktestFormatException(String.format(Locale.ROOT, "%s: the benchmark (%s) and the equity curve of "
                + "\"%s\" (%s) share %d %s with a positive price, %d needed (%d intervals); benchmark times look like "
                + "%s, equity times like %s", source, benchSpan, bt.strategy(), equitySpan, mk.matchedCount(),
                mk.byDate() ? "dates" : "times", MIN_INTERVALS + 1, MIN_INTERVALS, Formats.time(bs[0]),
                Formats.time(es[0])));
    }

    public int intervals() {
        return strategy.length;
    }

    public int matchedCount() {
        int c = 0;
        for (double p : priceAt) {
            c += p == p ? 1 : 0;
        }
        return c;
    }

    /** The first and last matched times (the span the comparison covers); null without matches. */
    public long[] matchedSpan() {
        int first = -1;
        int last = -1;
        for (int i = 0; i < priceAt.length; i++) {
            if (priceAt[i] == priceAt[i]) {
                first = first < 0 ? i : first;
                last = i;
            }
        }
        return first < 0 ? null : new long[] {equityTimes[first], equityTimes[last]};
    }

    /** Time at the start of each interval: the matched equity point before its end. */
    long[] start() {
        long[] s = new long[intervals()];
        if (s.length > 0) {
            s[0] = matchedSpan()[0];
            System.arraycopy(end, 0, s, 1, s.length - 1);
        }
        return s;
    }

    /** Times of the equity points without a benchmark price, in order. */
    long[] unmatched() {
        long[] u = new long[equityTimes.length - matchedCount()];
        int k = 0;
        for (int i = 0; i < equityTimes.length; i++) {
            if (priceAt[i] != priceAt[i]) {
                u[k++] = equityTimes[i];
            }
        }
        return u;
    }

    /** cov(strategy, benchmark) / var(benchmark) over the matched intervals; NaN with too few. */
    double beta() {
        double[] c = moments();
        return c == null || !(c[2] > 0) ? Double.NaN : c[0] / c[2];
    }

    /** Pearson correlation of the matched intervals' returns; NaN with too few or a constant series. */
    double correlation() {
        double[] c = moments();
        return c == null || !(c[1] > 0 && c[2] > 0) ? Double.NaN : c[0] / Math.sqrt(c[1] * c[2]);
    }

    /** Sums of co-deviations {sb, ss, bb}, or null below {@value #MIN_INTERVALS} intervals. */
    private double[] moments() {
        int m = intervals();
        if (m < MIN_INTERVALS) {
            return null;
        }
        double ms = 0;
        double mb = 0;
        for (int i = 0; i < m; i++) {
            ms += strategy[i];
            mb += benchmark[i];
        }
        ms /= m;
        mb /= m;
        double cov = 0;
        double vs = 0;
        double vb = 0;
        for (int i = 0; i < m; i++) {
            cov += (strategy[i] - ms) * (benchmark[i] - mb);
            vs += (strategy[i] - ms) * (strategy[i] - ms);
            vb += (benchmark[i] - mb) * (benchmark[i] - mb);
        }
        return new double[] {cov, vs, vb};
    }

    private static boolean dailyOrCoarser(long[] sorted) {
        for (int i = 1; i < sorted.length; i++) {
            if (Math.floorDiv(sorted[i], DAY) == Math.floorDiv(sorted[i - 1], DAY)) {
                return false;
            }
        }
        return true;
    }

    private static long key(long t, boolean byDate) {
        return byDate ? Math.floorDiv(t, DAY) : t;
    }
}
