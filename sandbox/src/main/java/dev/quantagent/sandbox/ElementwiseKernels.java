package dev.quantagent.sandbox;

/**
 * Element-wise kernels, each the loop form of a {@link Scalar} method (which constant folding uses;
 * ElementwiseKernelsTest holds the two to the same bits). The loop bodies are written out rather than calling
 * Scalar: C2 inlines a call in a loop only if the call site's profile says it ran, and loops that ran in OSR-compiled
 * code leave no profile, so in a long run a kernel inlined into the evaluator could end up calling Scalar once per
 * cell (5x slower, measured). Written out, a body has nothing left to inline, and the loops over two series, indexed
 * plainly, vectorise.
 *
 * <p>A constant operand is a one-element array, never materialised: binary operators have a loop for a constant on
 * either side, the conditional reads constants through index mask 0 ({@code a[i & 0]}) and series through mask -1.
 * Each operator's loops sit in a method of their own, small enough to compile well on its own.
 */
final class ElementwiseKernels {

    private ElementwiseKernels() {
    }

    private static int mask(double[] operand) {
        return operand.length == 1 ? 0 : -1;
    }

    /** x is a series: the resolver folds an operator of constants into a constant. */
    static void unary(Op.Impl op, double[] x, double[] out, int n) {
        switch (op) {
            case NEG -> neg(x, out, n);
            case ABS -> abs(x, out, n);
            case SIGN -> sign(x, out, n);
            case LOG -> log(x, out, n);
            case SQRT -> sqrt(x, out, n);
            case EXP -> exp(x, out, n);
            case NOT -> not(x, out, n);
            default -> throw new IllegalStateException("not a unary operator: " + op);
        }
    }

