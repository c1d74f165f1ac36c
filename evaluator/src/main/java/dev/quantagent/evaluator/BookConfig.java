package dev.quantagent.evaluator;

/**
 * How the portfolios a factor drives are run, beside the quantile long-short of {@link SplitStatistics}.
 *
 * @param topk           names held by the TopK-dropout book; 0 for a tenth of the assets (at least 1, at most 50, as
 *                       Qlib's 50 of the CSI 300)
 * @param dropout        names the TopK-dropout book replaces at most per rebalance; 0 for a tenth of topk (at least
 *                       1, Qlib's 5 of 50)
 * @param rebalanceEvery bars between rebalances of the TopK-dropout and buffered books (1: every bar, as Qlib); 0 for
 *                       the one of {@link #HOLDING_PERIODS} whose book does best after costs on train (information
 *                       ratio for TopK, Sharpe for the buffered book), a choice that never reads valid or test
 * @param buffer         quantiles a name of the buffered long-short may fall beyond its entry quantile before it is
 *                       sold: with 5 quantiles and a buffer of 1, a long enters in the top fifth and leaves below the
 *                       top two fifths
 */
public record BookConfig(int topk, int dropout, int rebalanceEvery, int buffer) {

    /** Holding periods of the quantile long-short shown beside each other (bars). */
    public static final int[] HOLDING_PERIODS = {1, 5, 10, 20};

    /** Sizes from the universe, the rebalance chosen on train, one quantile of buffer. */
    public static final BookConfig DEFAULT = new BookConfig(0, 0, 0, 1);

    public BookConfig {
        if (topk < 0 || dropout < 0) {
            throw new IllegalArgumentException("topk and dropout must not be negative (0: from the universe's size)");
        }
        if (topk > 0 && dropout > topk) {
            throw new IllegalArgumentException("the dropout (" + dropout + ") cannot exceed topk (" + topk + ")");
        }
        if (rebalanceEvery < 0) {
            throw new IllegalArgumentException("rebalance every must be at least 1 bar (0: chosen on train), got "
                    + rebalanceEvery);
        }
        if (buffer < 0) {
            throw new IllegalArgumentException("the buffer must not be negative, got " + buffer);
        }
    }

    /** The names held for a universe of {@code assets}. */
    public int topkFor(int assets) {
        int k = topk > 0 ? topk : Math.max(1, Math.min(50, (int) Math.round(assets / 10.0)));
        return Math.min(k, Math.max(1, assets));
    }

    /** The names replaced per rebalance for a universe of {@code assets}. */
    public int dropoutFor(int assets) {
        int k = topkFor(assets);
        return Math.min(k, dropout > 0 ? dropout : Math.max(1, (int) Math.round(k / 10.0)));
    }
}
