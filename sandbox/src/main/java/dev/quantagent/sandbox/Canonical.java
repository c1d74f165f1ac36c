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
import java.util.Map;

/**
 * The canonical form of a factor: one spelling for every way of writing the same formula, so that the knowledge base
 * recognises {@code Mean($close, 5)} and {@code ts_mean(close, 5.7)} as one factor. Names are normalised to the
 * registry's canonical names, windows are floored, constants folded, {@code a + (b + c)} flattened, operands of
 * commutative operators sorted, {@code a > b} written {@code b < a} and {@code -x} written {@code -1 * x}.
 * The text is stable across JDKs (numbers are printed by an exact shortest-round-trip rule, not Double.toString).
 */
final class Canonical {

    private static final Op ADD = Operators.byName("add");
    private static final Op MUL = Operators.byName("mul");
    private static final Map<Op.Impl, Op> FLIPPED = Map.of(
            Op.Impl.GT, Operators.byName("lt"),
            Op.Impl.GE, Operators.byName("le"));
    private static final Comparator<Expr> ORDER =
            Comparator.comparingInt((Expr e) -> e instanceof Num ? 0 : 1).thenComparing((Expr e) -> print(e));

    private Canonical() {
    }

    /** The canonical tree (may contain n-ary add and mul). */
    static Expr canonicalise(Expr e) {
        if (!(e instanceof Call call)) {
            return e;
        }
        List<Expr> args = new ArrayList<>(call.args().size());
        for (Expr a : call.args()) {
            args.add(canonicalise(a));
        }
        Op op = call.op();
        switch (op.impl()) {
            case NEG -> {
                return flattenAssociative(MUL, List.of(new Num(-1, call.pos()), args.get(0)), call.pos());
            }
            case ADD, MUL -> {
                return flattenAssociative(op, args, call.pos());
            }
            case GT, GE -> {
                return new Call(FLIPPED.get(op.impl()), List.of(args.get(1), args.get(0)), call.pos());
            }
            case CORRELATION, COVARIANCE -> {
                if (ORDER.compare(args.get(0), args.get(1)) > 0) {
                    Expr t = args.get(0);
                    args.set(0, args.get(1));
                    args.set(1, t);
                }
                return new Call(op, args, call.pos());
            }
            default -> {
                if (op.commutative()) {
                    args.sort(ORDER);
                }
                return new Call(op, args, call.pos());
            }
        }
    }

    private static Expr flattenAssociative(Op op, List<Expr> args, int pos) {
        boolean add = op.impl() == Op.Impl.ADD;
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

    /** Prints a (canonical or parsed) tree. Infix operators are fully parenthesised. */
    static String print(Expr e) {
        StringBuilder sb = new StringBuilder();
        print(e, sb);
        return sb.toString();
    }

    private static void print(Expr e, StringBuilder sb) {
        if (e instanceof Num n) {
            sb.append(number(n.value()));
        } else if (e instanceof Field f) {
            sb.append(f.name());
        } else if (e instanceof Group g) {
            sb.append("IndClass.").append(g.name());
        } else {
            printCall((Call) e, sb);
        }
    }

    private static void printCall(Call c, StringBuilder sb) {
        Op op = c.op();
        if (op.impl() == Op.Impl.IF) {
            sb.append('(');
            print(c.arg(0), sb);
            sb.append(" ? ");
            print(c.arg(1), sb);
            sb.append(" : ");
            print(c.arg(2), sb);
            sb.append(')');
        } else if (op.infix() != null && c.args().size() == 1) {
            sb.append('(').append(op.infix());
            print(c.arg(0), sb);
            sb.append(')');
        } else if (op.infix() != null) {
            sb.append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) {
                    sb.append(' ').append(op.infix()).append(' ');
                }
                print(c.arg(i), sb);
            }
            sb.append(')');
        } else if (op.impl() == Op.Impl.NEG) {
            sb.append("(-");
            print(c.arg(0), sb);
            sb.append(')');
        } else {
            sb.append(op.name()).append('(');
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                print(c.arg(i), sb);
            }
            sb.append(')');
        }
    }

    /**
     * The shortest decimal that reads back as exactly v, computed with BigDecimal so that every JDK prints the same
     * text: integers without a point, {@code 0.001}, {@code 1e-12}, {@code 2.5e+20}. NaN prints as {@code nan}.
     */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        BigDecimal exact = new BigDecimal(v);
        BigDecimal shortest = exact;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal r = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == v) {
                shortest = r;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        int exponent = shortest.precision() - shortest.scale() - 1; // power of ten of the leading digit
        if (exponent >= -6 && exponent < 15) {
            return shortest.toPlainString();
        }
        String digits = shortest.unscaledValue().abs().toString();
        StringBuilder sb = new StringBuilder();
        if (shortest.signum() < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
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
