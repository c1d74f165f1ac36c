package dev.quantagent.evaluator.data;

import dev.quantagent.sandbox.Panel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What is wrong or unusual in a panel, counted and with examples, so that nothing is dropped or fixed silently:
 * missing cells per field, bars breaking high &gt;= max(open, close) or low &lt;= min(open, close), non-positive
 * prices, zero volume, symbols that start late or end early, dates missing inside a symbol's life (no bar while
 * others trade: a halt, or rows lost on export), gaps in the time grid (e.g. exchange outages in hourly crypto),
 * close-to-close moves over 40% (splits, spin-offs or errors), and symbols that a grouping leaves without a group.
 *
 * @param dates            dates of the panel
 * @param assets           assets of the panel
 * @param missingByField   missing cells per field, among cells where the asset trades (has a close)
 * @param ohlcViolations   bars whose high or low contradicts open or close
 * @param nonPositive      non-positive prices
 * @param zeroVolume       bars with zero volume
 * @param lateStarters     symbols whose first close comes after the first date
 * @param earlyEnders      symbols whose last close comes before the last date
 * @param holes            dates without a close between a symbol's first and last close
 * @param symbolsWithHoles symbols with at least one such date
 * @param gaps             spacings between consecutive dates longer than 1.5 times the usual spacing
 * @param bigMoves         close-to-close moves larger than 40% in absolute value (across a hole: from the last close)
 * @param ungrouped        per grouping, symbols it gives no group (group operators leave them out)
 * @param examples         up to five examples per kind, e.g. {@code CHD 2014-05-19: high 33.95 < open ...}
 */
