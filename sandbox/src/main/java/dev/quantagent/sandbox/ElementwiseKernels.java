package dev.quantagent.sandbox;

/**
 * Element-wise kernels. A constant operand is a one-element array read through index mask 0 ({@code a[i & 0]}),
 * a series through mask -1, so one loop serves both without materialising constants. The switch sits outside the
 * loops; each loop body calls one small {@link Scalar} method that the JIT inlines.
 */
final class ElementwiseKernels {

    private ElementwiseKernels() {
    }

    static int mask(double[] operand) {
        return operand.length == 1 ? 0 : -1;
    }

    static void unary(Op.Impl op, double[] x, double[] out, int n) {
        int m = mask(x);
        switch (op) {
            case NEG -> {
                for (int i = 0; i < n; i++) {
                    out[i] = -x[i & m];
                }
            }
            case ABS -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Math.abs(x[i & m]);
                }
            }
            case SIGN -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.sign(x[i & m]);
                }
            }
            case LOG -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.log(x[i & m]);
                }
            }
            case SQRT -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.sqrt(x[i & m]);
                }
            }
            case EXP -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.exp(x[i & m]);
                }
            }
            case NOT -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.not(x[i & m]);
                }
            }
            default -> throw new IllegalStateException("not a unary operator: " + op);
        }
    }

    static void binary(Op.Impl op, double[] a, double[] b, double[] out, int n) {
        if (arithmetic(op, a, b, out, n)) {
            return;
        }
        int ma = mask(a);
        int mb = mask(b);
        switch (op) {
            case POW -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.pow(a[i & ma], b[i & mb]);
                }
            }
            case SIGNED_POWER -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.signedPower(a[i & ma], b[i & mb]);
                }
            }
            case GREATER -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.greater(a[i & ma], b[i & mb]);
                }
            }
            case LESS -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.less(a[i & ma], b[i & mb]);
                }
            }
            case GT -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.gt(a[i & ma], b[i & mb]);
                }
            }
            case GE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.ge(a[i & ma], b[i & mb]);
                }
            }
            case LT -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.lt(a[i & ma], b[i & mb]);
                }
            }
            case LE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.le(a[i & ma], b[i & mb]);
                }
            }
            case EQ -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.eq(a[i & ma], b[i & mb]);
                }
            }
            case NE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.ne(a[i & ma], b[i & mb]);
                }
            }
            case AND -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.and(a[i & ma], b[i & mb]);
                }
            }
            case OR -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Scalar.or(a[i & ma], b[i & mb]);
                }
            }
            default -> throw new IllegalStateException("not a binary operator: " + op);
        }
    }

    /**
     * + - * / (most of any formula) in plain indexed loops that the JIT vectorises: an index mask, as the other
     * operators use, hides contiguity from it (these loops are about 3x faster). Two constants are folded by the
     * resolver before evaluation, so one operand is a series.
     */
    private static boolean arithmetic(Op.Impl op, double[] a, double[] b, double[] out, int n) {
        boolean constA = a.length == 1;
        boolean constB = b.length == 1;
        switch (op) {
            case ADD -> {
                if (constA || constB) {
                    double[] x = constA ? b : a;
                    double c = constA ? a[0] : b[0]; // IEEE addition is commutative
                    for (int i = 0; i < n; i++) {
                        out[i] = Scalar.add(x[i], c);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = Scalar.add(a[i], b[i]);
                    }
                }
            }
            case MUL -> {
                if (constA || constB) {
                    double[] x = constA ? b : a;
                    double c = constA ? a[0] : b[0]; // and so is multiplication
                    for (int i = 0; i < n; i++) {
                        out[i] = Scalar.mul(x[i], c);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = Scalar.mul(a[i], b[i]);
                    }
                }
            }
            case SUB -> {
                if (constA) {
                    double c = a[0];
                    for (int i = 0; i < n; i++) {
                        out[i] = Scalar.sub(c, b[i]);
                    }
                } else if (constB) {
                    double c = b[0];
                    for (int i = 0; i < n; i++) {
                        out[i] = Scalar.sub(a[i], c);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = Scalar.sub(a[i], b[i]);
                    }
                }
            }
            case DIV -> {
                if (constA) {
                    double c = a[0];
                    for (int i = 0; i < n; i++) {
                        out[i] = Scalar.div(c, b[i]);
                    }
                } else if (constB) {
                    double c = b[0];
                    for (int i = 0; i < n; i++) {
                        out[i] = Scalar.div(a[i], c);
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        out[i] = Scalar.div(a[i], b[i]);
                    }
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    static void ifThen(double[] c, double[] a, double[] b, double[] out, int n) {
        int mc = mask(c);
        int ma = mask(a);
        int mb = mask(b);
        for (int i = 0; i < n; i++) {
            out[i] = Scalar.ifThen(c[i & mc], a[i & ma], b[i & mb]);
        }
    }
}
