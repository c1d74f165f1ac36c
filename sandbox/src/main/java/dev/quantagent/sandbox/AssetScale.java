package dev.quantagent.sandbox;

import dev.quantagent.sandbox.Expr.Call;
import dev.quantagent.sandbox.Expr.Field;
import dev.quantagent.sandbox.Expr.Group;
import dev.quantagent.sandbox.Expr.Num;

import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Whether a factor compares assets by their own price or share-count scale rather than by its idea. A cross-sectional
 * factor in price units ({@code close - open}) mostly ranks a $500 stock above a $20 one; a 2-for-1 split changes it
 * though nothing happened. The analysis follows units through the formula as a physicist would: prices scale as P,
 * volumes as V (shares), {@code adv{d}}, {@code cap} and turnover as P*V, returns and ratios not at all. Time-series
 * normalisers ({@code ts_rank}, {@code correlation}, {@code ts_zscore}) remove each asset's scale; a cross-sectional
 * rank does not (it still orders assets by the level it ranks), nor does a log (it turns the scale into an offset that
 * only a difference removes). Adding or comparing quantities of different units ({@code adv20 < volume}: dollars
 * against shares) depends on price. Unknown columns count as scale-free.
 *
 * @param price     exponent of the price scale in the value's unit (close - open: 1; volume / adv20: -1)
 * @param shares    exponent of the share-count scale
 * @param dependent whether the cross-sectional order of the values depends on the assets' scales
 * @param why       why it depends, as a clause ("its values are in price units"); empty when it does not
 */
public record AssetScale(double price, double shares, boolean dependent, String why) {

    /** Scale-free: no unit, no log offset, no order by a level. */
    public static final AssetScale FREE = new AssetScale(0, 0, false, "");

    private static final Set<String> PRICES = Set.of("open", "high", "low", "close", "vwap");
    private static final Set<String> SHARES = Set.of("volume");
    private static final Set<String> DOLLARS = Set.of("cap", "turnover", "amount", "quote_volume", "dollar_volume");

    /**
     * An operator's unit rule, as its registry entry carries it: what its result's unit is, given its operands'.
     */
    enum Units {
        /** a + b: units must agree (a constant takes the other's); log offsets add. */
        SUM,
        /** a - b: as SUM, offsets subtract (a difference of logs is scale-free). */
        DIFFERENCE,
        /** One of the operands (min, max): units and offsets must agree. */
        CHOICE,
        /** c ? a : b: a choice, and the condition's truth. */
        BRANCHES,
        PRODUCT,
        QUOTIENT,
        /** x ^ a: the unit to the power of a constant a. */
        POWER,
        /** The operand's unit: a lag, an average, an order statistic, a difference from a group mean. */
        SAME,
        /** A sum over d rows: the unit, and d times the offset. */
        WINDOW_SUM,
        /** A change over time (delta, stddev, slope): the unit, no offset. */
        CHANGE,
        /** |x|: keeps the unit; of a log level, orders by the level. */
        SIZE,
        SIGN,
        /** log(x): a unit becomes an offset. */
        LOG,
        /** sqrt(x): half the unit. */
        ROOT,
        /** exp(x): an offset becomes a unit. */
        EXP,
        /** A variance: the change's unit squared. */
        SQUARED_CHANGE,
        /** A product over d rows: the unit to the power d. */
        WINDOW_PRODUCT,
        /** Of two series' changes: the product of their units. */
        COVARIANCE,
        /** The slope of y on x: y's unit over x's. */
        REGRESSION_SLOPE,
        /** The residual of y on x: y's unit. */
        REGRESSION_RESIDUAL,
        /** A time-series normaliser: invariant to each asset's own positive scale and offset. */
        NORMALISED,
        /** a < b and the like: scale-free when both sides scale alike. */
        COMPARISON,
        /** and, or, not: a unit does not change whether a value is 0, a log offset does. */
        TRUTH,
        /** A cross-sectional transform (rank, z-score, scale, their group forms): orders assets by what it ranks. */
        CROSS_SECTIONAL
    }

