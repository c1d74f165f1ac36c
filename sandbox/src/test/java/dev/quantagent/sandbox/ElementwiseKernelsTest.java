package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * An element-wise kernel has a loop for series and loops for a constant operand, and constant folding runs it on
 * one-cell inputs. These tests hold every loop of every element-wise operator of the registry to the folded value,
 * bit for bit, on every combination of awkward values: folding computes what evaluation computes, whichever operands
 * are constants. (Their values are held to the reference by OperatorConformanceTest.)
 */
class ElementwiseKernelsTest {

    private static final double[] VALUES = {Double.NaN, 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, 0.1,
        Math.nextUp(0.1), 0.5, 1.0, -1.0, 2.0, -2.5, 3.7, 1e10, 1e200, -1e200, Double.MAX_VALUE, -Double.MAX_VALUE};

    private static final double[] CONSTANTS = {0.0, -0.0, 1.0, 2.0, 3.0, 0.5, -1.0, 1e-300, Double.NaN};

    private static List<Op> elementwise() {
        return Operators.all().stream().filter(op -> op.category() == Op.Category.ARITHMETIC
                || op.category() == Op.Category.LOGIC).toList();
    }

    private static double[] run(Op op, double[][] operands, int n) {
        double[] out = new double[n];
        op.kernel().run(new Kernel.Inputs(operands, new double[0], n, 1, null), out, 0, n, null, Deadline.unlimited());
        return out;
    }

    /** The value constant folding gives: the kernel on one cell. */
    private static double folded(Op op, double... operands) {
        double[][] cells = new double[operands.length][];
        for (int i = 0; i < operands.length; i++) {
            cells[i] = new double[] {operands[i]};
        }
        return run(op, cells, 1)[0];
    }

    /** Every combination of VALUES over k operands, operand i in grid[i]. */
    private static double[][] grid(int k) {
        int n = (int) Math.pow(VALUES.length, k);
        double[][] grid = new double[k][n];
        for (int cell = 0; cell < n; cell++) {
            int rest = cell;
            for (int i = 0; i < k; i++) {
                grid[i][cell] = VALUES[rest % VALUES.length];
                rest /= VALUES.length;
            }
        }
        return grid;
    }

    private static void assertSameBits(double expected, double actual, String what) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> what + ": expected " + expected + " but was " + actual);
    }

    private static String call(Op op, double[] operands) {
        StringBuilder sb = new StringBuilder(op.name()).append('(');
        for (int i = 0; i < operands.length; i++) {
            sb.append(i > 0 ? ", " : "").append(operands[i]);
        }
        return sb.append(')').toString();
    }

    @Test
    void theRegistryHasElementwiseOperatorsOfOneTwoAndThreeOperands() {
        List<Integer> arities = elementwise().stream().map(op -> op.params().size()).distinct().sorted().toList();
        assertEquals(List.of(1, 2, 3), arities);
    }

    @Test
    void everyElementwiseLoopOverSeriesComputesWhatConstantFoldingComputes() {
        for (Op op : elementwise()) {
            int k = op.params().size();
            double[][] grid = grid(k);
            int n = grid[0].length;
            double[] out = run(op, grid, n);
            for (int cell = 0; cell < n; cell++) {
                double[] operands = new double[k];
                for (int i = 0; i < k; i++) {
                    operands[i] = grid[i][cell];
                }
                assertSameBits(folded(op, operands), out[cell], call(op, operands));
            }
        }
    }

    @Test
    void everyElementwiseLoopWithAConstantOperandComputesWhatConstantFoldingComputes() {
        int checked = 0;
        for (Op op : elementwise()) {
            int k = op.params().size();
            if (k == 1) {
                continue;
            }
            for (int at = 0; at < k; at++) {
                for (double c : CONSTANTS) {
                    double[][] others = grid(k - 1);
                    int n = others[0].length;
                    double[][] operands = new double[k][];
                    for (int i = 0, j = 0; i < k; i++) {
                        operands[i] = i == at ? new double[] {c} : others[j++];
                    }
                    double[] out = run(op, operands, n);
                    for (int cell = 0; cell < n; cell++) {
                        double[] values = new double[k];
                        for (int i = 0; i < k; i++) {
                            values[i] = operands[i].length == 1 ? c : operands[i][cell];
                        }
                        assertSameBits(folded(op, values), out[cell], call(op, values));
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 0);
    }
}
