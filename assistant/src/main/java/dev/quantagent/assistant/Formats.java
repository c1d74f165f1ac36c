package dev.quantagent.assistant;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/** How the analysis writes numbers in its text (findings, recommendations, the narrative's figures) and tables. */
public final class Formats {

    private Formats() {
    }

    public static String format(Metrics.Def d, double v) {
        if (v != v) {
            return "n/a";
        }
        switch (d.kind()) {
            case PCT:
                return pct(v);
            case DAYS:
                return String.format(Locale.ROOT, "%.1f d", v);
            case COUNT:
                return String.format(Locale.ROOT, "%.0f", v);
            case MONEY:
                return String.format(Locale.ROOT, "%.2f", v);
            default:
                return num(v);
        }
    }

    public static String pct(double v) {
        return v != v ? "n/a" : Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    /** A daily rate in percent, to three decimals (a regime's 0.042% a day). */
    public static String dailyPct(double v) {
        return v != v ? "n/a" : Double.isInfinite(v) ? "∞" : String.format(Locale.ROOT, "%.3f%%", 100 * v);
    }

    public static String num(double v) {
        return v != v ? "n/a" : Double.isInfinite(v) ? "∞" : v == Math.rint(v) && Math.abs(v) < 1e9
                ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The UTC date of an epoch second. */
    public static String day(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** The date for midnight UTC, else the ISO date-time in UTC. */
    public static String time(long epochSecond) {
        return epochSecond % 86_400 == 0 ? day(epochSecond) : Instant.ofEpochSecond(epochSecond).toString();
    }
}
