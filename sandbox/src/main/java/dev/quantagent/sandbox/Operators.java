package dev.quantagent.sandbox;

import dev.quantagent.sandbox.AssetScale.Units;
import dev.quantagent.sandbox.Canonical.Scaling;
import dev.quantagent.sandbox.CrossSectionKernels.GroupOp;
import dev.quantagent.sandbox.Op.Category;
import dev.quantagent.sandbox.Op.Kind;
import dev.quantagent.sandbox.Op.Param;
import dev.quantagent.sandbox.TimeSeriesKernels.Extreme;
import dev.quantagent.sandbox.TimeSeriesKernels.Moment;
import dev.quantagent.sandbox.TimeSeriesKernels.Pair;
import dev.quantagent.sandbox.TimeSeriesKernels.Trend;
import dev.quantagent.sandbox.TimeSeriesKernels.Window;

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
 *
 * <p>Each entry says everything the sandbox knows of its operator: what users see (name, parameters, aliases, the
 * reference's line), the {@link Kernel} that computes it, its unit rule ({@link AssetScale.Units}) and its scaling
 * ({@link Canonical.Scaling}). OperatorConformanceTest holds every entry to the test's reference implementation.
 */
public final class Operators {

    private static final double REQUIRED = Double.NaN;
    private static final List<Op> ALL;
    private static final Map<String, List<Op>> BY_NAME;

    static {
        Category ar = Category.ARITHMETIC;
        Category lo = Category.LOGIC;
        List<Entry> ops = List.of(
                op("add", ar, "a + b").infix("+").commutative().series("a", "b").aliases("Add")
                        .binary(ElementwiseKernels::add).units(Units.SUM).scaling(Scaling.NONE),
                op("sub", ar, "a - b").infix("-").series("a", "b").aliases("Sub")
                        .binary(ElementwiseKernels::sub).units(Units.DIFFERENCE).scaling(Scaling.NONE),
                op("mul", ar, "a * b").infix("*").commutative().series("a", "b").aliases("Mul")
                        .binary(ElementwiseKernels::mul).units(Units.PRODUCT).scaling(Scaling.HOMOGENEOUS),
                op("div", ar, "a / b; NaN where b is 0").infix("/").series("a", "b").aliases("Div")
                        .binary(ElementwiseKernels::div).units(Units.QUOTIENT).scaling(Scaling.HOMOGENEOUS),
                op("pow", ar, "a raised to the power b; NaN where undefined").infix("^").series("a", "b")
                        .aliases("Power").binary(ElementwiseKernels::pow).units(Units.POWER).scaling(Scaling.POWER),
                op("neg", ar, "-x (unary minus)").series("x")
                        .unary(ElementwiseKernels::neg).units(Units.SAME).scaling(Scaling.HOMOGENEOUS),
                op("abs", ar, "absolute value").series("x").aliases("Abs")
                        .unary(ElementwiseKernels::abs).units(Units.SIZE).scaling(Scaling.HOMOGENEOUS),
                op("sign", ar, "-1, 0 or 1").series("x").aliases("Sign")
                        .unary(ElementwiseKernels::sign).units(Units.SIGN).scaling(Scaling.INVARIANT),
                op("log", ar, "natural logarithm; NaN for x <= 0").series("x").aliases("Log")
                        .unary(ElementwiseKernels::log).units(Units.LOG).scaling(Scaling.NONE),
                op("sqrt", ar, "square root; NaN for x < 0").series("x")
                        .unary(ElementwiseKernels::sqrt).units(Units.ROOT).scaling(Scaling.HOMOGENEOUS),
                op("exp", ar, "e^x; NaN on overflow").series("x")
                        .unary(ElementwiseKernels::exp).units(Units.EXP).scaling(Scaling.NONE),
                op("signedpower", ar, "sign(x) * |x|^a").series("x", "a")
                        .binary(ElementwiseKernels::signedPower).units(Units.POWER).scaling(Scaling.POWER),
                op("greater", ar, "element-wise maximum of a and b").commutative().series("a", "b")
                        .aliases("max", "Greater")
                        .binary(ElementwiseKernels::greater).units(Units.CHOICE).scaling(Scaling.NONE),
                op("less", ar, "element-wise minimum of a and b").commutative().series("a", "b")
                        .aliases("min", "Less")
                        .binary(ElementwiseKernels::less).units(Units.CHOICE).scaling(Scaling.NONE),

                op("lt", lo, "a < b").infix("<").series("a", "b").aliases("Lt")
                        .binary(ElementwiseKernels::lt).units(Units.COMPARISON).scaling(Scaling.NONE),
                op("le", lo, "a <= b").infix("<=").series("a", "b").aliases("Le")
                        .binary(ElementwiseKernels::le).units(Units.COMPARISON).scaling(Scaling.NONE),
                op("gt", lo, "a > b").infix(">").series("a", "b").aliases("Gt")
                        .binary(ElementwiseKernels::gt).units(Units.COMPARISON).scaling(Scaling.NONE),
                op("ge", lo, "a >= b").infix(">=").series("a", "b").aliases("Ge")
                        .binary(ElementwiseKernels::ge).units(Units.COMPARISON).scaling(Scaling.NONE),
                op("eq", lo, "a == b").infix("==").commutative().series("a", "b").aliases("Eq")
                        .binary(ElementwiseKernels::eq).units(Units.COMPARISON).scaling(Scaling.NONE),
                op("ne", lo, "a != b").infix("!=").commutative().series("a", "b").aliases("Ne")
                        .binary(ElementwiseKernels::ne).units(Units.COMPARISON).scaling(Scaling.NONE),
                op("and", lo, "both non-zero (also written &)").infix("&&").commutative().series("a", "b")
                        .aliases("And").binary(ElementwiseKernels::and).units(Units.TRUTH).scaling(Scaling.NONE),
                op("or", lo, "either non-zero (also written |)").infix("||").commutative().series("a", "b")
                        .aliases("Or").binary(ElementwiseKernels::or).units(Units.TRUTH).scaling(Scaling.NONE),
                op("not", lo, "1 where x is 0, else 0").infix("!").series("x").aliases("Not")
                        .unary(ElementwiseKernels::not).units(Units.TRUTH).scaling(Scaling.NONE),
                op("if", lo, "c ? a : b; NaN where c is NaN").series("c", "a", "b").aliases("If", "where")
                        .kernel(ElementwiseKernels.IF_THEN).units(Units.BRANCHES).scaling(Scaling.NONE),

                timeSeries("delay", 0, "x as it was d rows ago").series("x").lag("d").aliases("Ref")
                        .kernel((in, out, from, to, s, dl) -> TimeSeriesKernels.delay(in.x(), out, in.dates(), from,
                                to, in.window(), dl))
                        .units(Units.SAME).scaling(Scaling.HOMOGENEOUS),
                timeSeries("delta", 1, "x - delay(x, d)").series("x").window("d").aliases("Delta", "ts_delta")
                        .kernel((in, out, from, to, s, dl) -> TimeSeriesKernels.delta(in.x(), out, in.dates(), from,
                                to, in.window(), dl))
                        .units(Units.CHANGE).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_sum", 1, "sum over the window").series("x").window("d").aliases("sum", "Sum")
                        .kernel(Moment.SUM).units(Units.WINDOW_SUM).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_mean", 1, "mean over the window").series("x").window("d").aliases("Mean", "sma")
                        .kernel(Moment.MEAN).units(Units.SAME).scaling(Scaling.HOMOGENEOUS),
                timeSeries("stddev", 2, "sample standard deviation (n-1)").series("x").window("d")
                        .aliases("Std", "ts_std", "ts_stddev")
                        .kernel(Moment.STD).units(Units.CHANGE).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_var", 2, "sample variance (n-1)").series("x").window("d").aliases("Var")
                        .kernel(Moment.VAR).units(Units.SQUARED_CHANGE).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_zscore", 2, "(x - ts_mean(x, d)) / stddev(x, d)").series("x").window("d")
                        .kernel(Moment.ZSCORE).units(Units.NORMALISED).scaling(Scaling.INVARIANT),
                timeSeries("ts_skew", 3, "sample skewness, bias-corrected (pandas)").series("x").window("d")
                        .aliases("Skew").kernel(Window.SKEW).units(Units.NORMALISED).scaling(Scaling.INVARIANT),
                timeSeries("ts_kurt", 4, "excess kurtosis, bias-corrected (pandas)").series("x").window("d")
                        .aliases("Kurt").kernel(Window.KURT).units(Units.NORMALISED).scaling(Scaling.INVARIANT),
                timeSeries("ts_min", 1, "minimum over the window").series("x").window("d").aliases("min", "Min")
                        .kernel(Extreme.MIN).units(Units.SAME).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_max", 1, "maximum over the window").series("x").window("d").aliases("max", "Max")
                        .kernel(Extreme.MAX).units(Units.SAME).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_argmin", 1,
                        "1-based position of the minimum, counted from the oldest row (d = today); ties: the oldest")
                        .series("x").window("d").aliases("IdxMin")
                        .kernel(Extreme.ARGMIN).units(Units.NORMALISED).scaling(Scaling.INVARIANT),
                timeSeries("ts_argmax", 1,
                        "1-based position of the maximum, counted from the oldest row (d = today); ties: the oldest")
                        .series("x").window("d").aliases("IdxMax")
                        .kernel(Extreme.ARGMAX).units(Units.NORMALISED).scaling(Scaling.INVARIANT),
                timeSeries("ts_rank", 1,
                        "percentile of today's value among the window's d values, ties averaged, in (0, 1]")
                        .series("x").window("d").aliases("rank", "Rank")
                        .kernel(Window.RANK).units(Units.NORMALISED).scaling(Scaling.INVARIANT),
                timeSeries("ts_product", 1, "product over the window").series("x").window("d")
                        .aliases("product", "prod")
                        .kernel(Window.PRODUCT).units(Units.WINDOW_PRODUCT).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_median", 1, "median over the window").series("x").window("d").aliases("Med", "median")
                        .kernel(Window.MEDIAN).units(Units.SAME).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_mad", 1, "mean absolute deviation from the window mean").series("x").window("d")
                        .aliases("Mad").kernel(Window.MAD).units(Units.CHANGE).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_quantile", 1, "q-quantile over the window, linear interpolation (pandas)")
                        .series("x").window("d").number("q").aliases("Quantile")
                        .kernel(Window.QUANTILE).units(Units.SAME).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_count", 1, "number of non-missing values in the last d rows").series("x").window("d")
                        .aliases("Count")
                        .kernel((in, out, from, to, s, dl) -> TimeSeriesKernels.count(in.x(), out, in.dates(), from,
                                to, in.window(), dl))
                        .units(Units.NORMALISED).scaling(Scaling.NONE),
                timeSeries("decay_linear", 1,
                        "weighted mean with weights d, d-1, ..., 1 (today heaviest), normalised to sum 1")
                        .series("x").window("d").aliases("WMA", "ts_decay_linear")
                        .kernel(Trend.DECAY_LINEAR).units(Units.SAME).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ema", 1,
                        "exponential moving average, span d (alpha = 2/(d+1)); NaN until d values were seen")
                        .series("x").window("d").aliases("EMA", "ts_ema")
                        .kernel((in, out, from, to, s, dl) -> TimeSeriesKernels.ema(in.x(), out, in.dates(), from, to,
                                in.window(), dl))
                        .units(Units.SAME).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_slope", 2, "slope of the least-squares line of x on time").series("x").window("d")
                        .aliases("Slope").kernel(Trend.SLOPE).units(Units.CHANGE).scaling(Scaling.HOMOGENEOUS),
                timeSeries("ts_rsquare", 2, "R^2 of the least-squares line of x on time").series("x").window("d")
                        .aliases("Rsquare").kernel(Trend.RSQUARE).units(Units.NORMALISED).scaling(Scaling.INVARIANT),
                timeSeries("ts_resi", 2, "today's residual from the least-squares line of x on time").series("x")
                        .window("d").aliases("Resi")
                        .kernel(Trend.RESI).units(Units.CHANGE).scaling(Scaling.HOMOGENEOUS),
                timeSeries("correlation", 2,
                        "Pearson correlation of x and y over the window; NaN if either is constant")
                        .series("x", "y").window("d").aliases("Corr", "ts_corr")
                        .kernel(Pair.CORRELATION).units(Units.NORMALISED).scaling(Scaling.INVARIANT),
                timeSeries("covariance", 2, "sample covariance (n-1) of x and y").series("x", "y").window("d")
                        .aliases("Cov", "ts_cov")
                        .kernel(Pair.COVARIANCE).units(Units.COVARIANCE).scaling(Scaling.HOMOGENEOUS),
                timeSeries("regbeta", 2, "slope of the least-squares regression of y on x").series("y", "x")
                        .window("d").aliases("ts_regbeta")
                        .kernel(Pair.REGBETA).units(Units.REGRESSION_SLOPE).scaling(Scaling.HOMOGENEOUS),
                timeSeries("regresi", 2, "today's residual of the least-squares regression of y on x")
                        .series("y", "x").window("d").aliases("ts_regresi")
                        .kernel(Pair.REGRESI).units(Units.REGRESSION_RESIDUAL).scaling(Scaling.RESIDUAL),

                op("rank", Category.CROSS_SECTION, "cross-sectional percentile rank, ties averaged, in (0, 1]")
                        .series("x").aliases("cs_rank")
                        .kernel((in, out, from, to, s, dl) -> CrossSectionKernels.rank(in.x(), out, in.dates(),
                                in.assets(), from, to, s.cross(), dl))
                        .units(Units.CROSS_SECTIONAL).scaling(Scaling.INVARIANT),
                op("zscore", Category.CROSS_SECTION, "cross-sectional (x - mean) / sample standard deviation")
                        .series("x").aliases("cs_zscore")
                        .kernel((in, out, from, to, s, dl) -> CrossSectionKernels.zscore(in.x(), out, in.dates(),
                                in.assets(), from, to, dl))
                        .units(Units.CROSS_SECTIONAL).scaling(Scaling.INVARIANT),
                op("scale", Category.CROSS_SECTION, "a * x / sum(|x|) per date").series("x").number("a", 1.0)
                        .kernel((in, out, from, to, s, dl) -> CrossSectionKernels.scale(in.x(), out, in.dates(),
                                in.assets(), from, to, in.number(0), dl))
                        .units(Units.CROSS_SECTIONAL).scaling(Scaling.INVARIANT),

                op("indneutralize", Category.GROUP, "x minus the mean of x within its group on that date")
                        .series("x").group().aliases("group_neutralize", "IndNeutralize")
                        .kernel(GroupOp.NEUTRALIZE).units(Units.SAME).scaling(Scaling.HOMOGENEOUS),
                op("group_rank", Category.GROUP,
                        "percentile rank within the group on that date, ties averaged, in (0, 1]")
                        .series("x").group()
                        .kernel(GroupOp.RANK).units(Units.CROSS_SECTIONAL).scaling(Scaling.INVARIANT),
                op("group_zscore", Category.GROUP,
                        "z-score within the group on that date (sample standard deviation)")
                        .series("x").group()
                        .kernel(GroupOp.ZSCORE).units(Units.CROSS_SECTIONAL).scaling(Scaling.INVARIANT));

        ALL = ops.stream().map(Entry::build).toList();
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

    private static Entry op(String name, Category category, String doc) {
        return new Entry(name, category, doc);
    }

    private static Entry timeSeries(String name, int minWindow, String doc) {
        Entry e = new Entry(name, Category.TIME_SERIES, doc);
        e.minWindow = minWindow;
        return e;
    }

    /**
     * A registry entry as it is written: what users see (name, parameters, aliases, the reference's line) and what
     * the rest of the sandbox needs (the kernel, the unit rule, the scaling). The last three have no default: an entry
     * without one fails as the registry loads.
     */
    private static final class Entry {
        private final String name;
        private final Category category;
        private final String doc;
        private final List<Param> params = new ArrayList<>();
        private final List<String> aliases = new ArrayList<>();
        private String infix;
        private boolean commutative;
        private int minWindow = 1;
        private Kernel kernel;
        private Units units;
        private Scaling scaling;

        Entry(String name, Category category, String doc) {
            this.name = name;
            this.category = category;
            this.doc = doc;
        }

        /** The symbol it is written and printed with between its two operands (or before its one). */
        Entry infix(String symbol) {
            this.infix = symbol;
            return this;
        }

        Entry commutative() {
            this.commutative = true;
            return this;
        }

        Entry series(String... names) {
            for (String n : names) {
                params.add(new Param(n, Kind.SERIES, REQUIRED));
            }
            return this;
        }

        Entry window(String paramName) {
            params.add(new Param(paramName, Kind.WINDOW, REQUIRED));
            return this;
        }

        Entry lag(String paramName) {
            params.add(new Param(paramName, Kind.LAG, REQUIRED));
            return this;
        }

        Entry number(String paramName) {
            return number(paramName, REQUIRED);
        }

        /** A number that may be omitted, taking this value. */
        Entry number(String paramName, double defaultValue) {
            params.add(new Param(paramName, Kind.NUMBER, defaultValue));
            return this;
        }

        Entry group() {
            params.add(new Param("group", Kind.GROUP, REQUIRED));
            return this;
        }

        Entry aliases(String... names) {
            aliases.addAll(List.of(names));
            return this;
        }

        Entry kernel(Kernel k) {
            this.kernel = k;
            return this;
        }

        Entry unary(ElementwiseKernels.Unary loop) {
            return kernel(ElementwiseKernels.unary(loop));
        }

        Entry binary(ElementwiseKernels.Binary loop) {
            return kernel(ElementwiseKernels.binary(loop));
        }

        Entry units(Units rule) {
            this.units = rule;
            return this;
        }

        Entry scaling(Scaling rule) {
            this.scaling = rule;
            return this;
        }

        Op build() {
            if (kernel == null || units == null || scaling == null) {
                throw new IllegalStateException("operator " + name + " needs a kernel, a unit rule and a scaling");
            }
            return new Op(name, aliases, category, params, kernel, units, scaling, minWindow, commutative, infix, doc);
        }
    }
}
