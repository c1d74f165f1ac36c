package dev.quantagent.cli.render;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;

/** How a figure is written in every table, terminal, markdown or page: one place, so they all agree. */
public final class Cells {

    private Cells() {
    }

    /** A statistic as the tables show it: "-" when undefined, percent with 2 decimals, else 4 decimals. */
    public static String cell(double v, boolean percent, boolean integer) {
        if (v != v) {
            return "-";
        }
        if (integer) {
            return String.valueOf((long) v);
        }
        if (percent) {
            return String.format(Locale.ROOT, "%.2f%%", 100 * v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4f", v);
    }

    /** A share in percent with 2 decimals, "-" when undefined. */
    public static String pct(double v) {
        return cell(v, true, false);
    }

    /** A statistic with 4 decimals (1 from 100 up), "-" when undefined. */
    public static String stat(double v) {
        return cell(v, false, false);
    }

    /** A figure with the given decimals, "-" when undefined. */
    public static String fixed(double v, int decimals) {
        return v == v ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "-";
    }

    /** A setting as given: {@code 10} for a whole number, else its decimals ({@code 2.5}). */
    public static String setting(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** A value at four significant digits (scientific when very large or small). */
    public static String significant(double v) {
        if (v != v) {
            return "-";
        }
        return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v != 0) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4g", v);
    }

    /** A p-value: 4 decimals, scientific below 1e-4, "-" when undefined. */
    public static String p(double v) {
        return v != v ? "-" : v < 1e-4 ? String.format(Locale.ROOT, "%.1e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    /** A return per bar in basis points, e.g. {@code 3.2 bps}. */
    public static String bps(double v) {
        return v != v ? "-" : String.format(Locale.ROOT, "%.1f bps", 10_000 * v);
    }

    /** An epoch second as its UTC day, e.g. {@code 2016-03-01}. */
    public static String day(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** The text with its first letter in upper case. */
    public static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A CSV field, quoted (a formula has commas). */
    public static String csv(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
