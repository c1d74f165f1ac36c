package dev.quantagent.assistant;

import dev.quantagent.evaluator.Regimes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The strategy by market regime, on the calendar's clock whatever the bar: the benchmark is taken as daily bars (the
 * last price of each UTC date its close, the highest and lowest its high and low), each trading day (a date the
 * benchmark has a price) is classified from the trailing {@code window} trading days, and every interval of the
 * strategy takes the regime of the date it ends on. An hourly curve is so classified on 20 days, not 20 hours.
 *
 * <p>Three groups of regimes, each from the chapter's table:
 * <ul>
 *   <li><b>trend / volatility</b>: bull or bear by the sign of the benchmark's compounded return over the window,
 *       high or low volatility by the sample standard deviation of those daily returns against its median over the
 *       benchmark's history ({@link Regimes#classify}, as {@code eval} does);</li>
 *   <li><b>volatility percentile</b>: high above the 75th percentile of that volatility, low below the 25th
 *       (numpy's linear percentiles over the history), mid between;</li>
 *   <li><b>trend strength</b>: Wilder's ADX(14) on the daily bars: trending above 25, ranging below 20.</li>
 * </ul>
 *
 * <p>Each regime's figures are over the strategy's intervals in it: the share of the classified intervals (time), the
 * trading days they span, the strategy's and the benchmark's compounded return there and its geometric mean per
 * trading day ({@code exp(Σ log(1 + r) / days) − 1}: an hourly regime reads as a daily one, and a volatile regime as a
 * figure a reader can take in, where an annualised rate runs to tens of thousands of percent), the mean interval
 * return, the share of the strategy's losses (the sum of its negative interval returns) and how much faster losses
 * come there than in the rest of the time.
 */
public final class MarketRegimes {

    /** The default trailing window, in trading days. */
    static final int WINDOW_DAYS = Regimes.WINDOW;
    /** A regime covering fewer trading days than this is too thin to be called out. */
    public static final int MIN_DAYS = 10;
    /** Losses must come this many times faster in a regime than in the rest of the time for it to be flagged. */
    public static final double LOSS_INTENSITY = 1.5;
    /** Wilder's ADX period, in days, and its bands. */
    static final int ADX_PERIOD = 14;
    static final double TRENDING = 25;
    static final double RANGING = 20;

    static final String TREND_VOL = "trend / volatility";
    static final String VOL_PCT = "volatility percentile";
    static final String STRENGTH = "trend strength";
    static final List<String> VOL_NAMES = List.of("high vol (above p75)", "mid vol (p25 to p75)",
            "low vol (below p25)");
    static final List<String> ADX_NAMES = List.of("trending (ADX > 25)", "ADX 20 to 25", "ranging (ADX < 20)");

    private static final long DAY = 86_400;

    private MarketRegimes() {
    }

    /** Daily bars of a price series: UTC dates (epoch days) ascending, with close, high and low. */
    public record Daily(long[] day, double[] close, double[] high, double[] low) {

        static Daily of(long[] time, double[] price) {
            Integer[] o = Curve.order(time);
            List<Long> days = new ArrayList<>();
            List<double[]> bars = new ArrayList<>();
            for (Integer i : o) {
                double p = price[i];
                if (!(p > 0) || Double.isInfinite(p)) {
                    continue;
                }
                long d = Math.floorDiv(time[i], DAY);
                if (days.isEmpty() || days.get(days.size() - 1) != d) {
                    days.add(d);
                    bars.add(new double[] {p, p, p});
                } else {
                    double[] b = bars.get(bars.size() - 1);
                    b[0] = p;
                    b[1] = Math.max(b[1], p);
                    b[2] = Math.min(b[2], p);
                }
            }
            int n = days.size();
            long[] day = new long[n];
            double[] c = new double[n];
            double[] h = new double[n];
            double[] l = new double[n];
            for (int i = 0; i < n; i++) {
                day[i] = days.get(i);
                c[i] = bars.get(i)[0];
                h[i] = bars.get(i)[1];
                l[i] = bars.get(i)[2];
            }
            return new Daily(day, c, h, l);
        }

        /** Close-to-close returns: element j − 1 is the return into day j. */
        double[] returns() {
            double[] r = new double[Math.max(0, close.length - 1)];
            for (int j = 1; j < close.length; j++) {
                r[j - 1] = close[j] / close[j - 1] - 1;
            }
            return r;
        }
    }

    /**
     * Wilder's ADX over daily bars: true range, +DM and −DM smoothed by Wilder's running sum over {@code period}
     * days (the first value their plain sum), DX = 100 |+DI − −DI| / (+DI + −DI), and ADX the mean of the first
     * {@code period} DX values, then smoothed the same way. NaN until day {@code 2 × period − 1}.
     */
    static double[] adx(double[] high, double[] low, double[] close, int period) {
        int n = close.length;
        double[] adx = new double[n];
        Arrays.fill(adx, Double.NaN);
        if (n < 2 * period) {
            return adx;
        }
        double tr = 0;
        double plus = 0;
        double minus = 0;
        double dxSum = 0;
        double prev = Double.NaN;
        for (int t = 1; t < n; t++) {
            double range = Math.max(high[t] - low[t], Math.max(Math.abs(high[t] - close[t - 1]),
                    Math.abs(low[t] - close[t - 1])));
            double up = high[t] - high[t - 1];
            double down = low[t - 1] - low[t];
            double pdm = up > down && up > 0 ? up : 0;
            double mdm = down > up && down > 0 ? down : 0;
            if (t <= period) {
                tr += range;
                plus += pdm;
                minus += mdm;
            } else {
                tr = tr - tr / period + range;
                plus = plus - plus / period + pdm;
                minus = minus - minus / period + mdm;
            }
            if (t < period) {
                continue;
            }
            double pdi = tr > 0 ? 100 * plus / tr : 0;
            double mdi = tr > 0 ? 100 * minus / tr : 0;
            double dx = pdi + mdi > 0 ? 100 * Math.abs(pdi - mdi) / (pdi + mdi) : 0;
            if (t < 2 * period - 1) {
                dxSum += dx;
            } else if (t == 2 * period - 1) {
                prev = (dxSum + dx) / period;
                adx[t] = prev;
            } else {
                prev = (prev * (period - 1) + dx) / period;
                adx[t] = prev;
            }
        }
        return adx;
    }

    /**
     * The regime table, or an empty list when the benchmark has fewer than {@code 2 × window} daily returns or fewer
     * than {@code window} trading days of the strategy's intervals can be classified.
     *
     */
    static List<Report.Regime> of(Market market, long[] benchTime, double[] benchPrice, int window) {
        Daily daily = Daily.of(benchTime, benchPrice);
        double[] r = daily.returns();
        if (r.length < 2 * window) {
            return List.of();
        }
        int days = daily.day().length;
        int[] trendVol = new int[days];
        int[] volPct = new int[days];
        int[] strength = new int[days];
        Arrays.fill(trendVol, -1);
        Arrays.fill(volPct, -1);
        Arrays.fill(strength, -1);
        int[] tv = Regimes.classify(r, window);
        double[] vol = rollingSd(r, window);
        double[] known = Arrays.stream(vol).filter(v -> v == v).toArray();
        double p25 = Metrics.percentile(known, 25);
        double p75 = Metrics.percentile(known, 75);
        double[] adx = adx(daily.high(), daily.low(), daily.close(), ADX_PERIOD);
        for (int j = 1; j < days; j++) {
            trendVol[j] = tv[j - 1];
            double v = vol[j - 1];
            volPct[j] = v != v ? -1 : v > p75 ? 0 : v < p25 ? 2 : 1;
            strength[j] = adx[j] != adx[j] ? -1 : adx[j] > TRENDING ? 0 : adx[j] < RANGING ? 2 : 1;
        }
        Map<Long, Integer> index = new HashMap<>();
        for (int j = 0; j < days; j++) {
            index.put(daily.day()[j], j);
        }
        int m = market.intervals();
        int[] dayOf = new int[m];
        int[] firstDay = new int[m];
        long[] start = market.start();
        for (int k = 0; k < m; k++) {
            Integer j = index.get(Math.floorDiv(market.end()[k], DAY));
            dayOf[k] = j == null ? -1 : j;
            // the benchmark's days after the one the interval starts on (a weekly interval spans five), or its own
            int after = Arrays.binarySearch(daily.day(), Math.floorDiv(start[k], DAY) + 1);
            firstDay[k] = j == null ? -1 : Math.min(j, after >= 0 ? after : -after - 1);
        }
        List<Report.Regime> rows = new ArrayList<>();
        int classifiedDays = group(market, dayOf, firstDay, trendVol, TREND_VOL, Regimes.NAMES, rows);
        if (classifiedDays < window) {
            return List.of();
        }
        group(market, dayOf, firstDay, volPct, VOL_PCT, VOL_NAMES, rows);
        group(market, dayOf, firstDay, strength, STRENGTH, ADX_NAMES, rows);
        return List.copyOf(rows);
    }

    /**
     * Adds one group's rows; returns how many trading days the strategy's classified intervals span. Interval k takes
     * the regime of day {@code dayOf[k]} and spans days {@code firstDay[k]} to {@code dayOf[k]}.
     */
    private static int group(Market market, int[] dayOf, int[] firstDay, int[] regimeOfDay, String group,
                             List<String> names, List<Report.Regime> rows) {
        int g = names.size();
        int m = market.intervals();
        int[] count = new int[g];
        int[] dayCount = new int[g];
        boolean[] spanned = new boolean[regimeOfDay.length];
        double[] logGrowth = new double[g];
        double[] benchLog = new double[g];
        double[] sum = new double[g];
        double[] loss = new double[g];
        int classified = 0;
        int days = 0;
        double totalLoss = 0;
        for (int k = 0; k < m; k++) {
            int j = dayOf[k];
            int x = j < 0 ? -1 : regimeOfDay[j];
            if (x < 0) {
                continue;
            }
            double s = market.strategy()[k];
            classified++;
            count[x]++;
            for (int d = firstDay[k]; d <= j; d++) {
                if (!spanned[d]) {
                    spanned[d] = true;
                    dayCount[x]++;
                    days++;
                }
            }
            logGrowth[x] += Math.log1p(s);
            benchLog[x] += Math.log1p(market.benchmark()[k]);
            sum[x] += s;
            if (s < 0) {
                loss[x] -= s;
                totalLoss -= s;
            }
        }
        for (int x = 0; x < g; x++) {
            int n = count[x];
            double share = classified > 0 ? (double) n / classified : Double.NaN;
            double lossShare = totalLoss > 0 ? loss[x] / totalLoss : Double.NaN;
            double inside = n > 0 ? loss[x] / n : Double.NaN;
            double outside = classified - n > 0 ? (totalLoss - loss[x]) / (classified - n) : Double.NaN;
            double intensity = inside != inside || outside != outside ? Double.NaN : outside > 0 ? inside / outside
                    : inside > 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            int d = dayCount[x];
            boolean flagged = d >= MIN_DAYS && logGrowth[x] < 0 && intensity >= LOSS_INTENSITY;
            rows.add(new Report.Regime(group, names.get(x), n, d, share,
                    d > 0 ? Math.expm1(logGrowth[x] / d) : Double.NaN, n > 0 ? Math.expm1(logGrowth[x]) : Double.NaN,
                    d > 0 ? Math.expm1(benchLog[x] / d) : Double.NaN, n > 0 ? Math.expm1(benchLog[x]) : Double.NaN,
                    n > 0 ? sum[x] / n : Double.NaN, lossShare, intensity, flagged));
        }
        return days;
    }

    /** Sample standard deviation of the trailing {@code window} returns; NaN until the window is full. */
    static double[] rollingSd(double[] r, int window) {
        double[] out = new double[r.length];
        Arrays.fill(out, Double.NaN);
        for (int t = window - 1; t < r.length; t++) {
            double mean = 0;
            for (int k = t - window + 1; k <= t; k++) {
                mean += r[k];
            }
            mean /= window;
            double ss = 0;
            for (int k = t - window + 1; k <= t; k++) {
                ss += (r[k] - mean) * (r[k] - mean);
            }
            out[t] = Math.sqrt(ss / (window - 1));
        }
        return out;
    }
}