    /** The scale of a resolved expression (a {@link Factor#expr()}). */
    public static AssetScale of(Expr e) {
        U u = unit(e);
        if (u.cause != null) {
            return new AssetScale(u.p, u.v, true, u.cause);
        }
        if (!u.unitless()) {
            return new AssetScale(u.p, u.v, true, "its values are in " + units(u.p, u.v) + " units");
        }
        if (!u.noOffset()) {
            return new AssetScale(0, 0, true, "its values carry the log of each asset's " + units(u.op, u.ov)
                    + " level");
        }
        return FREE;
    }

    /**
     * The unit of a sub-expression: the exponents of P and V it scales with, the exponents of a log(P), log(V) offset
     * it carries, and, once something has made its order depend on scale, why (sticky: no later operator but a
     * time-series normaliser clears it).
     */
    private record U(double p, double v, double op, double ov, boolean constant, String cause, boolean ranked) {
        static final U FREE = new U(0, 0, 0, 0, false, null);
        static final U CONSTANT = new U(0, 0, 0, 0, true, null);

        U(double p, double v, double op, double ov, boolean constant, String cause) {
            this(p, v, op, ov, constant, cause, false);
        }

        /**
         * What a change over time (delta, stddev, covariance) leaves: a cross-sectional rank of a level is mostly a
         * per-asset constant, which the change removes, so only a unit is left.
         */
        U change() {
            boolean removed = ranked && unitless();
            return new U(p, v, 0, 0, false, removed ? null : cause, !removed && ranked);
        }

        boolean unitless() {
            return p == 0 && v == 0;
        }

        boolean noOffset() {
            return op == 0 && ov == 0;
        }

        /** Scale-free in every sense: no unit, no offset, no level order. */
        boolean clean() {
            return unitless() && noOffset() && cause == null;
        }

        /** Another unit and offset, with this one's level order (if any) and where it came from. */
        U with(double p2, double v2, double op2, double ov2) {
            return new U(p2, v2, op2, ov2, false, cause, ranked);
        }

        /** Ordered by a level from here on; why is asked only if nothing below already was. */
        U level(Supplier<String> why) {
            return cause != null ? with(0, 0, 0, 0) : new U(0, 0, 0, 0, false, why.get(), false);
        }

        /** The order of a cross-sectional transform of this: a rank of a level is ordered by the level. */
        U ranked(Supplier<String> why) {
            return cause != null ? with(0, 0, 0, 0) : new U(0, 0, 0, 0, false, why.get(), true);
        }
    }

    private static U unit(Expr e) {
        if (e instanceof Num) {
            return U.CONSTANT;
        }
        if (e instanceof Group) {
            return U.FREE;
        }
        if (e instanceof Field f) {
            String n = f.name().toLowerCase(Locale.ROOT);
            if (PRICES.contains(n)) {
                return new U(1, 0, 0, 0, false, null);
            }
            if (SHARES.contains(n)) {
                return new U(0, 1, 0, 0, false, null);
            }
            if (DOLLARS.contains(n) || FieldSource.ADV.matcher(n).matches()) {
                return new U(1, 1, 0, 0, false, null);
            }
            return U.FREE;
        }
        Call c = (Call) e;
        U a = unit(c.arg(0));
        U b = c.args().size() > 1 ? unit(c.arg(1)) : null;
        return switch (c.op().units()) {
            case SUM -> sum(c, a, b, 1);
            case DIFFERENCE -> sum(c, a, b, -1);
            case CHOICE -> sum(c, a, b, 0);
            case BRANCHES -> branches(c, a, b, unit(c.arg(2)));
            case PRODUCT -> product(c, a, b, 1);
            case QUOTIENT -> product(c, a, b, -1);
            case POWER -> power(c, a, b);
            case SAME -> a;
            case WINDOW_SUM -> a.with(a.p, a.v, a.op * window(c), a.ov * window(c));
            case CHANGE -> a.change();
            case SIZE -> a.noOffset() ? a : a.level(() -> print(c) + " takes the size of a log level");
            case SIGN -> a.noOffset() ? a.with(0, 0, 0, 0)
                    : a.level(() -> print(c) + " takes the sign of a log level");
            case LOG -> a.noOffset() ? a.with(0, 0, a.p, a.v)
                    : a.level(() -> print(c) + " takes the log of a log level");
            case ROOT -> a.noOffset() ? a.with(a.p / 2, a.v / 2, 0, 0)
                    : a.level(() -> print(c) + " takes the root of a log level");
            case EXP -> a.unitless() ? a.with(a.op, a.ov, 0, 0)
                    : a.level(() -> print(c) + " exponentiates a quantity in " + units(a.p, a.v) + " units");
            case SQUARED_CHANGE -> a.change().with(2 * a.p, 2 * a.v, 0, 0);
            case WINDOW_PRODUCT -> a.noOffset() ? a.with(a.p * window(c), a.v * window(c), 0, 0)
                    : a.level(() -> print(c) + " multiplies log levels");
            case COVARIANCE -> pair(a, b, a.p + b.p, a.v + b.v);
            case REGRESSION_SLOPE -> pair(a, b, a.p - b.p, a.v - b.v);
            case REGRESSION_RESIDUAL -> pair(a, b, a.p, a.v);
            case NORMALISED -> U.FREE;
            case COMPARISON -> compare(c, a, b);
            case TRUTH -> truth(c, a, b);
            case CROSS_SECTIONAL -> a.clean() ? U.FREE : a.ranked(() -> print(c) + " orders assets by " + what(a));
        };
    }

