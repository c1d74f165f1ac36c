package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The kernels write Scalar's arithmetic out in their loops; these tests hold every loop (two series, a series and a
 * constant, a constant and a series) to Scalar's result, bit for bit, on every pair of awkward values.
 */
class ElementwiseKernelsTest {

    private static final double[] VALUES = {Double.NaN, 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, 0.1,
        Math.nextUp(0.1), 0.5, 1.0, -1.0, 2.0, -2.5, 3.7, 1e10, 1e200, -1e200, Double.MAX_VALUE, -Double.MAX_VALUE};

    private static final Op.Impl[] UNARY = {Op.Impl.NEG, Op.Impl.ABS, Op.Impl.SIGN, Op.Impl.LOG, Op.Impl.SQRT,
        Op.Impl.EXP, Op.Impl.NOT};

    private static final Op.Impl[] BINARY = {Op.Impl.ADD, Op.Impl.SUB, Op.Impl.MUL, Op.Impl.DIV, Op.Impl.POW,
        Op.Impl.SIGNED_POWER, Op.Impl.GREATER, Op.Impl.LESS, Op.Impl.GT, Op.Impl.GE, Op.Impl.LT, Op.Impl.LE, Op.Impl.EQ,
        Op.Impl.NE, Op.Impl.AND, Op.Impl.OR};

    private static void assertSameBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> what + ": expected " + expected + " but was " + actual);
    }

    @Test
    void unaryKernelsComputeWhatConstantFoldingComputes() {
        int n = VALUES.length;
        double[] out = new double[n];
        for (Op.Impl op : UNARY) {
            ElementwiseKernels.unary(op, VALUES, out, n);
            for (int i = 0; i < n; i++) {
                assertSameBits(Scalar.apply(op, new double[] {VALUES[i]}), out[i], op + "(" + VALUES[i] + ")");
            }
        }
    }

    @Test
    void binaryKernelsOverTwoSeriesComputeWhatConstantFoldingComputes() {
        int n = VALUES.length * VALUES.length;
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < VALUES.length; i++) {
            for (int j = 0; j < VALUES.length; j++) {
                a[i * VALUES.length + j] = VALUES[i];
                b[i * VALUES.length + j] = VALUES[j];
            }
        }
        double[] out = new double[n];
        for (Op.Impl op : BINARY) {
            ElementwiseKernels.binary(op, a, b, out, n);
            for (int k = 0; k < n; k++) {
                assertSameBits(Scalar.apply(op, new double[] {a[k], b[k]}), out[k], op + "(" + a[k] + ", " + b[k] + ")");
            }
        }
    }

    @Test
    void binaryKernelsWithAConstantOnEitherSideComputeWhatConstantFoldingComputes() {
        int n = VALUES.length;
        double[] out = new double[n];
        double[] constants = {0.0, -0.0, 1.0, 2.0, 3.0, 0.5, -1.0, 1e-300};
        for (Op.Impl op : BINARY) {
            for (double c : constants) {
                ElementwiseKernels.binary(op, VALUES, new double[] {c}, out, n);
                for (int i = 0; i < n; i++) {
                    assertSameBits(Scalar.apply(op, new double[] {VALUES[i], c}), out[i], op + "(" + VALUES[i] + ", "
                            + c + ")");
                }
                ElementwiseKernels.binary(op, new double[] {c}, VALUES, out, n);
                for (int i = 0; i < n; i++) {
                    assertSameBits(Scalar.apply(op, new double[] {c, VALUES[i]}), out[i], op + "(" + c + ", "
                            + VALUES[i] + ")");
                }
            }
        }
    }

    @Test
    void theConditionalKernelComputesWhatConstantFoldingComputes() {
        double[] conditions = {Double.NaN, 0.0, -0.0, 1.0, Double.MIN_VALUE, -3.0};
        int n = conditions.length * VALUES.length * VALUES.length;
        double[] c = new double[n];
        double[] a = new double[n];
        double[] b = new double[n];
        int k = 0;
        for (double ci : conditions) {
            for (double ai : VALUES) {
                for (double bi : VALUES) {
                    c[k] = ci;
                    a[k] = ai;
                    b[k++] = bi;
                }
            }
        }
        double[] out = new double[n];
        ElementwiseKernels.ifThen(c, a, b, out, n);
        for (int i = 0; i < n; i++) {
            assertSameBits(Scalar.ifThen(c[i], a[i], b[i]), out[i], c[i] + " ? " + a[i] + " : " + b[i]);
        }
        ElementwiseKernels.ifThen(c, a, new double[] {7.0}, out, n); // the mixed loop
        for (int i = 0; i < n; i++) {
            assertSameBits(Scalar.ifThen(c[i], a[i], 7.0), out[i], c[i] + " ? " + a[i] + " : 7");
        }
    }
}
