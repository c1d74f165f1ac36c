package dev.quantagent.sandbox;

import dev.quantagent.sandbox.Expr.Call;
import dev.quantagent.sandbox.Expr.Field;
import dev.quantagent.sandbox.Expr.Group;
import dev.quantagent.sandbox.Expr.Num;
import dev.quantagent.sandbox.FormulaException.Kind;
import dev.quantagent.sandbox.Op.Param;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Binds a call as written to one operator of the registry, checks its arguments (windows, lags, groups), and folds
 * element-wise operators whose arguments are all constants.
 */
final class Resolver {

    private static final Op TS_QUANTILE = Operators.byName("ts_quantile");

    private Resolver() {
    }

    static Expr resolve(String written, List<Op> candidates, List<Expr> args, int at, Limits limits,
                        IntConsumer countNode) {
        Op chosen = null;
        for (Op op : candidates) {
            if (mismatch(op, args, written) == null) {
                chosen = op;
                break;
            }
        }
        if (chosen == null) {
            throw explain(written, candidates, args, at);
        }
        List<Param> params = chosen.params();
        List<Expr> bound = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Param param = params.get(i);
            if (i >= args.size()) {
                bound.add(new Num(param.defaultValue(), at));
                continue;
            }
            bound.add(bind(chosen, param, args.get(i), limits));
        }
        countNode.accept(at);
        Call call = new Call(chosen, bound, at);
        return fold(call);
    }

    /** The operator's signature under the name the formula wrote ({@code ts_corr(x, y, d)}, not correlation's). */
    private static String signature(Op op, String written) {
        String s = op.signature();
        int open = s.indexOf('(');
        return open < 0 ? s : written + s.substring(open);
    }

    /** Why op cannot take these arguments, or null if it can. */
    private static String mismatch(Op op, List<Expr> args, String written) {
        List<Param> params = op.params();
        if (args.size() < op.requiredArity() || args.size() > params.size()) {
            String count = op.requiredArity() == params.size() ? String.valueOf(params.size())
                    : op.requiredArity() + " or " + params.size();
            return signature(op, written) + " takes " + count + " argument" + (params.size() == 1 ? "" : "s")
                    + ", got " + args.size();
        }
        for (int i = 0; i < args.size(); i++) {
            Param p = params.get(i);
            Expr a = args.get(i);
            switch (p.kind()) {
                case SERIES -> {
                    if (a instanceof Group g) {
                        return "IndClass." + g.name() + " can only be the group argument of indneutralize, "
                                + "group_rank or group_zscore";
                    }
                }
                case WINDOW, LAG, NUMBER -> {
                    if (!(a instanceof Num)) {
                        return "argument '" + p.name() + "' of " + signature(op, written) + " must be a constant number";
                    }
                }
                case GROUP -> {
                    if (!(a instanceof Group) && !(a instanceof Field)) {
                        return "argument '" + p.name() + "' of " + signature(op, written)
                                + " must be a group such as IndClass.sector";
                    }
                }
            }
        }
        return null;
    }

    private static FormulaException explain(String written, List<Op> candidates, List<Expr> args, int at) {
        // Prefer the explanation of a candidate whose arity fits: it points at the bad argument.
        for (Op op : candidates) {
            if (args.size() >= op.requiredArity() && args.size() <= op.params().size()) {
                String why = mismatch(op, args, written);
                int where = at;
                for (int i = 0; i < args.size(); i++) {
                    Param p = op.params().get(i);
                    Expr a = args.get(i);
                    boolean bad = switch (p.kind()) {
                        case SERIES -> a instanceof Group;
                        case WINDOW, LAG, NUMBER -> !(a instanceof Num);
                        case GROUP -> !(a instanceof Group) && !(a instanceof Field);
                    };
                    if (bad) {
                        where = a.pos();
                        break;
                    }
                }
                return new FormulaException(Kind.ARGUMENTS, where, why);
            }
        }
        if (candidates.size() == 1) {
            return new FormulaException(Kind.ARGUMENTS, at, mismatch(candidates.get(0), args, written));
        }
        // the forms the written name accepts, shortest first, each once (Rank and ts_rank read the same way)
        java.util.Set<String> distinct = new java.util.TreeSet<>(java.util.Comparator.comparingInt(String::length)
                .thenComparing(java.util.Comparator.naturalOrder()));
        for (Op op : candidates) {
            distinct.add(signature(op, written));
        }
        String forms = String.join(" or ", distinct);
        return new FormulaException(Kind.ARGUMENTS, at, "'" + written + "' takes " + forms + ", got "
                + args.size() + " argument" + (args.size() == 1 ? "" : "s"));
    }

    private static Expr bind(Op op, Param param, Expr arg, Limits limits) {
        switch (param.kind()) {
            case WINDOW, LAG -> {
                double v = ((Num) arg).value();
                String what = param.kind() == Op.Kind.LAG ? "lag" : "window";
                if (Double.isNaN(v)) {
                    throw new FormulaException(Kind.WINDOW, arg.pos(), what + " of " + op.name() + " is not a number");
                }
                if (param.kind() == Op.Kind.LAG && v < 0) {
                    throw new FormulaException(Kind.LOOKAHEAD, arg.pos(), op.name() + " with a negative lag ("
                            + Canonical.number(v) + ") would read future rows; factors may only use the past");
                }
                double floored = Math.floor(v);
                int min = param.kind() == Op.Kind.LAG ? 0 : op.minWindow();
                if (floored < min) {
                    throw new FormulaException(Kind.WINDOW, arg.pos(), what + " of " + op.name() + " must be at least "
                            + min + ", got " + Canonical.number(v)
                            + (floored != v ? " (floored to " + Canonical.number(floored) + ")" : ""));
                }
                if (floored > limits.maxWindow()) {
                    throw new FormulaException(Kind.LIMIT, arg.pos(), what + " of " + op.name() + " is "
                            + Canonical.number(floored) + "; the limit is " + limits.maxWindow());
                }
                return new Num(floored, arg.pos());
            }
            case NUMBER -> {
                double v = ((Num) arg).value();
                if (op == TS_QUANTILE && !(v >= 0 && v <= 1)) {
                    throw new FormulaException(Kind.ARGUMENTS, arg.pos(), "quantile q of " + op.name()
                            + " must be between 0 and 1, got " + Canonical.number(v));
                }
                if (Double.isNaN(v)) {
                    throw new FormulaException(Kind.ARGUMENTS, arg.pos(), "argument '" + param.name() + "' of "
                            + op.name() + " is not a number");
                }
                return arg;
            }
            case GROUP -> {
                return arg instanceof Field f ? new Group(f.name(), f.pos()) : arg;
            }
            default -> {
                return arg;
            }
        }
    }

    private static Expr fold(Call call) {
        Op.Category c = call.op().category();
        if (c != Op.Category.ARITHMETIC && c != Op.Category.LOGIC) {
            return call;
        }
        double[][] values = new double[call.args().size()][];
        for (int i = 0; i < values.length; i++) {
            if (!(call.arg(i) instanceof Num n)) {
                return call;
            }
            values[i] = new double[] {n.value()};
        }
        // the operator's own loop on one cell: a folded constant is what evaluation would compute
        double[] v = new double[1];
        call.op().kernel().run(new Kernel.Inputs(values, new double[0], 1, 1, null), v, 0, 1, null,
                Deadline.unlimited());
        return new Num(v[0], call.pos());
    }
}
