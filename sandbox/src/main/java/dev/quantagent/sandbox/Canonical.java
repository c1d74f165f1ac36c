package dev.quantagent.sandbox;

import dev.quantagent.sandbox.Expr.Call;
import dev.quantagent.sandbox.Expr.Field;
import dev.quantagent.sandbox.Expr.Group;
import dev.quantagent.sandbox.Expr.Num;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical form of a factor: one spelling for every way of writing the same formula, so that the knowledge base
 * recognises {@code Mean($close, 5)} and {@code ts_mean(close, 5.7)} as one factor. Names are normalised to the
 * registry's canonical names, windows are floored, constants folded, {@code a + (b + c)} flattened, operands of
 * commutative operators sorted, {@code a > b} written {@code b < a} and {@code -x} written {@code -1 * x}.
 *
 * <p>It is the factor as its statistics see it. Every statistic of a factor (IC, rank IC, quantiles, books, a pool's
 * z-scores, a time-series position by sign or z-score) is unchanged when all its values are multiplied by a positive
 * number, so a positive multiplier is dropped wherever it can only scale what such a statistic reads: at the top
 * ({@code 5 * ts_argmin(high, 30)} is {@code ts_argmin(high, 30)}, {@code -0.5 * vwap} is {@code -1 * vwap}), inside
 * an operator that ignores its argument's scale ({@code rank}, {@code ts_rank}, {@code zscore}, {@code correlation},
 * {@code sign}, ...), and through operators that only carry a scale along ({@code ts_mean}, {@code delta}, a product,
 * a quotient, ...). A multiplier inside a sum stays: it weighs the terms. {@code rank(rank(x))} is {@code rank(x)}
 * (percentiles keep the order and the ties of what they rank). Formulas are evaluated as written, never from this
 * form.
 *
 * <p>Constants print with at most {@value #DIGITS} significant digits ({@code 0.509345}, not the
 * {@code 0.5093449999999999} that folding {@code 1 - 0.490655} gives), by an exact rule that every JDK follows (not
 * Double.toString); {@link #print} keeps every digit, for keys that must tell values apart.
 */
final class Canonical {

    /** Significant digits of a constant in the canonical text. */
    static final int DIGITS = 10;

    private static final Op ADD = Operators.byName("add");
    private static final Op MUL = Operators.byName("mul");
    private static final Op DIV = Operators.byName("div");
    private static final Op NEG = Operators.byName("neg");
    private static final Op RANK = Operators.byName("rank");
    private static final Op IF = Operators.byName("if");
    private static final Op GT = Operators.byName("gt");
    private static final Op GE = Operators.byName("ge");
    private static final Op LT = Operators.byName("lt");
    private static final Op LE = Operators.byName("le");
    private static final Op CORRELATION = Operators.byName("correlation");
    private static final Op COVARIANCE = Operators.byName("covariance");
    private static final Comparator<Expr> ORDER =
            Comparator.comparingInt((Expr e) -> e instanceof Num ? 0 : 1).thenComparing((Expr e) -> print(e));

    private Canonical() {
    }

    /** The canonical tree (may contain n-ary add and mul) of a whole factor. */
    static Expr canonicalise(Expr e) {
        return canonicalise(e, true);
    }

    /**
     * @param scaleFree whether multiplying e's values by a positive number cannot change any statistic of the
     *                  factor e is part of
     */
    private static Expr canonicalise(Expr e, boolean scaleFree) {
        if (!(e instanceof Call call)) {
            return e;
        }
        Op op = call.op();
        List<Expr> args = new ArrayList<>(call.args().size());
        for (int i = 0; i < call.args().size(); i++) {
            args.add(canonicalise(call.arg(i), argumentScaleFree(call, i, scaleFree)));
        }
        if (op == NEG) {
            return flattenAssociative(MUL, List.of(new Num(-1, call.pos()), args.get(0)), call.pos(), scaleFree);
        }
        if (op == ADD) {
            return flattenAssociative(op, args, call.pos(), false);
        }
        if (op == MUL) {
            return flattenAssociative(op, args, call.pos(), scaleFree);
        }
        if (op == DIV) {
            return scaleFree ? scaleFreeQuotient(args, call.pos()) : new Call(op, args, call.pos());
        }
        if (op == RANK && args.get(0) instanceof Call inner && inner.op() == RANK) {
            return inner; // rank(rank(x)) is rank(x) exactly, in any context
        }
        if (op == GT || op == GE) {
            return new Call(op == GT ? LT : LE, List.of(args.get(1), args.get(0)), call.pos());
        }
        // symmetric in their two series, but not commutative: the window comes last
        if ((op == CORRELATION || op == COVARIANCE) && ORDER.compare(args.get(0), args.get(1)) > 0) {
            Expr t = args.get(0);
            args.set(0, args.get(1));
            args.set(1, t);
        }
        if (op.commutative()) {
            args.sort(ORDER);
        }
        return new Call(op, args, call.pos());
    }

    /**
     * Whether argument i of a call is scale-free (see {@link #canonicalise(Expr, boolean)}): always for an operator
     * that ignores its argument's scale, and as the call itself is for one whose result scales with its argument
     * (by a positive power of the multiplier, or its inverse).
     */
    private static boolean argumentScaleFree(Call c, int i, boolean scaleFree) {
        if (c.op().params().get(i).kind() != Op.Kind.SERIES) {
            return false;
        }
        return switch (c.op().scaling()) {
            case INVARIANT -> true;
            case HOMOGENEOUS -> scaleFree;
            case RESIDUAL -> i == 1 || scaleFree;
            case POWER -> scaleFree && i == 0 && c.arg(1) instanceof Num;
            case NONE -> false;
        };
    }

    /**
     * What multiplying a series operand by a positive number k does to an operator's result, as its registry entry
     * says: a positive multiplier is dropped inside an operator that ignores it, and carried through one that only
     * scales along.
     */
    enum Scaling {
        /** f(k x) = f(x), for every series operand: ranks, z-scores, correlation, sign, ... */
        INVARIANT,
        /** f(k x) = k^p f(x) with p != 0, for every series operand: averages, lags, changes, products, ... */
        HOMOGENEOUS,
        /** The residual of y on x: invariant in x, homogeneous in y. */
        RESIDUAL,
        /** x ^ a and signedpower(x, a): homogeneous in x when a is a constant. */
        POWER,
        /** Neither: sums, logs, comparisons, logic, counts. */
        NONE
    }

    /** {@code a / b} where a positive factor on the result does not matter: positive constants become 1. */
    private static Expr scaleFreeQuotient(List<Expr> args, int pos) {
        Expr a = args.get(0);
        Expr b = args.get(1);
        if (b instanceof Num n && n.value() != 0 && Double.isFinite(n.value())) {
            return flattenAssociative(MUL, List.of(new Num(Math.signum(n.value()), pos), a), pos, true);
        }
        if (a instanceof Num n && n.value() != 0 && Double.isFinite(n.value())) {
            a = new Num(Math.signum(n.value()), pos);
        }
        return new Call(DIV, List.of(a, b), pos);
    }

    /**
     * @param dropScale whether the chain's constant may be reduced to its sign (a product whose positive scale does
     *                  not matter)
     */
    private static Expr flattenAssociative(Op op, List<Expr> args, int pos, boolean dropScale) {
        boolean add = op == ADD;
        List<Expr> operands = new ArrayList<>();
        double constant = add ? 0.0 : 1.0;
        boolean hasConstant = false;
        List<Expr> pending = new ArrayList<>(args);
        while (!pending.isEmpty()) {
            Expr a = pending.remove(0);
            if (a instanceof Call c && c.op() == op) {
                pending.addAll(0, c.args());
            } else if (a instanceof Num n) {
                constant = add ? Scalar.add(constant, n.value()) : Scalar.mul(constant, n.value());
                hasConstant = true;
            } else {
                operands.add(a);
            }
        }
        if (operands.isEmpty()) {
            return new Num(constant, pos);
        }
        if (dropScale && !add && constant != 0 && Double.isFinite(constant)) {
            constant = Math.signum(constant);
        }
        boolean identity = add ? constant == 0.0 : constant == 1.0;
        if (hasConstant && !identity) {
            operands.add(new Num(constant, pos));
        }
        if (operands.size() == 1) {
            return operands.get(0);
        }
        operands.sort(ORDER);
        return new Call(op, operands, pos);
    }

    /** Prints a (canonical or parsed) tree with every digit of its constants. Infix operators are fully parenthesised. */
    static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        print(e, sb, 17);
        return sb.toString();
    }

    /** Prints a canonical tree as the canonical text: constants with at most {@value #DIGITS} significant digits. */
    static String text(Expr e) {
        StringBuilder sb = new StringBuilder();
        print(e, sb, DIGITS);
        return sb.toString();
    }

    private static void print(Expr e, StringBuilder sb, int digits) {
        if (e instanceof Num n) {
            sb.append(number(n.value(), digits));
        } else if (e instanceof Field f) {
            sb.append(f.name());
        } else if (e instanceof Group g) {
            sb.append("IndClass.").append(g.name());
        } else {
            printCall((Call) e, sb, digits);
        }
    }

    private static void printCall(Call c, StringBuilder sb, int digits) {
        Op op = c.op();
        if (op == IF) {
            sb.append('(');
            print(c.arg(0), sb, digits);
            sb.append(" ? ");
            print(c.arg(1), sb, digits);
            sb.append(" : ");
            print(c.arg(2), sb, digits);
            sb.append(')');
        } else if (op.infix() != null && c.args().size() == 1) {
            sb.append('(').append(op.infix());
            print(c.arg(0), sb, digits);
            sb.append(')');
        } else if (op.infix() != null) {
            sb.append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) {
                    sb.append(' ').append(op.infix()).append(' ');
                }
                print(c.arg(i), sb, digits);
            }
            sb.append(')');
        } else if (op == NEG) {
            sb.append("(-");
            print(c.arg(0), sb, digits);
            sb.append(')');
        } else {
            sb.append(op.name()).append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                print(c.arg(i), sb, digits);
            }
            sb.append(')');
        }
    }

    /**
     * The shortest decimal that reads back as exactly v, computed with BigDecimal so that every JDK prints the same
     * text: integers without a point, {@code 0.001}, {@code 1e-12}, {@code 2.5e+20}. NaN prints as {@code nan}.
     */
    static String number(double v) {
        return number(v, 17);
    }

    /**
     * {@link #number(double)} with at most {@code digits} significant digits: v rounded half-even to that many when
     * its shortest decimal needs more.
     */
    static String number(double v, int digits) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        BigDecimal exact = new BigDecimal(v);
        BigDecimal shortest = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
        for (int d = 1; d < digits; d++) {
            BigDecimal r = exact.round(new MathContext(d, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == v) {
                shortest = r;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        if (shortest.scale() <= 0 && shortest.abs().compareTo(BigDecimal.valueOf(1e15)) < 0) {
            return shortest.toBigInteger().toString(); // rounded to a whole number
        }
        int exponent = shortest.precision() - shortest.scale() - 1; // power of ten of the leading digit
        if (exponent >= -6 && exponent < 15) {
            return shortest.toPlainString();
        }
        String mantissa = shortest.unscaledValue().abs().toString();
        StringBuilder sb = new StringBuilder();
        if (shortest.signum() < 0) {
            sb.append('-');
        }
        sb.append(mantissa.charAt(0));
        if (mantissa.length() > 1) {
            sb.append('.').append(mantissa, 1, mantissa.length());
        }
        return sb.append('e').append(exponent < 0 ? "-" : "+").append(Math.abs(exponent)).toString();
    }

    /** First 16 hex digits of the SHA-256 of the canonical text. */
    static String hash(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
