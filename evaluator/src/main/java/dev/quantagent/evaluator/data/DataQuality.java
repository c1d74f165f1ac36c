package dev.quantagent.evaluator.data;

import dev.quantagent.sandbox.Panel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What is wrong or unusual in a panel, counted and with examples, so that nothing is dropped or fixed silently:
 * missing cells per field, bars breaking high &gt;= max(open, close) or low &lt;= min(open, close), non-positive
 * prices, zero volume, symbols that start late or end early, gaps in the time grid (e.g. exchange outages in hourly
 * crypto), and close-to-close moves over 40% (splits, spin-offs or errors).
 *
 * @param dates            dates of the panel
 * @param assets           assets of the panel
 * @param missingByField   missing cells per field, among cells where the asset trades (has a close)
 * @param ohlcViolations   bars whose high or low contradicts open or close
 * @param nonPositive      non-positive prices
 * @param zeroVolume       bars with zero volume
 * @param lateStarters     symbols whose first close comes after the first date
 * @param earlyEnders      symbols whose last close comes before the last date
 * @param gaps             spacings between consecutive dates longer than 1.5 times the usual spacing
 * @param bigMoves         close-to-close moves larger than 40% in absolute value
 * @param examples         up to five examples per kind, e.g. {@code CHD 2014-05-19: high 33.95 < open ...}
 */
public record DataQuality(int dates, int assets, Map<String, Long> missingByField, long ohlcViolations,
                          long nonPositive, long zeroVolume, int lateStarters, int earlyEnders, int gaps,
                          long bigMoves, Map<String, List<String>> examples) {

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
        boolean hasOhlc = p.hasField("open") && p.hasField("high") && p.hasField("low") && close != null;
        double[] open = hasOhlc ? p.column("open") : null;
        double[] high = hasOhlc ? p.column("high") : null;
        double[] low = hasOhlc ? p.column("low") : null;
        double[] volume = p.hasField("volume") ? p.column("volume") : null;
        for (int a = 0; a < assets; a++) {
            int first = -1;
            int last = -1;
            for (int t = 0; t < dates; t++) {
                int i = a * dates + t;
                if (close != null && close[i] == close[i]) {
                    if (first < 0) {
                        first = t;
                    }
                    last = t;
                    if (close[i] <= 0) {
                        nonPositive++;
                        example(examples, "non-positive close", p, i);
                    }
                    if (t > 0 && close[i - 1] > 0 && Math.abs(close[i] / close[i - 1] - 1) > 0.4) {
                        bigMoves++;
                        example(examples, "move over 40%", p, i, String.format(Locale.ROOT, "close %s -> %s",
                                close[i - 1], close[i]));
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
            if (first > 0) {
                late++;
                examples.computeIfAbsent("starts late", k -> new ArrayList<>());
                if (examples.get("starts late").size() < EXAMPLES) {
                    examples.get("starts late").add(p.symbol(a) + " from " + p.dateLabel(first));
                }
            }
            if (last >= 0 && last < dates - 1) {
                early++;
                examples.computeIfAbsent("ends early", k -> new ArrayList<>());
                if (examples.get("ends early").size() < EXAMPLES) {
                    examples.get("ends early").add(p.symbol(a) + " until " + p.dateLabel(last));
                }
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
                    examples.computeIfAbsent("gap in dates", k -> new ArrayList<>());
                    if (examples.get("gap in dates").size() < EXAMPLES) {
                        examples.get("gap in dates").add(p.dateLabel(t - 1) + " -> " + p.dateLabel(t));
                    }
                }
            }
        }
        return new DataQuality(dates, assets, missing, ohlc, nonPositive, zeroVolume, late, early, gaps, bigMoves,
                examples);
    }

    private static void example(Map<String, List<String>> examples, String kind, Panel p, int cell) {
        example(examples, kind, p, cell, null);
    }

    private static void example(Map<String, List<String>> examples, String kind, Panel p, int cell, String detail) {
        List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
        if (list.size() < EXAMPLES) {
            int a = cell / p.dateCount();
            int t = cell % p.dateCount();
            list.add(p.symbol(a) + " " + p.dateLabel(t) + (detail == null ? "" : ": " + detail));
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
        if (gaps > 0) {
            parts.add(gaps + " gaps in dates");
        }
        return parts.isEmpty() ? "no problems found" : String.join(", ", parts);
    }
}
