package dev.quantagent.sandbox;

import dev.quantagent.sandbox.Expr.Call;
import dev.quantagent.sandbox.Expr.Field;
import dev.quantagent.sandbox.Expr.Num;
import dev.quantagent.sandbox.FormulaException.Kind;

import java.util.List;
import java.util.TreeSet;

/**
 * Entry point of the factor language: parse formulas under {@link Limits}, and make evaluators for panels.
 *
 * <pre>{@code
 * Sandbox sandbox = new Sandbox(Limits.DEFAULT);
 * Factor f = sandbox.parse("rank(ts_argmax(signedpower(returns, 2), 5)) - 0.5");
 * double[] values = sandbox.evaluator(panel).evaluate(f);   // asset-major, NaN = missing
 * }</pre>
 *
 * Formulas are data: nothing in them is compiled or run as code, and no name in them can reach anything but the
 * operators of the registry and the fields of the panel.
 */
public final class Sandbox {

    private static final Op DELTA = Operators.byName("delta");

    private final Limits limits;

    public Sandbox(Limits limits) {
        this.limits = limits;
    }

    public Limits limits() {
        return limits;
    }

    /**
     * Parses, validates and canonicalises a formula. Checks that need data (fields present, windows no longer than
     * the panel) happen when it is evaluated or {@link FactorEvaluator#bind bound}.
     *
     * @throws FormulaException with the position of the problem
     */
    public Factor parse(String formula) {
        Expr expr = Parser.parse(formula, limits);
        if (expr instanceof Num) {
            throw new FormulaException(Kind.CONSTANT, 0, "formula is a constant; a factor must use data fields");
        }
        if (expr instanceof Expr.Group g) {
            throw new FormulaException(Kind.GROUP, g.pos(), "IndClass." + g.name() + " is a grouping, not a factor: it "
                    + "can only be the group argument of indneutralize, group_rank or group_zscore");
        }
        Expr canonicalTree = Canonical.canonicalise(expr);
        String canonical = Canonical.text(canonicalTree);
        TreeSet<String> fields = new TreeSet<>();
        int[] counts = new int[2]; // nodes, parameters
        int depth = measure(canonicalTree, fields, counts);
        Complexity complexity = new Complexity(counts[0], depth, fields.size(), counts[1]);
        return new Factor(formula, expr, canonical, Canonical.hash(canonical), complexity, fields.stream().toList(),
                lookback(expr));
    }

    /**
     * The fields formulas may use on a panel: its columns, and the derived {@code returns} (from close) and
     * {@code vwap} (from high, low and close) where the data has what they need.
     */
    public static List<String> fields(Panel panel) {
        return FieldSource.available(panel);
    }

    /**
     * Checks a factor's fields against data with these columns before any evaluation: the first field they neither
     * hold nor derive ({@code returns}, {@code vwap}, {@code adv{d}}) is reported as evaluation would report it, with
     * the closest field offered ({@code unknown field 'clsoe' (did you mean 'close'?)}).
     *
     * @throws FormulaException of kind FIELD, with the field's position
     */
    public static void checkFields(Factor factor, List<String> columns) {
        FormulaException e = FieldSource.unknown(factor.expr(), columns, "the data");
        if (e != null) {
            throw e;
        }
    }

    /**
     * The first field of a factor that the usual price data (open, high, low, close, volume, cap) neither holds nor
     * derives ({@code returns}, {@code vwap}, {@code adv{d}}), with the closest such field, or null: a likely typo,
     * unless the data it is meant for has that column.
     */
    public static FormulaException unusualField(Factor factor) {
        return FieldSource.unknown(factor.expr(), FieldSource.STANDARD, "the usual price data");
    }

    /** An evaluator over one panel. It reuses its buffers between calls, so give each thread its own. */
    public FactorEvaluator evaluator(Panel panel) {
        return new FactorEvaluator(panel, limits, null);
    }

    /**
     * An evaluator that reuses the results of expensive sub-expressions kept in {@code cache}, which evaluators of
     * the same panel may share (a mining run). Results are identical to an evaluator without a cache.
     */
    public FactorEvaluator evaluator(Panel panel, SubexpressionCache cache) {
        return new FactorEvaluator(panel, limits, cache);
    }

    private static int measure(Expr e, TreeSet<String> fields, int[] counts) {
        counts[0]++;
        if (e instanceof Num) {
            counts[1]++;
            return 1;
        }
        if (e instanceof Field f) {
            fields.add(f.name());
            return 1;
        }
        if (e instanceof Call c) {
            int deepest = 0;
            for (Expr a : c.args()) {
                deepest = Math.max(deepest, measure(a, fields, counts));
            }
            return deepest + 1;
        }
        return 1; // group
    }

    private static int lookback(Expr e) {
        if (e instanceof Field f) {
            return FieldSource.lookback(f.name());
        }
        if (!(e instanceof Call c)) {
            return 0;
        }
        int deepest = 0;
        int window = 0;
        for (int i = 0; i < c.args().size(); i++) {
            Op.Kind kind = c.op().params().get(i).kind();
            Expr a = c.arg(i);
            if (kind == Op.Kind.WINDOW) {
                window = (int) ((Num) a).value() - 1;
            } else if (kind == Op.Kind.LAG) {
                window = (int) ((Num) a).value();
            } else {
                deepest = Math.max(deepest, lookback(a));
            }
        }
        if (c.op() == DELTA) {
            window++; // delta(x, d) reads d rows back, like a lag
        }
        return deepest + window;
    }
}
