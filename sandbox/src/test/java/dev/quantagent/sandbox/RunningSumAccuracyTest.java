package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;

import org.junit.jupiter.api.Test;

/**
 * Rolling kernels keep running sums; these series are the ones that defeat naive running sums on real data (found on
 * the S&P 500 panel: Alpha#66, #92, #50). Every expected value is computed exactly in BigDecimal from the window.
 */
class RunningSumAccuracyTest {

    private static final double NaN = Double.NaN;
    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);
    private static final MathContext EXACT = MathContext.DECIMAL128;

    private static double[] eval(String formula, double[] x, double[] y) {
        long[] dates = new long[x.length];
        for (int t = 0; t < dates.length; t++) {
            dates[t] = t * 86_400L;
        }
        Panel p = Panel.builder(dates, new String[] {"A"}).field("x", x).field("y", y).build();
        return SANDBOX.evaluator(p).evaluate(SANDBOX.parse(formula));
    }

    private static BigDecimal mean(double[] v, int from, int to) {
        BigDecimal s = BigDecimal.ZERO;
        for (int k = from; k <= to; k++) {
            s = s.add(new BigDecimal(v[k]));
        }
        return s.divide(BigDecimal.valueOf(to - from + 1), EXACT);
    }

    /** Sum of (x - mean x)(y - mean y) over the window, exactly. */
    private static BigDecimal comoment(double[] x, double[] y, int from, int to) {
        BigDecimal mx = mean(x, from, to);
        BigDecimal my = mean(y, from, to);
        BigDecimal s = BigDecimal.ZERO;
        for (int k = from; k <= to; k++) {
            s = s.add(new BigDecimal(x[k]).subtract(mx).multiply(new BigDecimal(y[k]).subtract(my)));
        }
        return s;
    }

    private static double correlation(double[] x, double[] y, int from, int to) {
        double cov = comoment(x, y, from, to).doubleValue();
        return cov / Math.sqrt(comoment(x, x, from, to).doubleValue() * comoment(y, y, from, to).doubleValue());
    }

    private static double[] spikeThenCalm(int n, int spikeAt) {
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = 3.0 + Math.sin(t * 0.7) + 0.01 * t;
        }
        x[spikeAt] = 6.8492244332927e13; // a ratio with a near-zero denominator, as in Alpha#66
        return x;
    }

    @Test
    void correlationAfterAHugeValueHasLeftTheWindowMatchesTheExactValue() {
        double[] x = spikeThenCalm(60, 12);
        double[] y = new double[60];
        for (int t = 0; t < 60; t++) {
            y[t] = 10.0 + Math.cos(t * 0.3);
        }
        double[] r = eval("correlation(x, y, 10)", x, y);
        for (int t = 22; t < 60; t++) {
            assertEquals(correlation(x, y, t - 9, t), r[t], 1e-12, "row " + t);
        }
    }

    @Test
    void correlationOfValuesThatBarelyMoveFarFromAnEarlierLevelIsExact() {
        // ranks of two stocks at the bottom of the cross-section: they sat at one level, then moved together by a
        // few parts in a thousand, so the window's spread is tiny next to its distance from the earlier level
        double[] x = {0.0020161, 0.0020161, 0.0020161, 0.0020161, 0.0020161, 0.0020161, 0.0020161, 0.0020161,
            0.0040323, 0.0040323, 0.0040323, 0.0040323, 0.0040323, 0.0040323, 0.0030242, 0.0030242};
        double[] y = {0.0344828, 0.0344828, 0.0365112, 0.0283976, 0.0283976, 0.0263692, 0.0263692, 0.0162272,
            0.0101420, 0.0060852, 0.0060852, 0.0060852, 0.0060852, 0.0060852, 0.0060729, 0.0060729};
        double[] r = eval("correlation(x, y, 7)", x, y);
        assertEquals(1.0, r[15], 1e-12); // two levels in x against two levels in y, aligned: a perfect line
        for (int t = 6; t < 16; t++) {
            if (!Double.isNaN(r[t])) {
                assertEquals(correlation(x, y, t - 6, t), r[t], 1e-12, "row " + t);
            }
        }
    }

    @Test
    void decayLinearAfterAHugeValueAndAMissingOneMatchesTheExactWeightedMean() {
        double[] x = spikeThenCalm(50, 12);
        x[14] = NaN; // the huge value leaves (row 23) while a missing value is in the window (rows 14 to 24)
        double[] r = eval("decay_linear(x, 11)", x, x);
        for (int t = 25; t < 50; t++) {
            BigDecimal w = BigDecimal.ZERO;
            for (int k = 1; k <= 11; k++) {
                w = w.add(new BigDecimal(x[t - 11 + k]).multiply(BigDecimal.valueOf(k)));
            }
            assertEquals(w.divide(BigDecimal.valueOf(66), EXACT).doubleValue(), r[t], 1e-12, "row " + t);
        }
    }

    @Test
    void stddevOfValuesThatBarelyMoveFarFromAnEarlierLevelIsExact() {
        double[] x = new double[40];
        for (int t = 0; t < 40; t++) {
            x[t] = t < 12 ? 250.0 + t : 1.0 + (t % 3) * 1e-6;
        }
        double[] r = eval("stddev(x, 10)", x, x);
        for (int t = 21; t < 40; t++) {
            double expected = Math.sqrt(comoment(x, x, t - 9, t).doubleValue() / 9);
            assertEquals(expected, r[t], 1e-12 * expected, "row " + t);
        }
    }
}
