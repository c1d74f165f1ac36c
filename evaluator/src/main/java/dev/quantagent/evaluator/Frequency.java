package dev.quantagent.evaluator;

import dev.quantagent.sandbox.Panel;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;

/**
 * The data's bar frequency and the annualisation it implies: 252 periods a year for daily data without weekends
 * (equities), 365 for daily data with weekends (crypto), 52 weekly, 12 monthly; for intraday bars, the bars of a
 * trading day times the trading days of a year (8,760 for hourly crypto, which trades around the clock; 1,764 for
 * hourly bars of a 7-hour stock session).
 *
 * @param secondsPerPeriod the nominal bar: the median spacing of consecutive dates, except that any median of 1 to 4
 *                         days counts as a day, 5 to 8 days as a week and 27 to 32 days as 30 days
 * @param periodsPerYear   annualisation factor
 * @param name             how reports describe it, e.g. {@code daily (252/yr)}
 */
public record Frequency(long secondsPerPeriod, double periodsPerYear, String name) {

    private static final long DAY = 86_400L;

    public static Frequency infer(Panel panel) {
        long[] times = new long[panel.dateCount()];
        for (int t = 0; t < times.length; t++) {
            times[t] = panel.date(t);
        }
        return infer(times);
    }

    /**
     * The frequency of any series of timestamps (epoch seconds, UTC), e.g. a backtest's equity curve.
     *
     * <p>Whether the market trades every day is read from which weekdays hold bars, in a way that does not depend on
     * the time zone the stamps were written in (Monday 00:00 +09:00 is a Sunday in UTC): a series of two weeks or more
     * trades on weekdays only if some two consecutive days of the week hold under 5% of its bars. Intraday bars that
     * cover only part of the day (a stock exchange's session) are annualised by the bars a session holds, not by the
     * bars a day could hold: 7 hourly bars a day on 252 days is 1,764 a year, not 8,760.
     */
    public static Frequency infer(long[] epochSeconds) {
        int n = epochSeconds.length;
        if (n < 2) {
            return new Frequency(DAY, 252, "daily (252/yr)");
        }
        long[] gaps = new long[n - 1];
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int t = 0; t < n; t++) {
            if (t > 0) {
                gaps[t - 1] = Math.abs(epochSeconds[t] - epochSeconds[t - 1]);
            }
            first = Math.min(first, epochSeconds[t]);
            last = Math.max(last, epochSeconds[t]);
        }
        Arrays.sort(gaps);
        long median = Math.max(1, gaps[gaps.length / 2]);
        boolean everyDay = tradesEveryDay(epochSeconds, last - first);
        if (median >= DAY && median <= 4 * DAY) {
            return everyDay ? new Frequency(DAY, 365, "daily (365/yr, trades every day)")
                    : new Frequency(DAY, 252, "daily (252/yr, trading days)");
        }
        if (median >= 5 * DAY && median <= 8 * DAY) {
            return new Frequency(7 * DAY, 52, "weekly (52/yr)");
        }
        if (median >= 27 * DAY && median <= 32 * DAY) {
            return new Frequency(30 * DAY, 12, "monthly (12/yr)");
        }
        String unit = median % 3600 == 0 ? (median / 3600) + "h" : median % 60 == 0 ? (median / 60) + "min"
                : median + "s";
        if (median < DAY && last - first >= 7 * DAY) {
            int slots = (int) (DAY / median);
            int used = sessionSlots(epochSeconds, median, slots);
            double days = everyDay ? 365 : 252;
            if (used < 0.9 * slots) {
                double perYear = used * days;
                return new Frequency(median, perYear, String.format(Locale.ROOT,
                        "%s bars, %d a session on %.0f days (%.0f/yr)", unit, used, days, perYear));
            }
            if (!everyDay) {
                double perYear = slots * days;
                return new Frequency(median, perYear, String.format(Locale.ROOT,
                        "%s bars around the clock on weekdays (%.0f/yr)", unit, perYear));
            }
        }
        double perYear = 365.0 * DAY / median;
        return new Frequency(median, perYear, String.format(Locale.ROOT, "%s bars (%.0f/yr)", unit, perYear));
    }

    /**
     * Whether bars fall on every day of the week. Under two weeks of data there is too little to count, and a bar on a
     * Saturday or Sunday (UTC) decides, as it always did.
     */
    private static boolean tradesEveryDay(long[] epochSeconds, long span) {
        int[] perDay = new int[7];
        boolean weekend = false;
        for (long t : epochSeconds) {
            DayOfWeek d = Instant.ofEpochSecond(t).atOffset(ZoneOffset.UTC).getDayOfWeek();
            perDay[d.getValue() - 1]++;
            weekend |= d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
        }
        if (span < 14 * DAY) {
            return weekend;
        }
        int quietest = Integer.MAX_VALUE;
        for (int d = 0; d < 7; d++) {
            quietest = Math.min(quietest, perDay[d] + perDay[(d + 1) % 7]);
        }
        return quietest >= 0.05 * epochSeconds.length;
    }

    /**
     * How many of the day's {@code slots} bar positions (time of day, UTC) hold bars: all of them around the clock,
     * a session's worth on an exchange. A position counts if it holds a tenth of an even share of the bars, so that a
     * few stray stamps do not make a session look longer.
     */
    private static int sessionSlots(long[] epochSeconds, long bar, int slots) {
        int[] count = new int[slots];
        for (long t : epochSeconds) {
            count[(int) Math.min(slots - 1, Math.floorMod(t, DAY) / bar)]++;
        }
        double even = (double) epochSeconds.length / slots;
        int used = 0;
        for (int c : count) {
            used += c >= 0.1 * even ? 1 : 0;
        }
        return Math.max(1, used);
    }

    /** The same bars with a user-given annualisation. */
    public Frequency withPeriodsPerYear(double perYear) {
        if (!(perYear > 0) || Double.isInfinite(perYear)) {
            throw new IllegalArgumentException("periods per year must be positive, got " + perYear);
        }
        return new Frequency(secondsPerPeriod, perYear, String.format(Locale.ROOT, "%s, annualised with %s/yr",
                name.replaceAll(" \\(.*", ""), perYear == Math.rint(perYear) ? String.valueOf((long) perYear)
                        : String.valueOf(perYear)));
    }
}