public record DataQuality(int dates, int assets, Map<String, Long> missingByField, long ohlcViolations,
                          long nonPositive, long zeroVolume, int lateStarters, int earlyEnders, long holes,
                          int symbolsWithHoles, int gaps, long bigMoves, Map<String, Integer> ungrouped,
                          Map<String, List<String>> examples) {

    private static final int EXAMPLES = 5;

    public static DataQuality inspect(Panel p) {
        int dates = p.dateCount();
        int assets = p.assetCount();
        Map<String, List<String>> examples = new LinkedHashMap<>();
        double[] close = p.hasField("close") ? p.column("close") : null;
        Map<String, Long> missing = new LinkedHashMap<>();
        for (String f : p.fieldNames()) {
            double[] v = p.column(f);
            long n = 0;
            for (int i = 0; i < v.length; i++) {
                boolean alive = close == null || close[i] == close[i];
                if (alive && v[i] != v[i]) {
                    n++;
                    if (!f.equals("close")) {
                        example(examples, "missing " + f, p, i);
                    }
                }
            }
            missing.put(f, n);
        }
        long ohlc = 0;
        long nonPositive = 0;
        long zeroVolume = 0;
        long bigMoves = 0;
        int late = 0;
        int early = 0;
        long holes = 0;
        int withHoles = 0;
        boolean hasOhlc = p.hasField("open") && p.hasField("high") && p.hasField("low") && close != null;
        double[] open = hasOhlc ? p.column("open") : null;
        double[] high = hasOhlc ? p.column("high") : null;
        double[] low = hasOhlc ? p.column("low") : null;
        double[] volume = p.hasField("volume") ? p.column("volume") : null;
        for (int a = 0; a < assets; a++) {
            int first = -1;
            int last = -1;
            long assetHoles = 0;
            for (int t = 0; t < dates; t++) {
                int i = a * dates + t;
                if (close != null && close[i] == close[i]) {
                    if (first < 0) {
                        first = t;
                    }
                    if (last >= 0 && last < t - 1) {
                        // dates without a bar since the last close, inside the symbol's life
                        assetHoles += t - 1 - last;
                        int from = last + 1;
                        int to = t - 1;
                        int a0 = a;
                        note(examples, "dates missing inside a symbol's life", () -> p.symbol(a0) + " "
                                + (to == from ? p.dateLabel(from)
                                        : p.dateLabel(from) + " .. " + p.dateLabel(to) + " (" + (to - from + 1)
                                                + " dates)"));
                    }
                    int before = last;
                    last = t;
                    if (close[i] <= 0) {
                        nonPositive++;
                        example(examples, "non-positive close", p, i);
                    }
                    double previous = before >= 0 ? close[a * dates + before] : Double.NaN;
                    if (previous > 0 && Math.abs(close[i] / previous - 1) > 0.4) {
                        bigMoves++;
                        example(examples, "move over 40%", p, i, String.format(Locale.ROOT, "close %s -> %s",
                                previous, close[i]));
                    }
                }
                if (hasOhlc && high[i] == high[i] && low[i] == low[i] && open[i] == open[i] && close[i] == close[i]
                        && (high[i] < Math.max(open[i], close[i]) || low[i] > Math.min(open[i], close[i]))) {
                    ohlc++;
                    example(examples, "high/low contradicts open/close", p, i, String.format(Locale.ROOT,
                            "open %s high %s low %s close %s", open[i], high[i], low[i], close[i]));
                }
                if (volume != null && volume[i] == 0) {
                    zeroVolume++;
                    example(examples, "zero volume", p, i);
                }
            }
            holes += assetHoles;
            withHoles += assetHoles > 0 ? 1 : 0;
            if (first > 0) {
                late++;
                int a0 = a;
                int first0 = first;
                note(examples, "starts late", () -> p.symbol(a0) + " from " + p.dateLabel(first0));
            }
            if (last >= 0 && last < dates - 1) {
                early++;
                int a0 = a;
                int last0 = last;
                note(examples, "ends early", () -> p.symbol(a0) + " until " + p.dateLabel(last0));
            }
        }
        int gaps = 0;
        if (dates > 2) {
            long[] spacing = new long[dates - 1];
            for (int t = 1; t < dates; t++) {
                spacing[t - 1] = p.date(t) - p.date(t - 1);
            }
            long[] sorted = spacing.clone();
            Arrays.sort(sorted);
            long usual = sorted[sorted.length / 2];
            boolean daily = usual >= 86_400 && usual <= 4 * 86_400;
            for (int t = 1; t < dates; t++) {
                // daily data skips weekends and holidays by design: only count gaps of more than 4 days there
                long limit = daily ? 4 * 86_400 : usual * 3 / 2;
                if (spacing[t - 1] > limit) {
                    gaps++;
                    int t0 = t;
                    note(examples, "gap in dates", () -> p.dateLabel(t0 - 1) + " -> " + p.dateLabel(t0));
                }
            }
        }
        Map<String, Integer> ungrouped = new LinkedHashMap<>();
        for (String grouping : p.groupNames()) {
            int n = 0;
            for (int a = 0; a < assets; a++) {
                if (p.groupOf(grouping, a) == null) {
                    n++;
                    int a0 = a;
                    note(examples, "no " + grouping, () -> p.symbol(a0));
                }
            }
            ungrouped.put(grouping, n);
        }
        return new DataQuality(dates, assets, missing, ohlc, nonPositive, zeroVolume, late, early, holes, withHoles,
                gaps, bigMoves, ungrouped, examples);
    }

    private static void example(Map<String, List<String>> examples, String kind, Panel p, int cell) {
        example(examples, kind, p, cell, null);
    }

    private static void example(Map<String, List<String>> examples, String kind, Panel p, int cell, String detail) {
        note(examples, kind, () -> p.symbol(cell / p.dateCount()) + " " + p.dateLabel(cell % p.dateCount())
                + (detail == null ? "" : ": " + detail));
    }

    /** Keeps an example of a kind of problem; the text is built only while fewer than {@link #EXAMPLES} are kept. */
    private static void note(Map<String, List<String>> examples, String kind, Supplier<String> text) {
        List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            list.add(text.get());
        }
    }

    /** One line for report headers, naming only what is present. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        missingByField.forEach((f, n) -> {
            if (n > 0) {
                parts.add(n + " missing " + f);
            }
        });
        if (ohlcViolations > 0) {
            parts.add(ohlcViolations + " bars with high/low contradicting open/close");
        }
        if (nonPositive > 0) {
            parts.add(nonPositive + " non-positive closes");
        }
        if (zeroVolume > 0) {
            parts.add(zeroVolume + " zero-volume bars");
        }
        if (bigMoves > 0) {
            parts.add(bigMoves + " moves over 40%");
        }
        if (lateStarters > 0) {
            parts.add(lateStarters + " symbols start late");
        }
        if (earlyEnders > 0) {
            parts.add(earlyEnders + " end early");
        }
        if (holes > 0) {
            parts.add(holes + " dates missing inside the lives of " + symbolsWithHoles + " symbol"
                    + (symbolsWithHoles == 1 ? "" : "s"));
        }
        if (gaps > 0) {
            parts.add(gaps + " gaps in dates");
        }
        ungrouped.forEach((g, n) -> {
            if (n > 0) {
                parts.add(n + " symbol" + (n == 1 ? "" : "s") + " without a " + g);
            }
        });
        return parts.isEmpty() ? "no problems found" : String.join(", ", parts);
    }
}
