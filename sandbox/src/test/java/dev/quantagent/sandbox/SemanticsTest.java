package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-worked examples that pin the documented semantics, one behaviour per test. */
class SemanticsTest {

    private static final double NaN = Double.NaN;
    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    private static double[] eval(String formula, Panel panel) {
        return SANDBOX.evaluator(panel).evaluate(SANDBOX.parse(formula));
    }

    private static double[] series(String formula, double... x) {
        return eval(formula, TestPanels.of("x", x));
    }

    private static void assertSeries(double[] expected, double[] actual) {
        assertArrayEquals(expected, actual, 1e-12);
    }

    @Test
    void windowsCoverTodayAndTheRowsBeforeWithoutPartialWarmUp() {
        assertSeries(new double[] {NaN, NaN, 6, 9, 12}, series("ts_sum(x, 3)", 1, 2, 3, 4, 5));
    }

    @Test
    void aMissingValueMakesEveryWindowContainingItMissing() {
        assertSeries(new double[] {NaN, 3, NaN, NaN, 9}, series("sum(x, 2)", 1, 2, NaN, 4, 5));
    }

    @Test
    void fractionalWindowsAreFloored() {
        assertSeries(series("ts_mean(x, 2)", 1, 4, 9, 16), series("ts_mean(x, 2.9)", 1, 4, 9, 16));
    }

    @Test
    void stddevIsTheSampleStandardDeviation() {
        // values 2, 4, 4, 4, 5, 5, 7, 9: sum of squared deviations 32, n - 1 = 7
        double[] r = series("stddev(x, 8)", 2, 4, 4, 4, 5, 5, 7, 9);
        assertEquals(Math.sqrt(32.0 / 7), r[7], 1e-15);
    }

    @Test
    void varianceOfAConstantWindowIsExactlyZero() {
        double[] r = series("Var(x, 3)", 0.1, 0.1, 0.1, 0.7);
        assertEquals(0.0, r[2]);
    }

    @Test
    void correlationIsMissingWhenEitherWindowIsConstant() {
        Panel p = Panel.builder(new long[] {0, 86400, 172800}, new String[] {"A"})
                .field("x", new double[] {1, 2, 3}).field("y", new double[] {5, 5, 5}).build();
        assertTrue(Double.isNaN(eval("correlation(x, y, 3)", p)[2]));
    }

    @Test
    void shortWindowCovarianceIsZeroBesideAConstantSeriesAndMissingBesideAMissingValue() {
        Panel p = Panel.builder(new long[] {0, 86400, 172800, 259200, 345600}, new String[] {"A"})
                .field("x", new double[] {2, 2, 2, 1, NaN}).field("y", new double[] {1, 5, 3, 3, 4}).build();
        // rows 0..2: x constant; rows 1..3: means 5/3 and 11/3, sum of products (1/3)(4/3) + (1/3)(-2/3)
        // + (-2/3)(-2/3) = 6/9, over d - 1 = 2
        assertSeries(new double[] {NaN, NaN, 0.0, 1.0 / 3, NaN}, eval("covariance(x, y, 3)", p));
    }

    @Test
    void shortWindowCorrelationMatchesAHandWorkedWindow() {
        Panel p = Panel.builder(new long[] {0, 86400, 172800}, new String[] {"A"})
                .field("x", new double[] {1, 2, 4}).field("y", new double[] {3, 1, 2}).build();
        // centred x -4/3, -1/3, 5/3 and y 1, -1, 0: sum of products -4/3 + 1/3 + 0 = -1, of squares 42/9 and 2
        assertEquals(-1.0 / Math.sqrt(42.0 / 9 * 2), eval("correlation(x, y, 3)", p)[2], 1e-15);
    }

    @Test
    void correlationOfAPerfectLineIsOne() {
        Panel p = Panel.builder(new long[] {0, 86400, 172800, 259200}, new String[] {"A"})
                .field("x", new double[] {1, 2, 4, 8}).field("y", new double[] {3, 5, 9, 17}).build();
        assertEquals(1.0, eval("Corr(x, y, 4)", p)[3], 1e-15);
    }

    @Test
    void tsRankIsTodaysPercentileAmongTheWindowWithTiesAveraged() {
        // window 3, 1, 3: today's 3 ties with the oldest for positions 2 and 3 -> 2.5 / 3
        assertEquals(2.5 / 3, series("ts_rank(x, 3)", 3, 1, 3)[2], 1e-15);
        assertEquals(1.0, series("ts_rank(x, 3)", 1, 2, 3)[2], 1e-15);
        assertEquals(1.0 / 3, series("ts_rank(x, 3)", 3, 2, 1)[2], 1e-15);
    }

