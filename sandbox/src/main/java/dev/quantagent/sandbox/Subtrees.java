package dev.quantagent.sandbox;

import dev.quantagent.sandbox.Expr.Call;

import java.util.HashMap;
import java.util.Map;

/**
 * The operator sub-trees of a factor's canonical form, for structural originality: how much of a new factor is a
 * sub-tree of a known one (AlphaAgent measures originality against Alpha101 this way). Leaves (fields, constants)
 * are not counted as sub-trees on their own: sharing {@code close} says nothing.
 */
public final class Subtrees {

    private Subtrees() {
    }

    /** Each distinct operator sub-tree of the canonical form (its canonical text) with its node count. */
    public static Map<String, Integer> of(Factor factor) {
        Map<String, Integer> out = new HashMap<>();
        collect(Canonical.canonicalise(factor.expr()), out);
        return out;
    }

    /**
     * Node count of the largest sub-tree the two factors share (0 if none), e.g. {@code rank(delta(close, 5))}
     * shared by two formulas gives 4.
     */
    public static int largestCommon(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> small = a.size() <= b.size() ? a : b;
        Map<String, Integer> large = small == a ? b : a;
        int best = 0;
        for (Map.Entry<String, Integer> e : small.entrySet()) {
            if (e.getValue() > best && large.containsKey(e.getKey())) {
                best = e.getValue();
            }
        }
        return best;
    }

    private static int collect(Expr e, Map<String, Integer> out) {
        if (!(e instanceof Call c)) {
            return 1;
        }
        int size = 1;
        for (Expr a : c.args()) {
            size += collect(a, out);
        }
        out.put(Canonical.print(c), size);
        return size;
    }
}
