package dev.quantagent.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quantagent.sandbox.Panel;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/** Labels, splits, frequency and portfolio metrics on hand-worked examples. */
class BasicsTest {

    private static final double NaN = Double.NaN;

    private static Panel closes(long step, double... close) {
        long[] d = new long[close.length];
        for (int t = 0; t < d.length; t++) {
            d[t] = 1_577_836_800L + t * step; // from 2020-01-01
        }
        return Panel.builder(d, new String[] {"A"}).field("close", close).build();
    }

    @Test
    void theDefaultLabelTradesAtTheNextCloseAndHoldsOnePeriod() {
        // factor at t, trade at close[t+1], exit at close[t+2]
        assertArrayEquals(new double[] {0.5, 0.0, NaN, NaN}, Labels.forwardReturns(closes(86400, 100, 100, 150,
                150), 1, 1), 1e-15);
    }

    @Test
    void delayZeroAndALongerHorizonAreHonoured() {
        assertArrayEquals(new double[] {0.5, 0.5, NaN, NaN}, Labels.forwardReturns(closes(86400, 100, 100, 150,
                150), 2, 0), 1e-15);
    }

    @Test
    void splitsAreChronologicalAndPurgeLabelsThatReachIntoTheNextSplit() {
        Splits s = Splits.byFraction(100, 0.6, 0.2, 2);
        assertEquals(0, s.from(Split.TRAIN));
        assertEquals(58, s.to(Split.TRAIN));
        assertEquals(60, s.from(Split.VALID));
        assertEquals(78, s.to(Split.VALID));
        assertEquals(80, s.from(Split.TEST));
        assertEquals(100, s.to(Split.TEST));
    }

    @Test
    void splitsCanBeGivenAsDates() {
        Panel p = closes(86400, new double[40]);
        Splits s = Splits.byDate(p, LocalDate.of(2020, 1, 11), LocalDate.of(2020, 1, 21), 2);
        assertEquals(10, s.from(Split.VALID));
        assertEquals(20, s.from(Split.TEST));
    }

    @Test
    void splitsThatLeaveASplitEmptyAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Splits.byFraction(100, 0.9, 0.1, 2));
    }

    @Test
    void weekdayDailyDataIsAnnualisedWith252AndCryptoDailyWith365() {
        // 2020-01-06 is a Monday: five weekdays
        long mon = 1_578_268_800L;
        Panel weekdays = Panel.builder(new long[] {mon, mon + 86400, mon + 2 * 86400, mon + 3 * 86400},
                new String[] {"A"}).field("close", new double[4]).build();
        assertEquals(252, Frequency.infer(weekdays).periodsPerYear());
        assertEquals(365, Frequency.infer(closes(86400, new double[10])).periodsPerYear());
    }

    @Test
    void hourlyDataIsAnnualisedWith8760() {
        assertEquals(8760, Frequency.infer(closes(3600, new double[10])).periodsPerYear(), 1e-9);
    }

    @Test
    void portfolioMetricsFollowTheEmpyricalDefinitions() {
        double[] r = {0.10, -0.05, 0.02, -0.10, 0.04};
        PortfolioMetrics m = PortfolioMetrics.of(r, 0, r.length, 252);
        // worked separately: mean 0.002, sample sd sqrt(0.0243 / 4) = 0.0779423
        double mean = 0.002;
        double sd = Math.sqrt((0.098 * 0.098 + 0.052 * 0.052 + 0.018 * 0.018 + 0.102 * 0.102 + 0.038 * 0.038) / 4);
        assertEquals(mean / sd * Math.sqrt(252), m.sharpe(), 1e-12);
        assertEquals(sd * Math.sqrt(252), m.annualVolatility(), 1e-12);
        double growth = 1.10 * 0.95 * 1.02 * 0.90 * 1.04;
        assertEquals(Math.pow(growth, 252.0 / 5) - 1, m.annualReturn(), 1e-9);
        // equity 1.10, 1.045, 1.0659, 0.95931, 0.9976824: peak 1.10, trough 0.95931
        assertEquals(0.95931 / 1.10 - 1, m.maxDrawdown(), 1e-12);
        assertEquals(0.6, m.winRate(), 1e-15);
        assertEquals(0.16 / 0.15, m.profitFactor(), 1e-12);
        double downside = Math.sqrt((0.05 * 0.05 + 0.10 * 0.10) / 5) * Math.sqrt(252);
        assertEquals(mean * 252 / downside, m.sortino(), 1e-12);
        assertEquals(m.annualReturn() / -m.maxDrawdown(), m.calmar(), 1e-12);
    }

    /** Average-tie percentile ranks of v (NaN stays NaN), counted the slow way: less + (equal + 1) / 2 over m. */
    private static double[] percentiles(double[] v) {
        int m = 0;
        for (double x : v) {
            m += x == x ? 1 : 0;
        }
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != v[i]) {
                r[i] = Double.NaN;
                continue;
            }
            int less = 0;
            int equal = 0;
            for (double x : v) {
                less += x < v[i] ? 1 : 0;
                equal += x == v[i] ? 1 : 0;
            }
            r[i] = (less + (equal + 1) / 2.0) / m;
        }
        return r;
    }

    @Test
    void theOnePassCorrelationOfRanksEqualsTheTwoPassOneWithTiesAndGaps() {
        java.util.Random random = new java.util.Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + random.nextInt(60);
            double[] a = new double[n];
            double[] b = new double[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                boolean missing = random.nextInt(5) == 0;
                a[i] = missing ? Double.NaN : random.nextInt(8); // few distinct values: many ties
                b[i] = missing ? Double.NaN : random.nextInt(8) + 0.5 * a[i];
                m += missing ? 0 : 1;
            }
            double[] ra = percentiles(a);
            double[] rb = percentiles(b);
            double twoPass = Evaluation.pearson(ra, 0, rb, 0, n);
            double onePass = Evaluation.pearsonOfRanks(ra, 0, rb, 0, n, m);
            if (twoPass != twoPass) {
                assertEquals(Double.NaN, onePass, "trial " + trial);
            } else {
                assertEquals(twoPass, onePass, 1e-14, "trial " + trial);
            }
        }
    }

    @Test
    void aRowOfTiedRanksHasNoCorrelation() {
        for (int m = 2; m < 300; m++) {
            double[] tied = new double[m];
            double[] other = new double[m];
            for (int i = 0; i < m; i++) {
                tied[i] = (m + 1) / 2.0 / m; // as the ranker writes m ties
                other[i] = (i + 1.0) / m;
            }
            assertEquals(Double.NaN, Evaluation.pearsonOfRanks(tied, 0, other, 0, m, m), "m = " + m);
        }
    }
}