    private static String firstCause(U a, U b) {
        return a.cause != null ? a.cause : b != null ? b.cause : null;
    }

    /** A two-series statistic over time (covariance, regression): what the changes of both leave, in this unit. */
    private static U pair(U a, U b, double p, double v) {
        U x = a.change();
        U y = b.change();
        return new U(p, v, 0, 0, false, firstCause(x, y), ranked(x, y));
    }

    /** Whether every level order among the operands comes from a cross-sectional rank (see {@link U#change()}). */
    private static boolean ranked(U a, U b) {
        return (a.cause == null || a.ranked) && (b.cause == null || b.ranked);
    }

    /**
     * a + b (sign 1), a - b (sign -1), and a choice of one of them (sign 0: min, max, the branches of c ? a : b): the
     * units must agree (a constant takes the other's); log offsets add, subtract, or must agree.
     */
    private static U sum(Call c, U a, U b, int sign) {
        String cause = firstCause(a, b);
        if (a.constant || b.constant) {
            U x = a.constant ? b : a;
            double k = a.constant ? sign == 0 ? 1 : sign : 1; // c - log(x) has the offset -log(x)
            return new U(x.p, x.v, k * x.op, k * x.ov, a.constant && b.constant, cause, ranked(a, b));
        }
        boolean offsetsAgree = sign != 0 || a.op == b.op && a.ov == b.ov;
        if (a.p != b.p || a.v != b.v || !offsetsAgree) {
            return new U(0, 0, 0, 0, false, cause != null ? cause
                    : print(c) + " mixes " + what(a) + " with " + what(b));
        }
        return sign == 0 ? new U(a.p, a.v, a.op, a.ov, false, cause, ranked(a, b))
                : new U(a.p, a.v, a.op + sign * b.op, a.ov + sign * b.ov, false, cause, ranked(a, b));
    }

    private static U branches(Call c, U cond, U a, U b) {
        U chosen = sum(c, a, b, 0);
        U truth = truth(c, cond, null);
        return truth.cause != null && chosen.cause == null ? chosen.level(() -> truth.cause) : chosen;
    }

    private static U product(Call c, U a, U b, int sign) {
        String cause = firstCause(a, b);
        if (b.constant) {
            // a times or over a number: offsets scale along (k log x is log x^k)
            double k = multiplier(c.arg(1), sign);
            return new U(a.p, a.v, k * a.op, k * a.ov, a.constant, cause, ranked(a, b));
        }
        if (a.constant && sign == 1) {
            double k = multiplier(c.arg(0), 1);
            return new U(b.p, b.v, k * b.op, k * b.ov, false, cause, ranked(a, b));
        }
        if (a.constant) {
            return new U(-b.p, -b.v, 0, 0, false, cause != null || b.noOffset() ? cause
                    : print(c) + " divides by a log level");
        }
        if (!a.noOffset() || !b.noOffset()) {
            return new U(0, 0, 0, 0, false, cause != null ? cause : print(c) + " multiplies a log level");
        }
        return new U(a.p + sign * b.p, a.v + sign * b.v, 0, 0, false, cause, ranked(a, b));
    }

