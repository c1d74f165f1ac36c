package dev.quantagent.sandbox;

import dev.quantagent.sandbox.Expr.Call;

import java.util.ArrayList;
import java.util.List;

/**
 * Tree utilities for programs that write formulas (the offline Writer): print a tree as formula text, list its
 * sub-trees, replace one. Trees are immutable; every edit returns a new tree. What they produce is only text to be
 * parsed and validated again by {@link Sandbox#parse}, never trusted as is.
 */
public final class Expressions {

    private Expressions() {
    }

    /** Formula text of a tree, in canonical operator names, fully parenthesised; it parses back to the same tree. */
    public static String print(Expr e) {
        return Canonical.print(e);
    }

    /** Every node in pre-order (the root first). */
    public static List<Expr> nodes(Expr root) {
        List<Expr> out = new ArrayList<>();
        collect(root, out);
        return out;
    }

    private static void collect(Expr e, List<Expr> out) {
        out.add(e);
        if (e instanceof Call c) {
            for (Expr a : c.args()) {
                collect(a, out);
            }
        }
    }

    /** The tree with the node {@code target} (by identity) replaced by {@code replacement}. */
    public static Expr replace(Expr root, Expr target, Expr replacement) {
        if (root == target) {
            return replacement;
        }
        if (!(root instanceof Call c)) {
            return root;
        }
        List<Expr> args = new ArrayList<>(c.args().size());
        boolean changed = false;
        for (Expr a : c.args()) {
            Expr r = replace(a, target, replacement);
            changed |= r != a;
            args.add(r);
        }
        return changed ? new Call(c.op(), args, c.pos()) : root;
    }

    /** A call of the operator with this canonical name (see {@code quantagent ops}). */
    public static Call call(String canonicalName, Expr... args) {
        return new Call(Operators.byName(canonicalName), List.of(args), 0);
    }

    /** Depth of the tree (a leaf has depth 1). */
    public static int depth(Expr e) {
        if (!(e instanceof Call c)) {
            return 1;
        }
        int d = 0;
        for (Expr a : c.args()) {
            d = Math.max(d, depth(a));
        }
        return d + 1;
    }
}
