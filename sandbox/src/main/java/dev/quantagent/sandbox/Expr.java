package dev.quantagent.sandbox;

import java.util.List;

/**
 * A parsed, resolved factor formula. Every node remembers the position (0-based character offset) of the text it
 * came from, so that errors found after parsing (unknown field, window longer than the data) still point at the
 * formula.
 */
public sealed interface Expr permits Expr.Num, Expr.Field, Expr.Group, Expr.Call {

    /** Character offset in the formula where this node starts. */
    int pos();

    /** A numeric constant. */
    record Num(double value, int pos) implements Expr {
    }

    /** A data column such as {@code close}, or a derived field ({@code returns}, {@code vwap}, {@code adv20}). */
    record Field(String name, int pos) implements Expr {
    }

    /** A grouping of assets, such as {@code IndClass.sector}; only valid where an operator takes a group. */
    record Group(String name, int pos) implements Expr {
    }

    /** An operator applied to arguments; infix operators are calls too ({@code a + b} is {@code add(a, b)}). */
    record Call(Op op, List<Expr> args, int pos) implements Expr {
        public Call {
            args = List.copyOf(args);
        }

        public Expr arg(int i) {
            return args.get(i);
        }
    }
}
