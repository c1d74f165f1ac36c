package dev.quantagent.sandbox;

import dev.quantagent.sandbox.FormulaException.Kind;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a field's values come from. A column of the data always wins; otherwise three fields are derived:
 * {@code vwap = (high + low + close) / 3}, {@code returns = close / delay(close, 1) - 1} and
 * {@code adv{d} = ts_mean(volume * vwap, d)} (average daily dollar volume). Derived fields are cached on the panel.
 */
final class FieldSource {

    static final Pattern ADV = Pattern.compile("adv(\\d{1,9})");

    /** The columns of the usual price data, from which returns, vwap and adv{d} are derived. */
    static final List<String> STANDARD = List.of("open", "high", "low", "close", "volume", "cap");

    private FieldSource() {
    }

    /** Rows of history a derived field needs (0 for data columns). */
    static int lookback(String name) {
        if (name.equals("returns")) {
            return 1;
        }
        Matcher m = ADV.matcher(name);
        return m.matches() ? Math.max(0, Integer.parseInt(m.group(1)) - 1) : 0;
    }

    /**
     * The fields a formula may use on this panel: its columns, then {@code returns} and {@code vwap} where the
     * columns they are derived from exist ({@code adv{d}} is left out: it takes a window).
     */
    static List<String> available(Panel panel) {
        List<String> out = new ArrayList<>(panel.fieldNames());
        if (panel.hasField("close") && !out.contains("returns")) {
            out.add("returns");
        }
        if (panel.hasField("high") && panel.hasField("low") && panel.hasField("close") && !out.contains("vwap")) {
            out.add("vwap");
        }
        return List.copyOf(out);
    }

    /** Whether the field can be served by this panel without computing anything new. */
    static boolean isCachedOrColumn(Panel panel, String name) {
        return panel.hasField(name) || panel.hasDerived(name);
    }

    /**
     * The values of a field, computing and caching a derived one.
     *
     * @throws FormulaException naming the missing field and what the data has
     */
    static double[] values(Panel panel, String name, int pos, Deadline dl) {
        if (panel.hasField(name)) {
            return panel.column(name);
        }
        if (name.equals("vwap")) {
            require(panel, name, pos, "high", "low", "close");
            return panel.derived(name, k -> typicalPrice(panel));
        }
        if (name.equals("returns")) {
            require(panel, name, pos, "close");
            return panel.derived(name, k -> returns(panel));
        }
        Matcher m = ADV.matcher(name);
        if (m.matches()) {
            int d = Integer.parseInt(m.group(1));
            if (d < 1 || d > panel.dateCount()) {
                throw new FormulaException(Kind.WINDOW, pos, "window of " + name + " must be between 1 and the "
                        + panel.dateCount() + " dates of the data");
            }
            require(panel, name, pos, "volume");
            double[] vwap = values(panel, "vwap", pos, dl);
            return panel.derived(name, k -> adv(panel, vwap, d, dl));
        }
        List<String> known = new ArrayList<>(panel.fieldNames());
        throw new FormulaException(Kind.FIELD, pos, "unknown field '" + name + "'"
                + Suggest.didYouMean(name, withDerived(known)) + "; the data has " + String.join(", ", known)
                + (known.contains("close") ? " (and derived: returns, vwap, adv{d})" : ""));
    }

    /**
     * The first field of a tree (in reading order) that these columns neither hold nor derive, as the error that
     * evaluating it on such data raises: its position, and the closest field the columns offer.
     */
    static FormulaException unknown(Expr e, List<String> columns, String holder) {
        for (Expr n : Expressions.nodes(e)) {
            if (n instanceof Expr.Field f && !derivable(f.name(), columns)) {
                List<String> derived = new ArrayList<>();
                for (String d : List.of("returns", "vwap", "adv20")) {
                    if (!columns.contains(d) && derivable(d, columns)) {
                        derived.add(d);
                    }
                }
                List<String> offered = new ArrayList<>(columns);
                offered.addAll(derived);
                return new FormulaException(Kind.FIELD, f.pos(), "unknown field '" + f.name() + "'"
                        + Suggest.didYouMean(f.name(), offered) + "; " + holder + " has " + String.join(", ", columns)
                        + (derived.isEmpty() ? "" : " (and derived: " + String.join(", ", derived).replace("adv20",
                        "adv{d}") + ")"));
            }
        }
        return null;
    }

    private static boolean derivable(String name, List<String> columns) {
        if (columns.contains(name)) {
            return true;
        }
        boolean vwap = columns.contains("vwap") || columns.containsAll(List.of("high", "low", "close"));
        return switch (name) {
            case "returns" -> columns.contains("close");
            case "vwap" -> vwap;
            default -> ADV.matcher(name).matches() && columns.contains("volume") && vwap;
        };
    }

    private static List<String> withDerived(List<String> known) {
        List<String> all = new ArrayList<>(known);
        all.add("returns");
        all.add("vwap");
        all.add("adv20");
        return all;
    }

    private static void require(Panel panel, String derived, int pos, String... columns) {
        for (String c : columns) {
            if (!panel.hasField(c)) {
                throw new FormulaException(Kind.FIELD, pos, "field '" + derived + "' is derived from '" + c
                        + "', which the data does not have (has: " + String.join(", ", panel.fieldNames()) + ")");
            }
        }
    }

    private static double[] typicalPrice(Panel panel) {
        double[] h = panel.column("high");
        double[] l = panel.column("low");
        double[] c = panel.column("close");
        double[] out = new double[h.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Scalar.finite((h[i] + l[i] + c[i]) / 3.0);
        }
        return out;
    }

    private static double[] returns(Panel panel) {
        double[] c = panel.column("close");
        int dates = panel.dateCount();
        double[] out = new double[c.length];
        for (int a = 0; a < panel.assetCount(); a++) {
            int b = a * dates;
            out[b] = Double.NaN;
            for (int t = 1; t < dates; t++) {
                out[b + t] = Scalar.sub(Scalar.div(c[b + t], c[b + t - 1]), 1.0);
            }
        }
        return out;
    }

    private static double[] adv(Panel panel, double[] vwap, int d, Deadline dl) {
        double[] v = panel.column("volume");
        double[] dollar = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            dollar[i] = Scalar.mul(v[i], vwap[i]);
        }
        double[] out = new double[v.length];
        TimeSeriesKernels.moments(dollar, out, panel.dateCount(), 0, panel.assetCount(), d,
                TimeSeriesKernels.Moment.MEAN, dl);
        return out;
    }
}
