package dev.quantagent.evaluator;

import dev.quantagent.sandbox.Panel;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;

/**
 * The data's bar frequency and the annualisation it implies: 252 periods a year for daily data without weekends
 * (equities), 365 for daily data with weekends (crypto), 52 weekly, 12 monthly, and 365 x 24 x 3600 / bar length
 * for intraday bars (8,760 for hourly crypto, which trades around the clock).
 *
 * @param secondsPerPeriod median spacing of consecutive dates
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

    /** The frequency of any series of timestamps (epoch seconds, UTC), e.g. a backtest's equity curve. */
    public static Frequency infer(long[] epochSeconds) {
        int n = epochSeconds.length;
        if (n < 2) {
            return new Frequency(DAY, 252, "daily (252/yr)");
        }
        long[] gaps = new long[n - 1];
        boolean weekend = false;
        for (int t = 0; t < n; t++) {
            if (t > 0) {
                gaps[t - 1] = Math.abs(epochSeconds[t] - epochSeconds[t - 1]);
            }
            DayOfWeek d = Instant.ofEpochSecond(epochSeconds[t]).atOffset(ZoneOffset.UTC).getDayOfWeek();
            weekend |= d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY;
        }
        Arrays.sort(gaps);
        long median = Math.max(1, gaps[gaps.length / 2]);
        if (median >= DAY && median <= 4 * DAY) {
            return weekend ? new Frequency(DAY, 365, "daily (365/yr, trades every day)")
                    : new Frequency(DAY, 252, "daily (252/yr, trading days)");
        }
        if (median >= 5 * DAY && median <= 8 * DAY) {
            return new Frequency(7 * DAY, 52, "weekly (52/yr)");
        }
        if (median >= 27 * DAY && median <= 32 * DAY) {
            return new Frequency(30 * DAY, 12, "monthly (12/yr)");
        }
        double perYear = 365.0 * DAY / median;
        String unit = median % 3600 == 0 ? (median / 3600) + "h" : median % 60 == 0 ? (median / 60) + "min"
                : median + "s";
        return new Frequency(median, perYear, String.format(Locale.ROOT, "%s bars (%.0f/yr)", unit, perYear));
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