    private static void neg(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = -x[i];
        }
    }

    private static void abs(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = Math.abs(x[i]);
        }
    }

    private static void sign(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToRawLongBits(x[i]);
            long magnitude = bits & 0x7FFF_FFFF_FFFF_FFFFL;
            long isNumberNotZero = ((magnitude | -magnitude) >> 63) & ((magnitude - 0x7FF0_0000_0000_0001L) >> 63);
            long one = (bits & 0x8000_0000_0000_0000L) | 0x3FF0_0000_0000_0000L;
            out[i] = Double.longBitsToDouble((isNumberNotZero & one) | (~isNumberNotZero & bits));
        }
    }

    private static void log(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            double v = Math.log(x[i]); // NaN below 0, -Infinity at 0: both missing after the next line
            out[i] = v - (v - v);
        }
    }

    private static void sqrt(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            double v = Math.sqrt(x[i]); // NaN below 0
            out[i] = v - (v - v);
        }
    }

    private static void exp(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            double v = Math.exp(x[i]);
            out[i] = v - (v - v);
        }
    }

    private static void not(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = 1.0 - Math.abs(Math.min(1.0, Math.max(-1.0, (x[i]) * 0x1p600 * 0x1p600)));
        }
    }

    static void binary(Op.Impl op, double[] a, double[] b, double[] out, int n) {
        switch (op) {
            case ADD -> add(a, b, out, n);
            case SUB -> sub(a, b, out, n);
            case MUL -> mul(a, b, out, n);
            case DIV -> div(a, b, out, n);
            case GREATER -> greater(a, b, out, n);
            case LESS -> less(a, b, out, n);
            case GT -> gt(a, b, out, n);
            case GE -> ge(a, b, out, n);
            case LT -> lt(a, b, out, n);
            case LE -> le(a, b, out, n);
            case EQ -> eq(a, b, out, n);
            case NE -> ne(a, b, out, n);
            case AND -> and(a, b, out, n);
            case OR -> or(a, b, out, n);
            case POW -> pow(a, b, out, n);
            case SIGNED_POWER -> signedPower(a, b, out, n);
            default -> throw new IllegalStateException("not a binary operator: " + op);
        }
    }

    /*
     * + - * /: v - (v - v) is Scalar.finite (an infinity becomes NaN). Two constants are folded by the resolver before
     * evaluation, so one operand is a series.
     */

    private static void add(double[] a, double[] b, double[] out, int n) {
        if (a.length == 1 || b.length == 1) {
            double[] x = a.length == 1 ? b : a;
            double c = a.length == 1 ? a[0] : b[0]; // IEEE addition is commutative
            for (int i = 0; i < n; i++) {
                double v = x[i] + c;
                out[i] = v - (v - v);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = a[i] + b[i];
                out[i] = v - (v - v);
            }
        }
    }

    private static void mul(double[] a, double[] b, double[] out, int n) {
        if (a.length == 1 || b.length == 1) {
            double[] x = a.length == 1 ? b : a;
            double c = a.length == 1 ? a[0] : b[0]; // and so is multiplication
            for (int i = 0; i < n; i++) {
                double v = x[i] * c;
                out[i] = v - (v - v);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = a[i] * b[i];
                out[i] = v - (v - v);
            }
        }
    }

    private static void sub(double[] a, double[] b, double[] out, int n) {
        if (a.length == 1) {
            double c = a[0];
            for (int i = 0; i < n; i++) {
                double v = c - b[i];
                out[i] = v - (v - v);
            }
        } else if (b.length == 1) {
            double c = b[0];
            for (int i = 0; i < n; i++) {
                double v = a[i] - c;
                out[i] = v - (v - v);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = a[i] - b[i];
                out[i] = v - (v - v);
            }
        }
    }

    private static void div(double[] a, double[] b, double[] out, int n) {
        if (a.length == 1) {
            double c = a[0];
            for (int i = 0; i < n; i++) {
                double v = c / b[i];
                out[i] = v - (v - v);
            }
        } else if (b.length == 1) {
            double c = b[0];
            for (int i = 0; i < n; i++) {
                double v = a[i] / c;
                out[i] = v - (v - v);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = a[i] / b[i];
                out[i] = v - (v - v);
            }
        }
    }

    /*
     * The other operators, each with a loop for two series and one for a constant on either side (a constant held in
     * a local, so that these loops vectorise too). Comparisons and logic as in Scalar: the difference's sign, lifted
     * by 2^1200 and clamped to [-1, 1], is 1, -1, +-0 or NaN.
     */

    private static void greater(double[] a, double[] b, double[] out, int n) {
        if (a.length == 1 || b.length == 1) {
            double[] x = a.length == 1 ? b : a;
            double c = a.length == 1 ? a[0] : b[0]; // Math.max and Math.min are commutative, even for NaN and -0.0
            for (int i = 0; i < n; i++) {
                out[i] = Math.max(x[i], c);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = Math.max(a[i], b[i]);
            }
        }
    }

    private static void less(double[] a, double[] b, double[] out, int n) {
        if (a.length == 1 || b.length == 1) {
            double[] x = a.length == 1 ? b : a;
            double c = a.length == 1 ? a[0] : b[0];
            for (int i = 0; i < n; i++) {
                out[i] = Math.min(x[i], c);
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = Math.min(a[i], b[i]);
            }
        }
    }

    private static void gt(double[] a, double[] b, double[] out, int n) {
        if (b.length == 1) {
            double y = b[0];
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (y - a[i]) * 0x1p600 * 0x1p600));
                out[i] = Math.max(-s, 0.0);
            }
        } else if (a.length == 1) {
            double x = a[0];
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (b[i] - x) * 0x1p600 * 0x1p600));
                out[i] = Math.max(-s, 0.0);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (b[i] - a[i]) * 0x1p600 * 0x1p600));
                out[i] = Math.max(-s, 0.0);
            }
        }
    }

    private static void ge(double[] a, double[] b, double[] out, int n) {
        if (b.length == 1) {
            double y = b[0];
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (y - a[i]) * 0x1p600 * 0x1p600));
                out[i] = 1.0 - Math.max(s, 0.0);
            }
        } else if (a.length == 1) {
            double x = a[0];
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (b[i] - x) * 0x1p600 * 0x1p600));
                out[i] = 1.0 - Math.max(s, 0.0);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (b[i] - a[i]) * 0x1p600 * 0x1p600));
                out[i] = 1.0 - Math.max(s, 0.0);
            }
        }
    }

    private static void lt(double[] a, double[] b, double[] out, int n) {
        if (b.length == 1) {
            double y = b[0];
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (y - a[i]) * 0x1p600 * 0x1p600));
                out[i] = Math.max(s, 0.0);
            }
        } else if (a.length == 1) {
            double x = a[0];
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (b[i] - x) * 0x1p600 * 0x1p600));
                out[i] = Math.max(s, 0.0);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (b[i] - a[i]) * 0x1p600 * 0x1p600));
                out[i] = Math.max(s, 0.0);
            }
        }
    }

    private static void le(double[] a, double[] b, double[] out, int n) {
        if (b.length == 1) {
            double y = b[0];
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (y - a[i]) * 0x1p600 * 0x1p600));
                out[i] = 1.0 - Math.max(-s, 0.0);
            }
        } else if (a.length == 1) {
            double x = a[0];
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (b[i] - x) * 0x1p600 * 0x1p600));
                out[i] = 1.0 - Math.max(-s, 0.0);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (b[i] - a[i]) * 0x1p600 * 0x1p600));
                out[i] = 1.0 - Math.max(-s, 0.0);
            }
        }
    }

    private static void eq(double[] a, double[] b, double[] out, int n) {
        if (a.length == 1 || b.length == 1) {
            double[] x = a.length == 1 ? b : a;
            double c = a.length == 1 ? a[0] : b[0]; // |b - a| is |a - b|
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (c - x[i]) * 0x1p600 * 0x1p600));
                out[i] = 1.0 - Math.abs(s);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (b[i] - a[i]) * 0x1p600 * 0x1p600));
                out[i] = 1.0 - Math.abs(s);
            }
        }
    }

    private static void ne(double[] a, double[] b, double[] out, int n) {
        if (a.length == 1 || b.length == 1) {
            double[] x = a.length == 1 ? b : a;
            double c = a.length == 1 ? a[0] : b[0];
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (c - x[i]) * 0x1p600 * 0x1p600));
                out[i] = Math.abs(s);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double s = Math.min(1.0, Math.max(-1.0, (b[i] - a[i]) * 0x1p600 * 0x1p600));
                out[i] = Math.abs(s);
            }
        }
    }

    private static void and(double[] a, double[] b, double[] out, int n) {
        if (a.length == 1 || b.length == 1) {
            double[] x = a.length == 1 ? b : a;
            double c = a.length == 1 ? a[0] : b[0];
            for (int i = 0; i < n; i++) {
                double both = Math.min(Math.abs(x[i]), Math.abs(c));
                out[i] = Math.abs(Math.min(1.0, Math.max(-1.0, both * 0x1p600 * 0x1p600)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                double both = Math.min(Math.abs(a[i]), Math.abs(b[i]));
                out[i] = Math.abs(Math.min(1.0, Math.max(-1.0, both * 0x1p600 * 0x1p600)));
            }
        }
    }

    private static void or(double[] a, double[] b, double[] out, int n) {
        if (a.length == 1 || b.length == 1) {
            double[] x = a.length == 1 ? b : a;
            double c = a.length == 1 ? a[0] : b[0];
            for (int i = 0; i < n; i++) {
                out[i] = Math.abs(Math.min(1.0, Math.max(-1.0, (Math.abs(x[i]) + Math.abs(c)) * 0x1p600 * 0x1p600)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                double either = Math.abs(a[i]) + Math.abs(b[i]);
                out[i] = Math.abs(Math.min(1.0, Math.max(-1.0, either * 0x1p600 * 0x1p600)));
            }
        }
    }

    private static void pow(double[] a, double[] b, double[] out, int n) {
        if (b.length == 1) {
            double y = b[0];
            for (int i = 0; i < n; i++) {
                double v = y == 1.0 ? a[i] : y == 2.0 ? a[i] * a[i] : Math.pow(a[i], y);
                out[i] = v - (v - v);
            }
        } else if (a.length == 1) {
            double x = a[0];
            for (int i = 0; i < n; i++) {
                double v = b[i] == 1.0 ? x : b[i] == 2.0 ? x * x : Math.pow(x, b[i]);
                out[i] = v - (v - v);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double v = b[i] == 1.0 ? a[i] : b[i] == 2.0 ? a[i] * a[i] : Math.pow(a[i], b[i]);
                out[i] = v - (v - v);
            }
        }
    }

    private static void signedPower(double[] a, double[] b, double[] out, int n) {
        if (b.length == 1) {
            double y = b[0];
            for (int i = 0; i < n; i++) {
                double m = Math.abs(a[i]);
                double v = Math.signum(a[i]) * (y == 2.0 ? m * m : Math.pow(m, y)); // NaN for NaN
                out[i] = v - (v - v);
            }
        } else if (a.length == 1) {
            double x = a[0];
            for (int i = 0; i < n; i++) {
                double m = Math.abs(x);
                double v = Math.signum(x) * (b[i] == 2.0 ? m * m : Math.pow(m, b[i])); // NaN for NaN
                out[i] = v - (v - v);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double m = Math.abs(a[i]);
                double v = Math.signum(a[i]) * (b[i] == 2.0 ? m * m : Math.pow(m, b[i])); // NaN for NaN
                out[i] = v - (v - v);
            }
        }
    }

    static void ifThen(double[] c, double[] a, double[] b, double[] out, int n) {
        int mc = mask(c);
        int ma = mask(a);
        int mb = mask(b);
        if ((mc & ma & mb) == -1) {
            for (int i = 0; i < n; i++) {
                double ci = c[i];
                long take = -(long) Math.abs(Math.min(1.0, Math.max(-1.0, (ci) * 0x1p600 * 0x1p600)));
                long bits = (Double.doubleToRawLongBits(a[i]) & take) | (Double.doubleToRawLongBits(b[i]) & ~take);
                out[i] = Double.longBitsToDouble(bits) - (ci - ci);
            }
        } else {
            for (int i = 0; i < n; i++) {
                double ci = c[i & mc];
                long take = -(long) Math.abs(Math.min(1.0, Math.max(-1.0, (ci) * 0x1p600 * 0x1p600)));
                long bits = (Double.doubleToRawLongBits(a[i & ma]) & take)
                        | (Double.doubleToRawLongBits(b[i & mb]) & ~take);
                out[i] = Double.longBitsToDouble(bits) - (ci - ci);
            }
        }
    }
}
