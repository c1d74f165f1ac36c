package dev.quantagent.sandbox;

/**
 * Percentile ranks of one cross-section (one date's values), the same ranking the language's {@code rank} uses:
 * average ranks of ties divided by the count of present values, in (0, 1], NaN kept. For the evaluator's rank IC,
 * which ranks factor and label per date. Holds scratch space: one per thread.
 */
public final class CrossSectionalRanks {

    private final CrossSectionKernels.Scratch scratch;
    private final int capacity;

    /** @param capacity the largest cross-section to rank (number of assets) */
    public CrossSectionalRanks(int capacity) {
        this.capacity = capacity;
        this.scratch = new CrossSectionKernels.Scratch(capacity);
    }

    /** Replaces values[from .. from + length) by their percentile ranks; NaN stays NaN. */
    public void rankInPlace(double[] values, int from, int length) {
        if (length > capacity) {
            throw new IllegalArgumentException("cross-section of " + length + " exceeds capacity " + capacity);
        }
        CrossSectionKernels.rankRow(values, from, length, scratch);
    }

    /**
     * Ranks as {@link #rankInPlace} and writes into {@code less}, at the same positions, the number of present values
     * strictly less than each present value (its 0-based position in sorted order, the first of its ties).
     */
    public void rankInPlace(double[] values, int from, int length, double[] less) {
        if (length > capacity) {
            throw new IllegalArgumentException("cross-section of " + length + " exceeds capacity " + capacity);
        }
        CrossSectionKernels.rankRow(values, from, length, scratch, less);
    }

    /** Transposes a rows x cols row-major matrix into out (cols x rows). Panels are asset-major; per-date work wants
     * date-major rows. */
    public static void transpose(double[] in, double[] out, int rows, int cols) {
        CrossSectionKernels.transpose(in, out, rows, cols);
    }
}