    @Test
    void tsRankTellsApartTheSmallestAndLargestDoublesAndTiesZeroWithNegativeZero() {
        double tiny = Double.MIN_VALUE;
        // window -0.0, 0.0, tiny, 2 tiny, -MAX, MAX, 0.0: today's 0.0 ties with -0.0 and 0.0 and beats -MAX,
        // so less = 1 and equal = 3: (1 + (3 + 1) / 2) / 7
        double[] x = {-0.0, 0.0, tiny, 2 * tiny, -Double.MAX_VALUE, Double.MAX_VALUE, 0.0};
        assertEquals(3.0 / 7, series("ts_rank(x, 7)", x)[6], 0.0);
        // values one ulp apart: window 2 tiny, tiny, tiny -> today ties with one and beats none: (0 + (2 + 1) / 2) / 3
        assertEquals(0.5, series("ts_rank(x, 3)", 2 * tiny, tiny, tiny)[2], 0.0);
        assertEquals(1.0 / 5, series("ts_rank(x, 5)", x)[4], 0.0);
    }

    @Test
    void aPanelRefusesAnInfiniteValueAndSaysWhere() {
        Panel.Builder b = Panel.builder(new long[] {0, 86400}, new String[] {"A", "B"});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.field("close", new double[] {1, 2, 3, Double.NEGATIVE_INFINITY}));
        assertTrue(e.getMessage().contains("'close' is infinite for B at date index 1 (1970-01-02T00:00:00Z)"),
                e.getMessage());
    }

    @Test
    void tsRankIsMissingWheneverTheWindowHoldsAMissingValue() {
        assertSeries(new double[] {NaN, NaN, NaN, NaN, NaN, 1.0}, series("ts_rank(x, 3)", 1, 2, NaN, 3, 4, 5));
    }

    @Test
    void argmaxCountsFromTheOldestRowAndTiesGoToTheOldest() {
        assertEquals(3.0, series("ts_argmax(x, 3)", 1, 2, 5)[2]);
        assertEquals(1.0, series("ts_argmax(x, 3)", 5, 2, 5)[2]);
        assertEquals(2.0, series("IdxMin(x, 3)", 5, 1, 1)[2]);
    }

    @Test
    void rollingMinAndMaxOrderNegativeZeroBelowZeroAsMathMinAndMaxDo() {
        double[] min = series("ts_min(x, 2)", 0.0, -0.0, 0.0);
        double[] max = series("ts_max(x, 2)", -0.0, 0.0, -0.0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(min[1]));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(min[2]));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(max[1]));
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(max[2]));
    }

    @Test
    void argmaxAndArgminTakeNegativeZeroAndZeroAsATieThatTheOldestRowWins() {
        assertSeries(new double[] {NaN, 1, 1}, series("ts_argmax(x, 2)", -0.0, 0.0, -0.0));
        assertSeries(new double[] {NaN, 1, 1}, series("ts_argmin(x, 2)", 0.0, -0.0, 0.0));
    }

    @Test
    void rollingExtremesOfNegativeValuesAndTheirPositions() {
        // windows of 3 over -1, -5, -2, -7, -3: blocks of 3 rows split every window but the first
        assertSeries(new double[] {NaN, NaN, -5, -7, -7}, series("ts_min(x, 3)", -1, -5, -2, -7, -3));
        assertSeries(new double[] {NaN, NaN, -1, -2, -2}, series("ts_max(x, 3)", -1, -5, -2, -7, -3));
        assertSeries(new double[] {NaN, NaN, 2, 3, 2}, series("ts_argmin(x, 3)", -1, -5, -2, -7, -3));
        assertSeries(new double[] {NaN, NaN, 1, 2, 1}, series("ts_argmax(x, 3)", -1, -5, -2, -7, -3));
    }

    @Test
    void aMissingValueLeavesTheRollingExtremesOfWindowsWithoutItAlone() {
        // the missing value shares a block (rows 3..5) with windows that do not contain it
        double[] x = {4, 8, 6, NaN, 2, 9, 1, 3};
        assertSeries(new double[] {NaN, 4, 6, NaN, NaN, 2, 1, 1}, series("ts_min(x, 2)", x));
        assertSeries(new double[] {NaN, NaN, 8, NaN, NaN, NaN, 9, 9}, series("ts_max(x, 3)", x));
        assertSeries(new double[] {NaN, NaN, 2, NaN, NaN, NaN, 2, 1}, series("ts_argmax(x, 3)", x));
        assertSeries(new double[] {NaN, NaN, 1, NaN, NaN, NaN, 3, 2}, series("ts_argmin(x, 3)", x));
    }

    @Test
    void decayLinearWeightsTodayHeaviest() {
        // weights 1, 2, 3 over oldest..today, normalised by 6
        assertEquals((1 * 10 + 2 * 20 + 3 * 60) / 6.0, series("decay_linear(x, 3)", 10, 20, 60)[2], 1e-12);
        assertEquals(series("decay_linear(x, 3)", 10, 20, 60)[2], series("WMA(x, 3)", 10, 20, 60)[2]);
    }

    @Test
    void delayShiftsAndDeltaDifferences() {
        assertSeries(new double[] {NaN, NaN, 1, 2}, series("delay(x, 2)", 1, 2, 3, 4));
        assertSeries(new double[] {NaN, NaN, 2, 2}, series("delta(x, 2)", 1, 2, 3, 4));
        assertSeries(new double[] {NaN, 1, 2, 3}, series("Ref($x, 1)", 1, 2, 3, 4));
    }

    @Test
    void rankIsACrossSectionalPercentileWithTiesAveragedAndMissingKept() {
        Panel p = TestPanels.of("x", new double[] {10}, new double[] {30}, new double[] {10}, new double[] {NaN},
                new double[] {20});
        // present: 10, 30, 10, 20 -> 10s share positions 1 and 2 (1.5), 20 is 3, 30 is 4; divided by 4
        assertSeries(new double[] {1.5 / 4, 1.0, 1.5 / 4, NaN, 0.75}, eval("rank(x)", p));
    }

    @Test
    void signIsMinusOneZeroOrOneEvenForTheTiniestValuesAndKeepsMissing() {
        double[] s = series("sign(x)", -3, -0.0, 0.0, 2, NaN, Double.MIN_VALUE, -Double.MIN_VALUE, 1e300);
        assertSeries(new double[] {-1, 0, 0, 1, NaN, 1, -1, 1}, s);
    }

    @Test
    void negativeZeroAndZeroTieInRank() {
        Panel p = TestPanels.of("x", new double[] {-0.0}, new double[] {0.0}, new double[] {1});
        assertSeries(new double[] {0.5, 0.5, 1.0}, eval("rank(x)", p));
    }

    @Test
    void ranksOfManyAssetsMatchCountingIncludingTies() {
        // 300 assets with heavy ties and values that differ only past float precision
        double[][] rows = new double[300][];
        for (int a = 0; a < 300; a++) {
            rows[a] = new double[] {(a % 17) * 0.25 + (a % 3 == 0 ? 1e-12 : 0), a % 5 == 0 ? Double.NaN : -a};
        }
        double[] r = eval("rank(x)", TestPanels.of("x", rows));
        for (int t = 0; t < 2; t++) {
            for (int a = 0; a < 300; a++) {
                double v = rows[a][t];
                if (Double.isNaN(v)) {
                    assertTrue(Double.isNaN(r[a * 2 + t]));
                    continue;
                }
                int less = 0;
                int equal = 0;
                int n = 0;
                for (double[] o : rows) {
                    if (!Double.isNaN(o[t])) {
                        n++;
                        less += o[t] < v ? 1 : 0;
                        equal += o[t] == v ? 1 : 0;
                    }
                }
                assertEquals((less + (equal + 1) / 2.0) / n, r[a * 2 + t], 1e-15);
            }
        }
    }

    @Test
    void scaleMakesAbsoluteValuesSumToTheScale() {
        Panel p = TestPanels.of("x", new double[] {1}, new double[] {-3});
        assertSeries(new double[] {0.5, -1.5}, eval("scale(x, 2)", p));
        assertSeries(new double[] {0.25, -0.75}, eval("scale(x)", p));
    }

    @Test
    void signedPowerKeepsTheSign() {
        assertSeries(new double[] {-4, 9, 0}, series("signedpower(x, 2)", -2, 3, 0));
    }

    @Test
    void divisionByZeroAndOverflowAreMissingNotInfinite() {
        assertSeries(new double[] {NaN, 0.5}, series("1 / x", 0, 2));
        assertSeries(new double[] {NaN, NaN}, series("x ^ 400", 1e10, -1e10));
        assertSeries(new double[] {NaN, NaN, 0}, series("log(x)", 0, -1, 1));
    }

    @Test
    void comparisonsAndLogicGiveOneZeroOrMissing() {
        assertSeries(new double[] {1, 0, NaN}, series("x > 1", 2, 0, NaN));
        assertSeries(new double[] {1, 0, NaN}, series("(x > 1) && (x < 3) || x == 7", 2, 0, NaN));
        assertSeries(new double[] {1, 0, NaN}, series("Or(Gt(x, 1), Eq(x, 7))", 2, 0, NaN));
    }

    private static Panel twoSeries(double[] x, double[] y) {
        long[] dates = new long[x.length];
        for (int t = 0; t < dates.length; t++) {
            dates[t] = 86_400L * t;
        }
        return Panel.builder(dates, new String[] {"A"}).field("x", x).field("y", y).build();
    }

    @Test
    void comparisonsTellApartNumbersOneUlpApartAndTakeSignedZerosAsEqual() {
        double a = 0.1;
        double next = Math.nextUp(a);
        Panel p = twoSeries(new double[] {a, next, -0.0, Double.MIN_VALUE}, new double[] {next, a, 0.0, 0.0});
        assertArrayEquals(new double[] {1, 0, 0, 0}, eval("x < y", p));
        assertArrayEquals(new double[] {0, 1, 0, 1}, eval("x > y", p));
        assertArrayEquals(new double[] {1, 0, 1, 0}, eval("x <= y", p));
        assertArrayEquals(new double[] {0, 1, 1, 1}, eval("x >= y", p));
        assertArrayEquals(new double[] {0, 0, 1, 0}, eval("x == y", p));
        assertArrayEquals(new double[] {1, 1, 0, 1}, eval("x != y", p));
    }

    @Test
    void comparisonsAtTheEndsOfTheDoubleRangeDoNotOverflow() {
        // y - x overflows to an infinity here; its sign must still decide
        Panel p = twoSeries(new double[] {-Double.MAX_VALUE, Double.MAX_VALUE}, new double[] {Double.MAX_VALUE,
            -Double.MAX_VALUE});
        assertArrayEquals(new double[] {1, 0}, eval("x < y", p));
        assertArrayEquals(new double[] {0, 1}, eval("x > y", p));
        assertArrayEquals(new double[] {0, 0}, eval("x == y", p));
    }

    @Test
    void logicTakesEveryNonZeroNumberAsTrueHoweverSmall() {
        double[] x = {Double.MIN_VALUE, -Double.MAX_VALUE, -0.0, NaN};
        assertArrayEquals(new double[] {1, 1, 0, NaN}, series("x && 1", x));
        assertArrayEquals(new double[] {1, 1, 0, NaN}, series("x || 0", x));
        assertArrayEquals(new double[] {0, 0, 1, NaN}, series("Not(x)", x));
    }

    @Test
    void theConditionalKeepsTheChosenValueBitForBitAndIgnoresTheOtherBranch() {
        Panel p = twoSeries(new double[] {1, 0, 1, 0}, new double[] {-0.0, NaN, 5e-324, -0.0});
        double[] r = eval("x ? y : 7", p);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(r[0]));
        assertEquals(7.0, r[1]); // the missing y of the branch not taken does not leak
        assertEquals(5e-324, r[2]);
        assertEquals(7.0, r[3]);
        double[] other = eval("x ? 7 : y", p);
        assertTrue(Double.isNaN(other[1]));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(other[3]));
    }

    @Test
    void powersOneAndTwoAreTheValueAndItsExactSquare() {
        double[] x = {0.1, -3, NaN, -0.0, 1e200};
        double[] one = series("x ^ 1", x);
        double[] two = series("Power(x, 2)", x);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(one[i]));
        }
        assertArrayEquals(new double[] {0.1 * 0.1, 9, NaN, 0, NaN}, two); // 1e400 overflows: missing
    }

    @Test
    void theConditionalIsMissingWhereItsConditionIs() {
        assertSeries(new double[] {10, -1, NaN}, series("x > 0 ? 10 : -1", 1, -1, NaN));
        assertSeries(new double[] {10, -1, NaN}, series("If(x > 0, 10, -1)", 1, -1, NaN));
    }

    @Test
    void minAndMaxWithANumberAreTimeSeriesAndWithTwoSeriesElementWise() {
        assertSeries(new double[] {NaN, 3, 2}, series("max(x, 2)", 3, 1, 2));
        assertSeries(new double[] {3, 2, 2}, series("max(x, x - x + 2)", 3, 1, 2));
        assertSeries(new double[] {3, 2, 2}, series("Greater(x, 2)", 3, 1, 2));
    }

    @Test
    void qlibRankWithAWindowIsATimeSeriesRank() {
        assertSeries(series("ts_rank(x, 3)", 4, 1, 3, 2), series("Rank($x, 3)", 4, 1, 3, 2));
    }

    @Test
    void returnsAreCloseOverPreviousCloseMinusOne() {
        double[] r = eval("returns", TestPanels.of("close", new double[] {100, 110, 99}));
        assertSeries(new double[] {NaN, 0.1, -0.1}, r);
    }

    @Test
    void vwapFallsBackToTheTypicalPriceAndAdvAveragesDollarVolume() {
        long[] d = {0, 86400};
        Panel p = Panel.builder(d, new String[] {"A"}).field("high", new double[] {12, 13})
                .field("low", new double[] {9, 10}).field("close", new double[] {9, 10})
                .field("volume", new double[] {100, 300}).build();
        assertSeries(new double[] {10, 11}, eval("vwap", p));
        assertSeries(new double[] {NaN, (10 * 100 + 11 * 300) / 2.0}, eval("adv2", p));
    }

    @Test
    void theFieldsOfAPanelIncludeVwapOnlyWhenHighLowAndCloseExist() {
        long[] d = {0};
        Panel noClose = Panel.builder(d, new String[] {"A"}).field("high", new double[] {2})
                .field("low", new double[] {1}).build();
        assertEquals(java.util.List.of("high", "low"), Sandbox.fields(noClose));
        Panel ohlc = Panel.builder(d, new String[] {"A"}).field("close", new double[] {1.5})
                .field("high", new double[] {2}).field("low", new double[] {1}).build();
        assertTrue(Sandbox.fields(ohlc).containsAll(java.util.List.of("returns", "vwap")), Sandbox.fields(ohlc)
                .toString());
    }

    @Test
    void indneutralizeSubtractsTheGroupMeanOfTheDate() {
        Panel p = Panel.builder(new long[] {0}, new String[] {"A", "B", "C", "D"})
                .field("x", new double[] {1, 3, 10, 7})
                .grouping("sector", new String[] {"tech", "tech", "energy", null}).build();
        assertSeries(new double[] {-1, 1, 0, NaN}, eval("indneutralize(x, IndClass.sector)", p));
    }

    @Test
    void slopeRsquareAndResidualOfALineAgainstTime() {
        double[] x = {1, 3, 5, 7.5};
        assertEquals(2.0, series("Slope(x, 3)", x)[2], 1e-12);
        assertEquals(1.0, series("Rsquare(x, 3)", x)[2], 1e-12);
        assertEquals(0.0, series("Resi(x, 3)", x)[2], 1e-12);
        // 3, 5, 7.5: slope 2.25, mean 5.1667 at t=2, fitted today 5.1667 + 2.25 = 7.41667, residual 1/12
        assertEquals(1.0 / 12, series("Resi(x, 3)", x)[3], 1e-12);
    }

    @Test
    void quantileInterpolatesLinearlyBetweenOrderStatistics() {
        // sorted 1, 2, 4, 8: position 0.8 * 3 = 2.4 -> 4 + 0.4 * (8 - 4)
        assertEquals(5.6, series("Quantile(x, 4, 0.8)", 8, 1, 4, 2)[3], 1e-12);
        assertEquals(3.0, series("Med(x, 4)", 8, 1, 4, 2)[3], 1e-12);
    }

    @Test
    void emaUsesSpanWeightsNormalisedOverTheHistory() {
        // span 3 -> alpha 0.5; weights 0.25, 0.5, 1 on 1, 2, 3
        assertEquals((0.25 * 1 + 0.5 * 2 + 3) / 1.75, series("EMA(x, 3)", 1, 2, 3)[2], 1e-12);
    }

    @Test
    void countCountsPresentValuesInTheWindow() {
        assertSeries(new double[] {NaN, NaN, 2, 2, 3}, series("Count(x, 3)", 1, NaN, 2, 3, 4));
    }

    @Test
    void skewAndKurtosisFollowTheBiasCorrectedSampleDefinitions() {
        // 1, 2, 3, 4, 10: k3 / k2^1.5 and k4 / k2^2 from the k-statistics, computed separately in Python
        double[] x = {1, 2, 3, 4, 10};
        assertEquals(1.697056274847714, series("Skew(x, 5)", x)[4], 1e-12);
        assertEquals(3.152, series("Kurt(x, 5)", x)[4], 1e-12);
    }
}
