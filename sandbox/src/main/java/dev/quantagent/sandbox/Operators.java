package dev.quantagent.sandbox;

import dev.quantagent.sandbox.Op.Category;
import dev.quantagent.sandbox.Op.Impl;
import dev.quantagent.sandbox.Op.Kind;
import dev.quantagent.sandbox.Op.Param;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator registry: every operator of the language, both dialects (WorldQuant "101 Formulaic Alphas" and
 * Qlib/Alpha158) and the AlphaAgent extras. Names are matched case-insensitively. Some names are overloaded and
 * resolved by their arguments, as the dialects define them: {@code rank(x)} is cross-sectional while Qlib's
 * {@code Rank(x, d)} is a time-series rank; {@code min/max(x, <number>)} is {@code ts_min/ts_max} while
 * {@code min/max(x, y)} is element-wise.
 */
public final class Operators {

    private static final double REQUIRED = Double.NaN;
    private static final List<Op> ALL;
    private static final Map<String, List<Op>> BY_NAME;

    static {
        List<Op> ops = new ArrayList<>();
        Category ar = Category.ARITHMETIC;
        Category lo = Category.LOGIC;
        Category ts = Category.TIME_SERIES;
        Category cs = Category.CROSS_SECTION;
        Category gr = Category.GROUP;

        ops.add(op("add", "+", ar, Impl.ADD, true, "a + b", s("a"), s("b"), "Add"));
        ops.add(op("sub", "-", ar, Impl.SUB, false, "a - b", s("a"), s("b"), "Sub"));
        ops.add(op("mul", "*", ar, Impl.MUL, true, "a * b", s("a"), s("b"), "Mul"));
        ops.add(op("div", "/", ar, Impl.DIV, false, "a / b; NaN where b is 0", s("a"), s("b"), "Div"));
        ops.add(op("pow", "^", ar, Impl.POW, false, "a raised to the power b; NaN where undefined", s("a"), s("b"),
                "Power"));
        ops.add(op("neg", null, ar, Impl.NEG, false, "-x (unary minus)", s("x")));
        ops.add(op("abs", null, ar, Impl.ABS, false, "absolute value", s("x"), "Abs"));
        ops.add(op("sign", null, ar, Impl.SIGN, false, "-1, 0 or 1", s("x"), "Sign"));
        ops.add(op("log", null, ar, Impl.LOG, false, "natural logarithm; NaN for x <= 0", s("x"), "Log"));
        ops.add(op("sqrt", null, ar, Impl.SQRT, false, "square root; NaN for x < 0", s("x")));
        ops.add(op("exp", null, ar, Impl.EXP, false, "e^x; NaN on overflow", s("x")));
        ops.add(op("signedpower", null, ar, Impl.SIGNED_POWER, false, "sign(x) * |x|^a", s("x"), s("a")));
        ops.add(op("greater", null, ar, Impl.GREATER, true, "element-wise maximum of a and b", s("a"), s("b"),
                "max", "Greater"));
        ops.add(op("less", null, ar, Impl.LESS, true, "element-wise minimum of a and b", s("a"), s("b"),
                "min", "Less"));

        ops.add(op("lt", "<", lo, Impl.LT, false, "a < b", s("a"), s("b"), "Lt"));
        ops.add(op("le", "<=", lo, Impl.LE, false, "a <= b", s("a"), s("b"), "Le"));
        ops.add(op("gt", ">", lo, Impl.GT, false, "a > b", s("a"), s("b"), "Gt"));
        ops.add(op("ge", ">=", lo, Impl.GE, false, "a >= b", s("a"), s("b"), "Ge"));
        ops.add(op("eq", "==", lo, Impl.EQ, true, "a == b", s("a"), s("b"), "Eq"));
        ops.add(op("ne", "!=", lo, Impl.NE, true, "a != b", s("a"), s("b"), "Ne"));
        ops.add(op("and", "&&", lo, Impl.AND, true, "both non-zero (also written &)", s("a"), s("b"), "And"));
        ops.add(op("or", "||", lo, Impl.OR, true, "either non-zero (also written |)", s("a"), s("b"), "Or"));
        ops.add(op("not", "!", lo, Impl.NOT, false, "1 where x is 0, else 0", s("x"), "Not"));
        ops.add(op("if", null, lo, Impl.IF, false, "c ? a : b; NaN where c is NaN", s("c"), s("a"), s("b"), "If",
                "where"));

        ops.add(window("delay", ts, Impl.DELAY, 0, "x as it was d rows ago", s("x"), lag("d"), "Ref"));
        ops.add(window("delta", ts, Impl.DELTA, 1, "x - delay(x, d)", s("x"), w("d"), "Delta", "ts_delta"));
        ops.add(window("ts_sum", ts, Impl.TS_SUM, 1, "sum over the window", s("x"), w("d"), "sum", "Sum"));
        ops.add(window("ts_mean", ts, Impl.TS_MEAN, 1, "mean over the window", s("x"), w("d"), "Mean", "sma"));
        ops.add(window("stddev", ts, Impl.TS_STD, 2, "sample standard deviation (n-1)", s("x"), w("d"), "Std",
                "ts_std", "ts_stddev"));
        ops.add(window("ts_var", ts, Impl.TS_VAR, 2, "sample variance (n-1)", s("x"), w("d"), "Var"));
        ops.add(window("ts_zscore", ts, Impl.TS_ZSCORE, 2, "(x - ts_mean(x, d)) / stddev(x, d)", s("x"), w("d")));
        ops.add(window("ts_skew", ts, Impl.TS_SKEW, 3, "sample skewness, bias-corrected (pandas)", s("x"), w("d"),
                "Skew"));
        ops.add(window("ts_kurt", ts, Impl.TS_KURT, 4, "excess kurtosis, bias-corrected (pandas)", s("x"), w("d"),
                "Kurt"));
        ops.add(window("ts_min", ts, Impl.TS_MIN, 1, "minimum over the window", s("x"), w("d"), "min", "Min"));
        ops.add(window("ts_max", ts, Impl.TS_MAX, 1, "maximum over the window", s("x"), w("d"), "max", "Max"));
        ops.add(window("ts_argmin", ts, Impl.TS_ARGMIN, 1,
                "1-based position of the minimum, counted from the oldest row (d = today); ties: the oldest",
                s("x"), w("d"), "IdxMin"));
        ops.add(window("ts_argmax", ts, Impl.TS_ARGMAX, 1,
                "1-based position of the maximum, counted from the oldest row (d = today); ties: the oldest",
                s("x"), w("d"), "IdxMax"));
        ops.add(window("ts_rank", ts, Impl.TS_RANK, 1,
                "percentile of today's value among the window's d values, ties averaged, in (0, 1]", s("x"),
                w("d"), "rank", "Rank"));
        ops.add(window("ts_product", ts, Impl.TS_PRODUCT, 1, "product over the window", s("x"), w("d"),
                "product", "prod"));
        ops.add(window("ts_median", ts, Impl.TS_MEDIAN, 1, "median over the window", s("x"), w("d"), "Med",
                "median"));
        ops.add(window("ts_mad", ts, Impl.TS_MAD, 1, "mean absolute deviation from the window mean", s("x"),
                w("d"), "Mad"));
        ops.add(window("ts_quantile", ts, Impl.TS_QUANTILE, 1,
                "q-quantile over the window, linear interpolation (pandas)", s("x"), w("d"), n("q"),
                "Quantile"));
        ops.add(window("ts_count", ts, Impl.TS_COUNT, 1, "number of non-missing values in the last d rows",
                s("x"), w("d"), "Count"));
        ops.add(window("decay_linear", ts, Impl.DECAY_LINEAR, 1,
                "weighted mean with weights d, d-1, ..., 1 (today heaviest), normalised to sum 1", s("x"),
                w("d"), "WMA", "ts_decay_linear"));
        ops.add(window("ema", ts, Impl.EMA, 1,
                "exponential moving average, span d (alpha = 2/(d+1)); NaN until d values were seen", s("x"),
                w("d"), "EMA", "ts_ema"));
        ops.add(window("ts_slope", ts, Impl.SLOPE, 2, "slope of the least-squares line of x on time", s("x"),
                w("d"), "Slope"));
        ops.add(window("ts_rsquare", ts, Impl.RSQUARE, 2, "R^2 of the least-squares line of x on time", s("x"),
                w("d"), "Rsquare"));
        ops.add(window("ts_resi", ts, Impl.RESI, 2,
                "today's residual from the least-squares line of x on time", s("x"), w("d"), "Resi"));
        ops.add(window("correlation", ts, Impl.CORRELATION, 2,
                "Pearson correlation of x and y over the window; NaN if either is constant", s("x"), s("y"),
                w("d"), "Corr", "ts_corr"));
        ops.add(window("covariance", ts, Impl.COVARIANCE, 2, "sample covariance (n-1) of x and y", s("x"),
                s("y"), w("d"), "Cov", "ts_cov"));
        ops.add(window("regbeta", ts, Impl.REGBETA, 2, "slope of the least-squares regression of y on x",
                s("y"), s("x"), w("d"), "ts_regbeta"));
        ops.add(window("regresi", ts, Impl.REGRESI, 2,
                "today's residual of the least-squares regression of y on x", s("y"), s("x"), w("d"),
                "ts_regresi"));

        ops.add(op("rank", null, cs, Impl.RANK, false,
                "cross-sectional percentile rank, ties averaged, in (0, 1]", s("x"), "cs_rank"));
        ops.add(op("zscore", null, cs, Impl.ZSCORE, false,
                "cross-sectional (x - mean) / sample standard deviation", s("x"), "cs_zscore"));
        ops.add(op("scale", null, cs, Impl.SCALE, false, "a * x / sum(|x|) per date", s("x"),
                new Param("a", Kind.NUMBER, 1.0)));

        ops.add(op("indneutralize", null, gr, Impl.GROUP_NEUTRALIZE, false,
                "x minus the mean of x within its group on that date", s("x"), g(),
                "group_neutralize", "IndNeutralize"));
        ops.add(op("group_rank", null, gr, Impl.GROUP_RANK, false,
                "percentile rank within the group on that date, ties averaged, in (0, 1]", s("x"), g()));
        ops.add(op("group_zscore", null, gr, Impl.GROUP_ZSCORE, false,
                "z-score within the group on that date (sample standard deviation)", s("x"), g()));

        ALL = List.copyOf(ops);
        Map<String, List<Op>> byName = new LinkedHashMap<>();
        for (Op o : ALL) {
            byName.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(o);
            for (String a : o.aliases()) {
                String key = a.toLowerCase(Locale.ROOT);
                if (!key.equals(o.name())) {
                    byName.computeIfAbsent(key, k -> new ArrayList<>()).add(o);
                }
            }
        }
        // Overloads: the candidate taking constants (window) must be tried before the element-wise one, so that
        // max(x, 5) is ts_max as the 101-alphas paper defines.
        byName.replaceAll((k, v) -> {
            List<Op> sorted = new ArrayList<>(v);
            sorted.sort((a, b) -> Integer.compare(constantParams(b), constantParams(a)));
            return List.copyOf(sorted);
        });
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private Operators() {
    }

    /** Every operator, in reference order. */
    public static List<Op> all() {
        return ALL;
    }

    /** Candidates for a name as written (case-insensitive); empty when unknown. */
    static List<Op> candidates(String name) {
        return BY_NAME.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** All names and aliases, lower case, for suggestions. */
    static Iterable<String> names() {
        return BY_NAME.keySet();
    }

    /** The operator with this canonical name. */
    static Op byName(String canonicalName) {
        for (Op o : ALL) {
            if (o.name().equals(canonicalName)) {
                return o;
            }
        }
        throw new IllegalArgumentException("no operator " + canonicalName);
    }

    private static int constantParams(Op o) {
        int n = 0;
        for (Param p : o.params()) {
            if (p.kind() == Kind.WINDOW || p.kind() == Kind.LAG || p.kind() == Kind.NUMBER) {
                n++;
            }
        }
        return n;
    }

    private static Param s(String name) {
        return new Param(name, Kind.SERIES, REQUIRED);
    }

    private static Param w(String name) {
        return new Param(name, Kind.WINDOW, REQUIRED);
    }

    private static Param lag(String name) {
        return new Param(name, Kind.LAG, REQUIRED);
    }

    private static Param n(String name) {
        return new Param(name, Kind.NUMBER, REQUIRED);
    }

    private static Param g() {
        return new Param("group", Kind.GROUP, REQUIRED);
    }

    /** args: Params, then alias Strings. */
    private static Op op(String name, String infix, Category c, Impl impl, boolean commutative, String doc,
                         Object... args) {
        return build(name, infix, c, impl, 1, commutative, doc, args);
    }

    private static Op window(String name, Category c, Impl impl, int minWindow, String doc, Object... args) {
        return build(name, null, c, impl, minWindow, false, doc, args);
    }

    private static Op build(String name, String infix, Category c, Impl impl, int minWindow, boolean commutative,
                            String doc, Object[] args) {
        List<Param> params = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof Param p) {
                params.add(p);
            } else {
                aliases.add((String) a);
            }
        }
        return new Op(name, aliases, c, params, impl, minWindow, commutative, infix, doc);
    }
}
