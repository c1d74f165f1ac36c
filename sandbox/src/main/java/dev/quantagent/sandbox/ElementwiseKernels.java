package dev.quantagent.sandbox;

/**
 * Element-wise kernels: one loop per operator, which evaluation runs over the panel and constant folding runs on
 * one-cell inputs (so a folded constant has the bits evaluation would give; ElementwiseKernelsTest holds every loop of
 * an operator to the same bits). Results are never infinite: anything that would be +-Inf is NaN, the missing value,
 * by {@code v - (v - v)} ({@link Scalar#finite}) written out. Bodies are written out rather than calling helpers: C2
 * inlines a call in a loop only if the call site's profile says it ran, and loops that ran in OSR-compiled code leave
 * no profile, so in a long run a kernel could end up calling a helper once per cell (5x slower, measured). Written
 * out, a body has nothing left to inline, and the loops over two series, indexed plainly, vectorise.
 *
 * <p>A constant operand is a one-element array, never materialised: binary operators have a loop for a constant on
 * either side, the conditional reads constants through index mask 0 ({@code a[i & 0]}) and series through mask -1.
 * Each operator's loops sit in a method of their own, small enough to compile well on its own.
 *
 * <p>Comparisons, logic, selection and sign have no branches: on real data their outcomes are coin flips, and a
 * mispredicted branch per cell made {@code close < open} cost 4 ms on the S&P panel instead of well under 1 (and
 * Math.signum 3x). They rely on the language's invariant that operands are numbers or NaN, never infinite: the
 * difference's sign, lifted by 2^1200 in two steps (past the smallest difference of two doubles, 2^-1074) and clamped
 * to [-1, 1], is 1, -1, +-0 or NaN; b - a may overflow to an infinity, whose sign is still right.
 */
final class ElementwiseKernels {

    private ElementwiseKernels() {
    }

    private static int mask(double[] operand) {
        return operand.length == 1 ? 0 : -1;
    }

    /** The loop of a one-operand operator. */
    @FunctionalInterface
    interface Unary {
        void apply(double[] x, double[] out, int n);
    }

    /** The loop of a two-operand operator; either operand may be a constant (a one-element array). */
    @FunctionalInterface
    interface Binary {
        void apply(double[] a, double[] b, double[] out, int n);
    }

    static Kernel unary(Unary loop) {
        return (in, out, from, to, scratch, dl) -> loop.apply(in.x(), out, to);
    }

    static Kernel binary(Binary loop) {
        return (in, out, from, to, scratch, dl) -> loop.apply(in.series(0), in.series(1), out, to);
    }

    /** c ? a : b over the cells of its node. */
    static final Kernel IF_THEN = (in, out, from, to, scratch, dl) -> ifThen(in.series(0), in.series(1),
            in.series(2), out, to);

    static void neg(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = -x[i];
        }
    }

    static void abs(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = Math.abs(x[i]);
        }
    }

    static void sign(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToRawLongBits(x[i]);
            long magnitude = bits & 0x7FFF_FFFF_FFFF_FFFFL;
            long isNumberNotZero = ((magnitude | -magnitude) >> 63) & ((magnitude - 0x7FF0_0000_0000_0001L) >> 63);
            long one = (bits & 0x8000_0000_0000_0000L) | 0x3FF0_0000_0000_0000L;
            out[i] = Double.longBitsToDouble((isNumberNotZero & one) | (~isNumberNotZero & bits));
        }
    }

    static void log(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            double v = Math.log(x[i]); // NaN below 0, -Infinity at 0: both missing after the next line
            out[i] = v - (v - v);
        }
    }

    static void sqrt(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            double v = Math.sqrt(x[i]); // NaN below 0
            out[i] = v - (v - v);
        }
    }

    static void exp(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            double v = Math.exp(x[i]);
            out[i] = v - (v - v);
        }
    }

    static void not(double[] x, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = 1.0 - Math.abs(Math.min(1.0, Math.max(-1.0, (x[i]) * 0x1p600 * 0x1p600)));
        }
    }

    /* + - * /: with a constant on one side, or on both when folding. */

    static void add(double[] a, double[] b, double[] out, int n) {
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

    static void mul(double[] a, double[] b, double[] out, int n) {
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

    static void sub(double[] a, double[] b, double[] out, int n) {
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

    static void div(double[] a, double[] b, double[] out, int n) {
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
     * a local, so that these loops vectorise too).
     */

    static void greater(double[] a, double[] b, double[] out, int n) {
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

    static void less(double[] a, double[] b, double[] out, int n) {
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

    /** 1 where a > b: max(-sign, 0.0), never a negative zero. */
    static void gt(double[] a, double[] b, double[] out, int n) {
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

    static void ge(double[] a, double[] b, double[] out, int n) {
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

    static void lt(double[] a, double[] b, double[] out, int n) {
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

    static void le(double[] a, double[] b, double[] out, int n) {
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

    static void eq(double[] a, double[] b, double[] out, int n) {
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

    static void ne(double[] a, double[] b, double[] out, int n) {
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

    /** Not truth(a) * truth(b): C2 does not vectorise two clamps in one loop body (1.4 ms against 0.2). */
    static void and(double[] a, double[] b, double[] out, int n) {
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

    /** |a| + |b| may overflow to infinity, still true; Math.max would not vectorise. */
    static void or(double[] a, double[] b, double[] out, int n) {
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

    /** x^1 and x^2 without Math.pow (10 ns a cell): x itself, as Math.pow promises, and x * x, correctly rounded. */
    static void pow(double[] a, double[] b, double[] out, int n) {
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

    /** sign(x) * |x|^a; NaN for NaN x even where |x|^a would be 1 (a = 0), as Math.signum(NaN) is NaN. */
    static void signedPower(double[] a, double[] b, double[] out, int n) {
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

    /**
     * c != 0 ? a : b, NaN where c is NaN, choosing bits by a mask (a blend of the two values would lose a -0.0 and let
     * a NaN in the branch not taken through); subtracting c - c (0, or NaN for NaN) keeps -0.0.
     */
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
