package dev.quantagent.sandbox;

/**
 * The element-wise arithmetic of the language, one cell at a time. Shared by constant folding and by the kernels'
 * loops (which the JIT inlines), so the two can never disagree. Results are never infinite: anything that would be
 * +-Inf is NaN, the missing value.
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

    static double pow(double a, double b) {
        return finite(Math.pow(a, b));
    }

    static double signedPower(double x, double a) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        return finite(Math.signum(x) * Math.pow(Math.abs(x), a));
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

    static double log(double x) {
        return x > 0.0 ? finite(Math.log(x)) : Double.NaN;
    }

    static double sqrt(double x) {
        return x >= 0.0 ? finite(Math.sqrt(x)) : Double.NaN;
    }

    static double exp(double x) {
        return finite(Math.exp(x));
    }

    /** Element-wise maximum; NaN if either is NaN. */
    static double greater(double a, double b) {
        return a != a || b != b ? Double.NaN : Math.max(a, b);
    }

    static double less(double a, double b) {
        return a != a || b != b ? Double.NaN : Math.min(a, b);
    }

    static double bool(boolean v) {
        return v ? 1.0 : 0.0;
    }

    static double gt(double a, double b) {
        return a != a || b != b ? Double.NaN : bool(a > b);
    }

    static double ge(double a, double b) {
        return a != a || b != b ? Double.NaN : bool(a >= b);
    }

    static double lt(double a, double b) {
        return a != a || b != b ? Double.NaN : bool(a < b);
    }

    static double le(double a, double b) {
        return a != a || b != b ? Double.NaN : bool(a <= b);
    }

    static double eq(double a, double b) {
        return a != a || b != b ? Double.NaN : bool(a == b);
    }

    static double ne(double a, double b) {
        return a != a || b != b ? Double.NaN : bool(a != b);
    }

    static double and(double a, double b) {
        return a != a || b != b ? Double.NaN : bool(a != 0.0 && b != 0.0);
    }

    static double or(double a, double b) {
        return a != a || b != b ? Double.NaN : bool(a != 0.0 || b != 0.0);
    }

    static double not(double x) {
        return x != x ? Double.NaN : bool(x == 0.0);
    }

    static double ifThen(double c, double a, double b) {
        return c != c ? Double.NaN : (c != 0.0 ? a : b);
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
