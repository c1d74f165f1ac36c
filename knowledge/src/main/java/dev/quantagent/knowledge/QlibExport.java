package dev.quantagent.knowledge;

import dev.quantagent.sandbox.Expr;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code kb export --format qlib}: each factor as an expression Qlib's own loader evaluates ({@code qlib.data.ops}:
 * {@code $field} features, its operator classes, Python's infix operators on expressions), one
 * {@code name<TAB>expression} line per factor. A factor is translated only where every operator has a Qlib
 * equivalent that computes the same on full windows (Qlib's rolling operators also give values on the first, partial
 * windows, where QuantAgent's are missing); the others are comment lines ({@code # name: not exported: why}).
 *
 * <p>Translations: the rolling operators by their Qlib names ({@code Mean}, {@code Ref}, {@code Corr}, {@code Rank}
 * is Qlib's time-series rank, ...); {@code returns} as {@code (($close / Ref($close, 1)) - 1)}, {@code adv{d}} as
 * {@code Mean($volume * $vwap, d)}; {@code -x} as {@code (-1 * x)} (a Qlib expression has no unary minus);
 * {@code sqrt(x)} as {@code Power(x, 0.5)}; {@code signedpower(x, a)} as {@code (Sign(x) * Power(Abs(x), a))};
 * {@code ts_zscore}, {@code regbeta} and {@code regresi} through {@code Mean}, {@code Std}, {@code Cov} and
 * {@code Var}; {@code decay_linear(x, d)} as its weighted sum of {@code Ref(x, i)} (Qlib's {@code WMA} weighs the
 * window differently). Not translated: cross-sectional and group operators ({@code rank}, {@code zscore},
 * {@code scale}, {@code indneutralize}, ...: Qlib ranks and normalises across instruments in its data processors,
 * such as {@code CSRankNorm}, not in expressions), {@code exp} and {@code ts_product} (no Qlib operator), a power
 * whose exponent is not a constant, and {@code &&}, {@code ||}, {@code !} of numbers (Qlib's are bitwise, on
 * comparisons only).
 */
public final class QlibExport {

    /** Longest expression written; longer (a long window of decay_linear over a large argument) is left out. */
    static final int MAX_LENGTH = 4_000;

    private static final Map<String, String> ROLLING = Map.ofEntries(Map.entry("delay", "Ref"),
            Map.entry("delta", "Delta"), Map.entry("ts_sum", "Sum"), Map.entry("ts_mean", "Mean"),
            Map.entry("stddev", "Std"), Map.entry("ts_var", "Var"), Map.entry("ts_skew", "Skew"),
            Map.entry("ts_kurt", "Kurt"), Map.entry("ts_min", "Min"), Map.entry("ts_max", "Max"),
            Map.entry("ts_argmin", "IdxMin"), Map.entry("ts_argmax", "IdxMax"), Map.entry("ts_rank", "Rank"),
            Map.entry("ts_median", "Med"), Map.entry("ts_mad", "Mad"), Map.entry("ts_quantile", "Quantile"),
            Map.entry("ts_count", "Count"), Map.entry("ema", "EMA"), Map.entry("ts_slope", "Slope"),
            Map.entry("ts_rsquare", "Rsquare"), Map.entry("ts_resi", "Resi"), Map.entry("correlation", "Corr"),
            Map.entry("covariance", "Cov"), Map.entry("abs", "Abs"), Map.entry("sign", "Sign"),
            Map.entry("log", "Log"), Map.entry("greater", "Greater"), Map.entry("less", "Less"),
            Map.entry("if", "If"));
    private static final Map<String, String> INFIX = Map.ofEntries(Map.entry("add", "+"), Map.entry("sub", "-"),
            Map.entry("mul", "*"), Map.entry("div", "/"), Map.entry("lt", "<"), Map.entry("le", "<="),
            Map.entry("gt", ">"), Map.entry("ge", ">="), Map.entry("eq", "=="), Map.entry("ne", "!="));
    private static final Set<String> COMPARISONS = Set.of("lt", "le", "gt", "ge", "eq", "ne", "and", "or", "not");
    private static final Set<String> CROSS_SECTIONAL = Set.of("rank", "zscore", "scale", "indneutralize",
            "group_rank", "group_zscore");

    private QlibExport() {
    }

    /** A factor's Qlib expression, or why it has none. */
    record Translation(String expression, String whyNot) {
    }

    /** Thrown inside a translation: the operator or field Qlib cannot express. */
    private static final class NoEquivalent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoEquivalent(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Writes the factors: a header, one line per translated factor, a comment line per other one.
     *
     * @return the factors translated
     */
    static int write(List<FactorRecord> factors, Writer out) throws IOException {
        Sandbox sandbox = new Sandbox(Limits.DEFAULT);
        Set<String> names = new HashSet<>();
        List<String> lines = new ArrayList<>();
        int translated = 0;
        for (FactorRecord f : factors) {
            String formula = f.formula() != null ? f.formula() : f.canonical();
            String base = f.name() == null || f.name().isBlank() ? "factor_" + f.id()
                    : f.name().replaceAll("[^A-Za-z0-9_]+", "_").replaceAll("^_+|_+$", "");
            if (base.isEmpty() || Character.isDigit(base.charAt(0))) {
                base = "f_" + base;
            }
            String name = base;
            for (int i = 2; !names.add(name); i++) {
                name = base + "_" + i;
            }
            Translation t = formula == null ? new Translation(null, "it has no formula (the Writer failed)")
                    : translate(sandbox, formula);
            if (t.expression() != null) {
                lines.add(name + "\t" + t.expression());
                translated++;
            } else {
                lines.add("# " + name + " (#" + f.id() + "): not exported: " + t.whyNot() + "; in QuantAgent: "
                        + (formula == null ? "-" : oneLine(formula)));
            }
        }
        out.write("# QuantAgent factors as Qlib expressions, name<TAB>expression: " + translated + " of " + lines.size()
                + " translated; the others are comments saying why. Values match QuantAgent's on full windows "
                + "(Qlib's rolling operators also fill the first, partial windows).\n");
        for (String l : lines) {
            out.write(l);
            out.write('\n');
        }
        return translated;
    }

    /** The Qlib expression of a formula, or why there is none. */
    static Translation translate(Sandbox sandbox, String formula) {
        Factor f;
        try {
            f = sandbox.parse(formula);
        } catch (FormulaException e) {
            return new Translation(null, "the formula does not parse (" + e.getMessage() + ")");
        }
        try {
            String q = qlib(f.expr());
            if (q.length() > MAX_LENGTH) {
                return new Translation(null, "its Qlib expression would take " + q.length() + " characters (over "
                        + MAX_LENGTH + ")");
            }
            return new Translation(q, null);
        } catch (NoEquivalent e) {
            return new Translation(null, e.getMessage());
        }
    }

    private static String qlib(Expr e) {
        if (e instanceof Expr.Num n) {
            return number(n.value());
        }
        if (e instanceof Expr.Field f) {
            return field(f.name());
        }
        if (e instanceof Expr.Group g) {
            throw new NoEquivalent("IndClass." + g.name() + " groups have no Qlib expression");
        }
        Expr.Call c = (Expr.Call) e;
        String op = c.op().name();
        if (CROSS_SECTIONAL.contains(op)) {
            throw new NoEquivalent(op + " is cross-sectional, and a Qlib expression is computed per instrument (Qlib "
                    + "ranks and normalises across instruments in its data processors, such as CSRankNorm)");
        }
        String infix = INFIX.get(op);
        if (infix != null) {
            return "(" + qlib(c.arg(0)) + " " + infix + " " + qlib(c.arg(1)) + ")";
        }
        if (op.equals("delay") && ((Expr.Num) c.arg(1)).value() == 0) {
            return qlib(c.arg(0)); // Qlib's Ref(x, 0) is the first value of the series, not today's
        }
        String rolling = ROLLING.get(op);
        if (rolling != null) {
            List<String> args = new ArrayList<>();
            for (Expr a : c.args()) {
                args.add(qlib(a));
            }
            if (!op.equals("if") && !op.equals("greater") && !op.equals("less") && c.arg(0) instanceof Expr.Num) {
                throw new NoEquivalent(op + " of a constant");
            }
            return rolling + "(" + String.join(", ", args) + ")";
        }
        return switch (op) {
            case "neg" -> "(-1 * " + qlib(c.arg(0)) + ")";
            case "sqrt" -> "Power(" + feature(c.arg(0), op) + ", 0.5)";
            case "pow" -> "Power(" + feature(c.arg(0), op) + ", " + constantExponent(c.arg(1)) + ")";
            case "signedpower" -> "(Sign(" + feature(c.arg(0), op) + ") * Power(Abs(" + qlib(c.arg(0)) + "), "
                    + constantExponent(c.arg(1)) + "))";
            case "and", "or" -> {
                if (!bool(c.arg(0)) || !bool(c.arg(1))) {
                    throw new NoEquivalent(op + " of numbers (Qlib's & and | are bitwise, for comparisons only)");
                }
                yield "(" + qlib(c.arg(0)) + (op.equals("and") ? " & " : " | ") + qlib(c.arg(1)) + ")";
            }
            case "not" -> {
                if (!bool(c.arg(0))) {
                    throw new NoEquivalent("not of a number (Qlib's Not is bitwise, for comparisons only)");
                }
                yield "Not(" + qlib(c.arg(0)) + ")";
            }
            case "ts_zscore" -> {
                String x = qlib(c.arg(0));
                String d = qlib(c.arg(1));
                yield "((" + x + " - Mean(" + x + ", " + d + ")) / Std(" + x + ", " + d + "))";
            }
            case "regbeta" -> beta(c);
            case "regresi" -> {
                String y = qlib(c.arg(0));
                String x = qlib(c.arg(1));
                String d = qlib(c.arg(2));
                yield "(" + y + " - (Mean(" + y + ", " + d + ") + (" + beta(c) + " * (" + x + " - Mean(" + x + ", "
                        + d + ")))))";
            }
            case "decay_linear" -> decayLinear(c);
            default -> throw new NoEquivalent(op + " has no Qlib operator");
        };
    }

    /** The slope of y on x over the window: sample covariance over sample variance. */
    private static String beta(Expr.Call c) {
        String y = qlib(c.arg(0));
        String x = qlib(c.arg(1));
        String d = qlib(c.arg(2));
        return "(Cov(" + y + ", " + x + ", " + d + ") / Var(" + x + ", " + d + "))";
    }

    /** Weights d, d - 1, ..., 1 from today back, over their sum d (d + 1) / 2. */
    private static String decayLinear(Expr.Call c) {
        String x = feature(c.arg(0), "decay_linear");
        int d = (int) ((Expr.Num) c.arg(1)).value();
        if ((long) d * x.length() > MAX_LENGTH) {
            throw new NoEquivalent("decay_linear over " + d + " rows would be a weighted sum of " + d + " terms "
                    + "too long to write (Qlib's WMA weighs the window differently)");
        }
        String sum = "(" + d + " * " + x + ")";
        for (int lag = 1; lag < d; lag++) {
            sum = "(" + sum + " + (" + (d - lag) + " * Ref(" + x + ", " + lag + ")))";
        }
        return "(" + sum + " / " + number(d * (d + 1) / 2.0) + ")";
    }

    /** The argument of an operator Qlib loads as a feature: an expression, never a bare number. */
    private static String feature(Expr e, String op) {
        if (e instanceof Expr.Num) {
            throw new NoEquivalent(op + " of a constant");
        }
        return qlib(e);
    }

    private static String constantExponent(Expr e) {
        if (!(e instanceof Expr.Num n)) {
            throw new NoEquivalent("a power whose exponent is not a constant (Qlib's Power takes a number)");
        }
        return number(n.value());
    }

    /** Whether an expression gives booleans in Qlib (a comparison or a logical operator). */
    private static boolean bool(Expr e) {
        return e instanceof Expr.Call c && COMPARISONS.contains(c.op().name());
    }

    private static String field(String name) {
        if (name.equals("returns")) {
            return "(($close / Ref($close, 1)) - 1)";
        }
        if (name.matches("adv\\d{1,9}")) {
            return "Mean(($volume * $vwap), " + Integer.parseInt(name.substring(3)) + ")";
        }
        if (!name.matches("\\w+")) {
            throw new NoEquivalent("the field '" + name + "' is not a Qlib feature name");
        }
        return "$" + name;
    }

    /** A Python literal: an integer, or the decimal with up to 17 significant digits that reads back as v. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            throw new NoEquivalent("a constant " + v + " has no Python literal");
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal r = new BigDecimal(v).round(new MathContext(digits));
            if (r.doubleValue() == v) {
                String s = r.stripTrailingZeros().toString(); // 1.5E-7 is a Python literal too (as 1.5e-07)
                return s.replace("E", "e");
            }
        }
        return Double.toString(v);
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n\\t]+", " ");
    }
}
