package dev.quantagent.evaluator;

import java.util.Arrays;
import java.util.List;

/**
 * Market regimes from a market's period returns, one definition for {@code eval}'s regime table and the backtest
 * analysis: bull when the compounded return over the trailing {@code window} periods (this one included) is
 * positive, else bear; high volatility when the sample standard deviation of those returns is above the median over
 * the classified periods (the middle value; the upper one of an even count).
 */
public final class Regimes {

    /** The regimes, in the order of the indices {@link #classify} returns. */
    public static final List<String> NAMES = List.of("bull / low vol", "bull / high vol", "bear / low vol",
            "bear / high vol");

    /** Trailing periods that define a regime. */
    public static final int WINDOW = 20;

    private Regimes() {
    }

    /**
     * The regime of each period, an index into {@link #NAMES}: {@code (bear ? 2 : 0) + (high vol ? 1 : 0)}; −1 where
     * the trailing window is incomplete or holds an undefined (NaN) return.
     */
    public static int[] classify(double[] returns, int window) {
        if (window < 2) {
            throw new IllegalArgumentException("a regime window needs at least 2 periods, got " + window);
        }
        int n = returns.length;
        double[] trend = new double[n];
        double[] vol = new double[n];
        Arrays.fill(trend, Double.NaN);
        Arrays.fill(vol, Double.NaN);
        for (int t = window - 1; t < n; t++) {
            double logSum = 0;
            double sum = 0;
            boolean ok = true;
            for (int k = t - window + 1; k <= t; k++) {
                ok &= returns[k] == returns[k];
                logSum += Math.log1p(returns[k]);
                sum += returns[k];
            }
            if (!ok) {
                continue;
            }
            double mean = sum / window;
            double ss = 0;
            for (int k = t - window + 1; k <= t; k++) {
                ss += (returns[k] - mean) * (returns[k] - mean);
            }
            trend[t] = logSum;
            vol[t] = Math.sqrt(ss / (window - 1));
        }
        double[] known = Arrays.stream(vol).filter(v -> v == v).sorted().toArray();
        double median = known.length == 0 ? Double.NaN : known[known.length / 2];
        int[] regime = new int[n];
        for (int t = 0; t < n; t++) {
            regime[t] = trend[t] != trend[t] ? -1 : (trend[t] > 0 ? 0 : 2) + (vol[t] > median ? 1 : 0);
        }
        return regime;
    }
}
