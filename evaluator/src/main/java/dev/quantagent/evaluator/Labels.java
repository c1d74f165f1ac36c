package dev.quantagent.evaluator;

import dev.quantagent.sandbox.Panel;

/**
 * Forward-return labels. A factor known at the close of day t is traded at the close of t + delay and held for
 * horizon periods: {@code r_t = close[t + delay + horizon] / close[t + delay] - 1}. With the default delay of 1 the
 * factor never earns the return of the bar it was computed on. Missing or non-positive prices give NaN.
 */
public final class Labels {

    private Labels() {
    }

    /** Forward returns, asset-major like the panel. */
    public static double[] forwardReturns(Panel panel, int horizon, int delay) {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
        }
        if (delay < 0 || delay > 1) {
            throw new IllegalArgumentException("delay must be 0 or 1, got " + delay);
        }
        double[] close = panel.column("close");
        int dates = panel.dateCount();
        double[] out = new double[close.length];
        for (int a = 0; a < panel.assetCount(); a++) {
            int b = a * dates;
            for (int t = 0; t < dates; t++) {
                int entry = t + delay;
                int exit = entry + horizon;
                if (exit >= dates) {
                    out[b + t] = Double.NaN;
                    continue;
                }
                double p0 = close[b + entry];
                double p1 = close[b + exit];
                out[b + t] = p0 > 0 && p1 > 0 ? p1 / p0 - 1.0 : Double.NaN;
            }
        }
        return out;
    }
}
