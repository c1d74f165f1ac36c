package dev.quantagent.assistant;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A backtest's equity curve in time order, with its period returns: what the metrics, the market alignment and the
 * charts all read. Sorted once by {@link #of}; out-of-order rows are kept in the {@link Backtest} and reported as a
 * finding.
 *
 * @param time    the times, ascending (of equal times the later row stays later)
 * @param equity  the equity at each time
 * @param returns {@code equity[i] / equity[i − 1] − 1}, n − 1 of them
 */
public record Curve(long[] time, double[] equity, double[] returns) {

    /** The backtest's curve sorted by time. */
    static Curve of(Backtest bt) {
        Integer[] order = order(bt.equityTime());
        long[] time = new long[order.length];
        double[] equity = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            time[i] = bt.equityTime()[order[i]];
            equity[i] = bt.equity()[order[i]];
        }
        return new Curve(time, equity, Metrics.returns(equity));
    }

    /** The indices of {@code t} in ascending order of time; stable, so of equal times the later row stays later. */
    static Integer[] order(long[] t) {
        Integer[] o = new Integer[t.length];
        for (int i = 0; i < o.length; i++) {
            o[i] = i;
        }
        Arrays.sort(o, Comparator.comparingLong(i -> t[i]));
        return o;
    }
}
