package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every operator of the registry against the independent reference implementation, node by node, on random panels
 * with missing values, ties and constant windows (several seeds), with windows at the operator's minimum and longer,
 * and for element-wise operators with a constant in each operand's place. A new operator is checked as soon as it is
 * registered, and fails here until the reference implements it.
 */
class OperatorConformanceTest {

    private static final long[] SEEDS = {3, 17, 2025};

    /** Series operands by position: signed fields with zeros and a positive one, each in every place. */
    private static final List<List<String>> OPERANDS = List.of(List.of("x", "y", "close"),
            List.of("close", "x", "y"), List.of("y", "close", "x"));

    @Test
    void everyOperatorOfTheRegistryComputesWhatTheReferenceComputes() {
        List<String> differences = new ArrayList<>();
        for (long seed : SEEDS) {
            Panel panel = TestPanels.sprinkled(90, 23, seed);
            for (Op op : Operators.all()) {
                for (Expr.Call call : calls(op)) {
                    String where = Canonical.print(call) + " (seed " + seed + ")";
                    try {
                        differences.addAll(ReferenceEvaluator.nodesThatDiffer(panel, call, 1e-9, where));
                    } catch (IllegalArgumentException e) {
                        fail(where + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        assertTrue(differences.isEmpty(), differences.size() + " nodes differ:\n" + String.join("\n", differences));
    }

    @Test
    void theCheckedCallsHaveValuesToCompare() {
        Panel panel = TestPanels.sprinkled(90, 23, SEEDS[0]);
        for (Op op : Operators.all()) {
            for (Expr.Call call : calls(op)) {
                double[] v = new Sandbox(Limits.DEFAULT).evaluator(panel).evaluate(
                        new Factor("", call, "", "", new Complexity(0, 0, 0, 0), List.of(), 0));
                long present = java.util.Arrays.stream(v).filter(d -> !Double.isNaN(d)).count();
                assertTrue(present > v.length / 20, Canonical.print(call) + " has values in only " + present
                        + " of " + v.length + " cells");
            }
        }
    }

    /**
     * Calls of an operator: each operand choice of {@link #OPERANDS} with windows and lags at their least and
     * longer, numbers 0.3 and 1; element-wise operators also with a constant in each operand's place.
     */
    private static List<Expr.Call> calls(Op op) {
        List<Expr.Call> calls = new ArrayList<>();
        boolean elementwise = op.category() == Op.Category.ARITHMETIC || op.category() == Op.Category.LOGIC;
        int seriesCount = (int) op.params().stream().filter(p -> p.kind() == Op.Kind.SERIES).count();
        for (List<String> fields : OPERANDS) {
            for (int variant = 0; variant < 2; variant++) {
                calls.add(call(op, fields, variant, -1));
            }
            for (int constantAt = 0; elementwise && seriesCount > 1 && constantAt < seriesCount; constantAt++) {
                calls.add(call(op, fields, 0, constantAt));
            }
        }
        return calls;
    }

    /** variant 0 takes the least window, lag and number; 1 a longer window, a lag and 1. */
    private static Expr.Call call(Op op, List<String> fields, int variant, int constantAt) {
        List<Expr> args = new ArrayList<>();
        int series = 0;
        for (Op.Param p : op.params()) {
            args.add(switch (p.kind()) {
                case SERIES -> series == constantAt ? new Expr.Num(2, 0)
                        : new Expr.Field(fields.get(series), 0);
                case WINDOW -> new Expr.Num(variant == 0 ? Math.max(op.minWindow(), 1) : op.minWindow() + 6, 0);
                case LAG -> new Expr.Num(variant == 0 ? 0 : 3, 0);
                case NUMBER -> new Expr.Num(variant == 0 ? 0.3 : 1, 0);
                case GROUP -> new Expr.Group("sector", 0);
            });
            if (p.kind() == Op.Kind.SERIES) {
                series++;
            }
        }
        return new Expr.Call(op, args, 0);
    }
}
