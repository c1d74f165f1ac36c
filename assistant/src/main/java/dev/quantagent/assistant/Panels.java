package dev.quantagent.assistant;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The quantstats-style panels of a report, with quantstats' definitions: rolling Sharpe, volatility and beta over
 * a trailing window of 126 trading days (six months, whatever the bar), the worst drawdowns and the monthly returns.
 *
 * @param windowDays    the rolling window in trading days
 * @param window        the same in periods of the curve
 * @param rollTime      the time at the end of each rolling window (returns from index {@code window − 1})
 * @param rollSharpe    annualised Sharpe of the excess returns in each window
 * @param rollVol       annualised volatility in each window
 * @param betaTime      the end of each rolling beta window, over the benchmark's common intervals; empty without one
 * @param rollBeta      beta to the benchmark in each window
 * @param drawdowns     the worst drawdowns, deepest first, at most {@value #WORST}
 * @param months        the monthly returns
 */
public record Panels(int windowDays, int window, long[] rollTime, double[] rollSharpe, double[] rollVol, long[] betaTime,
              double[] rollBeta, List<Drawdown> drawdowns, List<Month> months) {

    /** quantstats' rolling period: 126 trading days. */
    static final int WINDOW_DAYS = 126;
    /** How many drawdowns the table lists. */
    static final int WORST = 5;

    /**
     * One drawdown episode, as quantstats' {@code drawdown_details}: {@code start} the first period under the
     * previous peak, {@code valley} the lowest, {@code end} the last under it, {@code recovery} the first back at the
     * peak (−1 if never), {@code days} calendar days from start to end plus one.
     */
    public record Drawdown(long start, long valley, long end, long recovery, double depth, double days) {
    }

    /** A calendar month's return: last equity of the month over the last of the month before (the first point). */
    public record Month(int year, int month, double ret) {
    }

    static Panels of(Curve curve, double periodsPerYear, double riskFree, Market market) {
        long[] t = curve.time();
        double[] r = curve.returns();
        int window = windowPeriods(periodsPerYear, r.length);
        int days = (int) Math.round(window * daysPerYear(periodsPerYear) / periodsPerYear);
        double[] x = Metrics.excess(r, periodsPerYear, riskFree);
        double[][] sharpeVol = rolling(x, r, window, periodsPerYear);
        long[] rollTime = r.length >= window ? Arrays.copyOfRange(t, window, t.length) : new long[0];
        long[] betaTime = new long[0];
        double[] beta = new double[0];
        if (market != null && market.intervals() >= window) {
            beta = rollingBeta(market.strategy(), market.benchmark(), window);
            betaTime = Arrays.copyOfRange(market.end(), window - 1, market.intervals());
        }
        return new Panels(days, window, rollTime, sharpeVol[0], sharpeVol[1], betaTime, beta,
                drawdowns(t, curve.equity(), WORST), months(t, curve.equity()));
    }

    private static double daysPerYear(double periodsPerYear) {
        return periodsPerYear >= 365 ? 365 : 252; // a 24/7 curve trades every calendar day
    }

    /**
     * {@value #WINDOW_DAYS} trading days in periods of the curve (126 bars of a daily curve, 3,024 of an hourly one),
     * shortened to a quarter of the curve when it is shorter than two windows; at least 3.
     */
    static int windowPeriods(double periodsPerYear, int returns) {
        int w = (int) Math.max(3, Math.round(WINDOW_DAYS * periodsPerYear / daysPerYear(periodsPerYear)));
        return returns < 2 * w ? Math.max(3, returns / 4) : w;
    }

    /**
     * Rolling annualised Sharpe ({@code mean(x) / std(x) × √P} of the excess returns {@code x}) and volatility
     * ({@code std(r) × √P}), sample standard deviations, over windows of {@code window} returns, one value per window
     * end: quantstats' {@code rolling_sharpe} and {@code rolling_volatility}.
     */
    static double[][] rolling(double[] x, double[] r, int window, double periodsPerYear) {
        int n = r.length - window + 1;
        if (n <= 0) {
            return new double[][] {new double[0], new double[0]};
        }
        double[] sharpe = new double[n];
        double[] vol = new double[n];
        double sx = 0;
        double sxx = 0;
        double sr = 0;
        double srr = 0;
        for (int i = 0; i < r.length; i++) {
            sx += x[i];
            sxx += x[i] * x[i];
            sr += r[i];
            srr += r[i] * r[i];
            if (i >= window) {
                sx -= x[i - window];
                sxx -= x[i - window] * x[i - window];
                sr -= r[i - window];
                srr -= r[i - window] * r[i - window];
            }
            if (i >= window - 1) {
                int k = i - window + 1;
                double mx = sx / window;
                double vx = Math.max(0, (sxx - window * mx * mx) / (window - 1));
                double mr = sr / window;
                double vr = Math.max(0, (srr - window * mr * mr) / (window - 1));
                sharpe[k] = vx > 0 ? mx / Math.sqrt(vx) * Math.sqrt(periodsPerYear) : Double.NaN;
                vol[k] = Math.sqrt(vr * periodsPerYear);
            }
        }
        return new double[][] {sharpe, vol};
    }

    /** Rolling beta, cov(s, b) / var(b) over windows of {@code window} intervals (quantstats' rolling greeks). */
    static double[] rollingBeta(double[] s, double[] b, int window) {
        int n = s.length - window + 1;
        double[] beta = new double[Math.max(0, n)];
        for (int k = 0; k < n; k++) {
            double ms = 0;
            double mb = 0;
            for (int i = k; i < k + window; i++) {
                ms += s[i];
                mb += b[i];
            }
            ms /= window;
            mb /= window;
            double cov = 0;
            double var = 0;
            for (int i = k; i < k + window; i++) {
                cov += (s[i] - ms) * (b[i] - mb);
                var += (b[i] - mb) * (b[i] - mb);
            }
            beta[k] = var > 0 ? cov / var : Double.NaN;
        }
        return beta;
    }

    /** The {@code worst} deepest drawdown episodes of a curve in time order, deepest first. */
    static List<Drawdown> drawdowns(long[] t, double[] equity, int worst) {
        List<Drawdown> all = new ArrayList<>();
        double peak = equity[0];
        int start = -1;
        int valley = -1;
        for (int i = 0; i <= equity.length; i++) {
            boolean atEnd = i == equity.length;
            if (!atEnd && equity[i] < peak) {
                if (start < 0) {
                    start = i;
                    valley = i;
                }
                valley = equity[i] < equity[valley] ? i : valley;
                continue;
            }
            if (start >= 0) {
                int end = i - 1;
                all.add(new Drawdown(t[start], t[valley], t[end], atEnd ? -1 : t[i], equity[valley] / peak - 1,
                        Math.floorDiv(t[end], 86_400L) - Math.floorDiv(t[start], 86_400L) + 1));
                start = -1;
            }
            if (!atEnd) {
                peak = equity[i];
            }
        }
        all.sort(Comparator.comparingDouble(Drawdown::depth));
        return List.copyOf(all.subList(0, Math.min(worst, all.size())));
    }

    /** Calendar months (UTC): the last equity of each month over the last of the month before, or the first point. */
    static List<Month> months(long[] t, double[] equity) {
        List<Month> out = new ArrayList<>();
        YearMonth current = null;
        double base = equity[0];
        double last = equity[0];
        for (int i = 0; i < t.length; i++) {
            YearMonth m = YearMonth.from(Instant.ofEpochSecond(t[i]).atOffset(ZoneOffset.UTC));
            if (current != null && !m.equals(current)) {
                out.add(new Month(current.getYear(), current.getMonthValue(), base > 0 ? last / base - 1
                        : Double.NaN));
                base = last;
            }
            current = m;
            last = equity[i];
        }
        out.add(new Month(current.getYear(), current.getMonthValue(), base > 0 ? last / base - 1 : Double.NaN));
        return List.copyOf(out);
    }
}
