package dev.quantagent.sandbox;

/**
 * The element-wise arithmetic of the language, one cell at a time: what constant folding computes, and the definition
 * that {@link ElementwiseKernels}' loops write out (ElementwiseKernelsTest holds them to the same bits). Results are
 * never infinite: anything that would be +-Inf is NaN, the missing value.
 */
final class Scalar {

    private Scalar() {
    }

    /** NaN for +-Inf and NaN, otherwise v. (Inf - Inf and NaN - NaN are NaN, so the test is one subtraction.) */
    static double finite(double v) {
        // v - v is 0 for a number and NaN for NaN or an infinity; subtracting it keeps v (and -0.0) bit for bit.
        // Arithmetic instead of a branch, so the loops around it vectorise.
        return v - (v - v);
    }

    static double add(double a, double b) {
        return finite(a + b);
    }

    static double sub(double a, double b) {
        return finite(a - b);
    }

    static double mul(double a, double b) {
        return finite(a * b);
    }

    static double div(double a, double b) {
        return finite(a / b); // x / 0 is an infinity or NaN, so finite() makes it NaN without a branch
    }

    /** x^1 and x^2 without Math.pow (10 ns a cell): x itself, as Math.pow promises, and x * x, correctly rounded. */
    static double pow(double a, double b) {
        if (b == 1.0) {
            return a;
        }
        if (b == 2.0) {
            return finite(a * a);
        }
        return finite(Math.pow(a, b));
    }

    /**
     * NaN for NaN x even where |x|^a would be 1 (a = 0): Math.signum(NaN) is NaN. The square, the usual case, without
     * Math.pow, as {@link #pow}.
     */
    static double signedPower(double x, double a) {
        double m = Math.abs(x);
        return finite(Math.signum(x) * (a == 2.0 ? m * m : Math.pow(m, a)));
    }

    /**
     * Math.signum without its branches (their mispredictions on returns' random signs cost 3x): the bits of
     * copysign(1, x) where x is a non-zero number, x itself (NaN, 0 or -0) otherwise.
     */
    static double sign(double x) {
        long bits = Double.doubleToRawLongBits(x);
        long magnitude = bits & 0x7FFF_FFFF_FFFF_FFFFL;
        long isNumberNotZero = ((magnitude | -magnitude) >> 63) & ((magnitude - 0x7FF0_0000_0000_0001L) >> 63);
        long one = (bits & 0x8000_0000_0000_0000L) | 0x3FF0_0000_0000_0000L;
        return Double.longBitsToDouble((isNumberNotZero & one) | (~isNumberNotZero & bits));
    }

    /** NaN for x < 0 (Math.log's NaN) and for 0 (its -Infinity, made missing). */
    static double log(double x) {
        return finite(Math.log(x));
    }

    /** NaN for x < 0; -0.0 stays -0.0. */
    static double sqrt(double x) {
        return finite(Math.sqrt(x));
    }

    static double exp(double x) {
        return finite(Math.exp(x));
    }

    /** Element-wise maximum; NaN if either is NaN (as Math.max; -0.0 counts below 0.0, one of the two is kept). */
    static double greater(double a, double b) {
        return Math.max(a, b);
    }

    static double less(double a, double b) {
        return Math.min(a, b);
    }

    /*
     * Comparisons, logic and selection without branches: on real data their outcomes are coin flips, and a
     * mispredicted branch per cell made `close < open` cost 4 ms on the S&P panel instead of well under 1. They rely
     * on the language's invariant that operands are numbers or NaN, never infinite.
     */

    /** 2^1200 in two steps: lifts the smallest difference of two doubles (2^-1074) past 1 before the clamp. */
    private static double clampedSign(double x) {
        return Math.min(1.0, Math.max(-1.0, x * 0x1p600 * 0x1p600));
    }

    /**
     * 1 where a < b, -1 where a > b, +-0 where equal, NaN where either is NaN. b - a may overflow to an infinity
     * (1e308 and -1e308), whose sign is still right.
     */
    private static double order(double a, double b) {
        return clampedSign(b - a);
    }

    /** 1 for a non-zero number, 0 for +-0, NaN for NaN. */
    private static double truth(double x) {
        return Math.abs(clampedSign(x));
    }

    static double gt(double a, double b) {
        return Math.max(-order(a, b), 0.0); // max(-0.0, 0.0) is 0.0: never a negative zero
    }

    static double ge(double a, double b) {
        return 1.0 - lt(a, b);
    }

    static double lt(double a, double b) {
        return Math.max(order(a, b), 0.0);
    }

    static double le(double a, double b) {
        return 1.0 - gt(a, b);
    }

    static double eq(double a, double b) {
        return 1.0 - Math.abs(order(a, b));
    }

    static double ne(double a, double b) {
        return Math.abs(order(a, b));
    }

    static double and(double a, double b) {
        // not truth(a) * truth(b): C2 does not vectorise two clamps in one loop body (1.4 ms against 0.2 on the panel)
        return truth(Math.min(Math.abs(a), Math.abs(b)));
    }

    static double or(double a, double b) {
        return truth(Math.abs(a) + Math.abs(b)); // an overflow to infinity is still true; Math.max would not vectorise
    }

    static double not(double x) {
        return 1.0 - truth(x);
    }

    /**
     * c != 0 ? a : b, NaN where c is NaN, choosing bits by a mask (a blend of the two values would lose a -0.0 and
     * let a NaN in the branch not taken through). Subtracting c - c (0, or NaN for NaN) keeps -0.0.
     */
    static double ifThen(double c, double a, double b) {
        long take = -(long) truth(c); // -1 (all ones) to take a, 0 to take b; (long) NaN is 0
        long bits = (Double.doubleToRawLongBits(a) & take) | (Double.doubleToRawLongBits(b) & ~take);
        return Double.longBitsToDouble(bits) - (c - c);
    }

    /** Applies an element-wise operator to constants (for folding); null if the operator is not element-wise. */
    static Double apply(Op.Impl impl, double[] v) {
        return switch (impl) {
            case ADD -> add(v[0], v[1]);
            case SUB -> sub(v[0], v[1]);
            case MUL -> mul(v[0], v[1]);
            case DIV -> div(v[0], v[1]);
            case POW -> pow(v[0], v[1]);
            case NEG -> -v[0];
            case ABS -> Math.abs(v[0]);
            case SIGN -> sign(v[0]);
            case LOG -> log(v[0]);
            case SQRT -> sqrt(v[0]);
            case EXP -> exp(v[0]);
            case SIGNED_POWER -> signedPower(v[0], v[1]);
            case GREATER -> greater(v[0], v[1]);
            case LESS -> less(v[0], v[1]);
            case GT -> gt(v[0], v[1]);
            case GE -> ge(v[0], v[1]);
            case LT -> lt(v[0], v[1]);
            case LE -> le(v[0], v[1]);
            case EQ -> eq(v[0], v[1]);
            case NE -> ne(v[0], v[1]);
            case AND -> and(v[0], v[1]);
            case OR -> or(v[0], v[1]);
            case NOT -> not(v[0]);
            case IF -> ifThen(v[0], v[1], v[2]);
            default -> null;
        };
    }
}
