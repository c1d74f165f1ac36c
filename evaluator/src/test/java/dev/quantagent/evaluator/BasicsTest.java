package dev.quantagent.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void theNeweyWestTStatisticWeighsTheFirstLagByHalfWithOneLag() {
        // 1, 2, 3, 6: mean 3, centred -2, -1, 0, 3; S0 = 14, S1 = (-1)(-2) + 0 + 0 = 2; long-run 14 + 2 * 0.5 * 2 = 16;
        // variance of the mean 16 / (4 * 3); t = 3 / sqrt(4 / 3)
        double[] ic = {1, 2, 3, 6};
        assertEquals(3 / Math.sqrt(4.0 / 3), Evaluation.neweyWestTstat(ic, 4, 3, 1), 1e-15);
    }

    @Test
    void theNeweyWestTStatisticWithoutLagsIsThePlainOne() {
        // sample variance 14 / 3, standard error sqrt(14 / 3 / 4)
        double[] ic = {1, 2, 3, 6};
        assertEquals(3 / Math.sqrt(14.0 / 12), Evaluation.neweyWestTstat(ic, 4, 3, 0), 1e-15);
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
    void aLabelLongerThanASplitIsRefusedNamingTheSplitItEmpties() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Splits.byFraction(756, 0.6, 0.2, 200));
        assertTrue(e.getMessage().startsWith("labels 200 periods long (delay + horizon) leave no date of valid (151 "
                + "dates) to evaluate"), e.getMessage());
        assertTrue(Splits.byFraction(756, 0.6, 0.2, 150).to(Split.VALID) > Splits.byFraction(756, 0.6, 0.2, 150)
                .from(Split.VALID), "a purge shorter than valid leaves dates");
        e = assertThrows(IllegalArgumentException.class, () -> Splits.byFraction(756, 0.6, 0.2, 501));
        assertTrue(e.getMessage().contains("no date of train (454 dates)"), e.getMessage());
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

    /** Stamps of {@code weeks} weeks from Monday 2020-01-06 00:00 UTC shifted by {@code offset} seconds: on the
     * given days of the week (1 = Monday), at the given hours of the day. */
    private static long[] stamps(int weeks, int[] days, int[] hours, long offset) {
        long mon = 1_578_268_800L;
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (int w = 0; w < weeks; w++) {
            for (int d : days) {
                for (int h : hours) {
                    out.add(mon + offset + ((w * 7L + d - 1) * 24 + h) * 3600);
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static final int[] WEEKDAYS = {1, 2, 3, 4, 5};
    private static final int[] EVERY_DAY = {1, 2, 3, 4, 5, 6, 7};

    @Test
    void weekdayDailyStampsWrittenEastOfUtcAreStillTradingDays() {
        // Monday 00:00 +09:00 is Sunday 15:00 UTC: the bars fall on Sunday to Thursday in UTC
        assertEquals(252, Frequency.infer(stamps(8, WEEKDAYS, new int[] {0}, -9 * 3600)).periodsPerYear());
        assertEquals(365, Frequency.infer(stamps(8, EVERY_DAY, new int[] {0}, -9 * 3600)).periodsPerYear());
    }

    @Test
    void hourlyBarsOfAStockSessionAreAnnualisedByTheSessionsBars() {
        // 7 hourly bars a weekday (14:00 to 20:00 UTC): 7 x 252, not 24 x 365
        long[] session = stamps(6, WEEKDAYS, new int[] {14, 15, 16, 17, 18, 19, 20}, 0);
        assertEquals(7 * 252, Frequency.infer(session).periodsPerYear(), 1e-9);
        assertEquals(24 * 252, Frequency.infer(stamps(6, WEEKDAYS, java.util.stream.IntStream.range(0, 24).toArray(),
                0)).periodsPerYear(), 1e-9); // around the clock on weekdays, as currencies trade
    }

    @Test
    void hourlyCryptoWithMissingBarsIsStillAnnualisedWith8760() {
        long[] all = stamps(6, EVERY_DAY, java.util.stream.IntStream.range(0, 24).toArray(), 0);
        long[] gappy = java.util.stream.IntStream.range(0, all.length).filter(i -> i % 9 != 4).mapToLong(i -> all[i])
                .toArray();
        assertEquals(8760, Frequency.infer(gappy).periodsPerYear(), 1e-9);
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