    /**
     * What multiplying (sign 1) or dividing (sign -1) by a constant operand does to a log offset: a number scales it;
     * a constant that is not a written number (a choice between numbers), or a division by 0, leaves it as it is.
     */
    private static double multiplier(Expr constant, int sign) {
        if (!(constant instanceof Num n)) {
            return 1;
        }
        double k = sign == 1 ? n.value() : 1 / n.value();
        return Double.isFinite(k) ? k : 1;
    }

    private static U power(Call c, U a, U b) {
        String cause = firstCause(a, b);
        if (c.arg(1) instanceof Num n && a.noOffset()) {
            return new U(a.p * n.value(), a.v * n.value(), 0, 0, a.constant, cause, ranked(a, b));
        }
        if (a.clean() && b.clean()) {
            return U.FREE;
        }
        return new U(0, 0, 0, 0, false, cause != null ? cause : print(c) + " raises a quantity with a unit to a "
                + "varying power");
    }

    /** Comparisons are scale-free when both sides scale alike; against a constant, only a scale-free side is. */
    private static U compare(Call c, U a, U b) {
        String cause = firstCause(a, b);
        if (cause != null) {
            return new U(0, 0, 0, 0, false, cause);
        }
        if (a.constant || b.constant) {
            U x = a.constant ? b : a;
            // a sign test is scale-free; a constant need not be a written number (c ? 1 : -1, or a mean of one)
            boolean zero = (a.constant ? c.arg(0) : c.arg(1)) instanceof Num n && n.value() == 0;
            return x.noOffset() && (zero || x.unitless()) ? U.FREE : new U(0, 0, 0, 0, false, print(c)
                    + " compares " + what(x) + " with a fixed number");
        }
        if (a.p != b.p || a.v != b.v || a.op != b.op || a.ov != b.ov) {
            return new U(0, 0, 0, 0, false, print(c) + " compares " + what(a) + " with " + what(b));
        }
        return U.FREE;
    }

    /** Truth values: a unit does not change whether a value is 0, a log offset does. */
    private static U truth(Call c, U a, U b) {
        String cause = firstCause(a, b);
        if (cause == null && (!a.noOffset() || b != null && !b.noOffset())) {
            cause = print(c) + " tests a log level for zero";
        }
        return new U(0, 0, 0, 0, false, cause);
    }

    private static double window(Call c) {
        Expr w = c.arg(c.args().size() - 1);
        return w instanceof Num n ? Math.floor(n.value()) : 1;
    }

    /** What a quantity is, for one that no level order has reached yet. */
    private static String what(U u) {
        if (!u.unitless()) {
            return "a quantity in " + units(u.p, u.v) + " units";
        }
        return u.noOffset() ? "a scale-free quantity" : "the log of a " + units(u.op, u.ov) + " level";
    }

    /** "price", "share volume", "dollar volume", or exponents ("price^2", "price^-1 x shares"). */
    static String units(double p, double v) {
        if (p == 1 && v == 0) {
            return "price";
        }
        if (p == 0 && v == 1) {
            return "share-volume";
        }
        if (p == 1 && v == 1) {
            return "dollar-volume";
        }
        StringBuilder sb = new StringBuilder();
        if (p != 0) {
            sb.append("price").append(p == 1 ? "" : "^" + Canonical.number(p));
        }
        if (v != 0) {
            sb.append(sb.length() > 0 ? " x " : "").append("shares").append(v == 1 ? "" : "^" + Canonical.number(v));
        }
        return sb.toString();
    }

    private static String print(Call c) {
        String s = Expressions.print(c);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
