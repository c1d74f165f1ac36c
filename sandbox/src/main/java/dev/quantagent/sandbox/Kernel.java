package dev.quantagent.sandbox;

/**
 * How an operator is computed: the loop its registry entry carries, which {@link FactorEvaluator} runs once per node
 * (never per cell). Element-wise kernels also fold constants: the resolver runs them on one-cell inputs, so a folded
 * constant is exactly what evaluation would compute.
 */
@FunctionalInterface
interface Kernel {

    /**
     * Computes part of a node's values into {@code out}: the cells [0, to) for element-wise operators (run once,
     * from 0), the assets [from, to) for time-series operators, the dates [from, to) for cross-sectional ones, and
     * everything for group operators (run on one range). Ranges of one node may run on different threads, each with
     * a scratch of its own.
     */
    void run(Inputs in, double[] out, int from, int to, Scratch scratch, Deadline dl);

    /**
     * What a kernel reads of its node.
     *
     * @param series  the series operands in argument order (element-wise: a constant is a one-element array;
     *                otherwise spread over the panel)
     * @param numbers the constant operands (windows, lags, numbers) in argument order
     * @param members the assets of each group, for an operator taking a grouping; otherwise null
     */
    record Inputs(double[][] series, double[] numbers, int dates, int assets, int[][] members) {

        double[] x() {
            return series[0];
        }

        double[] series(int i) {
            return series[i];
        }

        /** The first constant operand: the window or lag of a time-series operator. */
        int window() {
            return (int) numbers[0];
        }

        double number(int i) {
            return numbers[i];
        }
    }

    /** Working memory of one thread, each part made when first asked for and kept for the next node. */
    final class Scratch {
        private final int dates;
        private final int assets;
        private final int windowLength;
        private TimeSeriesKernels.ExtremeScratch extremes;
        private double[] sorted;
        private CrossSectionKernels.Scratch cross;

        /** @param windowLength the longest sorted window a time-series kernel may keep */
        Scratch(int dates, int assets, int windowLength) {
            this.dates = dates;
            this.assets = assets;
            this.windowLength = windowLength;
        }

        TimeSeriesKernels.ExtremeScratch extremes() {
            if (extremes == null) {
                extremes = new TimeSeriesKernels.ExtremeScratch(dates);
            }
            return extremes;
        }

        double[] sorted() {
            if (sorted == null) {
                sorted = new double[windowLength];
            }
            return sorted;
        }

        CrossSectionKernels.Scratch cross() {
            if (cross == null) {
                cross = new CrossSectionKernels.Scratch(assets);
            }
            return cross;
        }
    }
}
