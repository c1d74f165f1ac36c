package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Percentile ranks checked against counting: rank = (#less + (#equal + 1) / 2) / #present. */
class CrossSectionalRanksTest {

    private static void assertMatchesCounting(double[] values) {
        double[] ranks = values.clone();
        double[] less = new double[values.length];
        new CrossSectionalRanks(values.length).rankInPlace(ranks, 0, values.length, less);
        int present = 0;
        for (double v : values) {
            present += Double.isNaN(v) ? 0 : 1;
        }
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                assertTrue(Double.isNaN(ranks[i]), "missing stays missing at " + i);
                continue;
            }
            int below = 0;
            int equal = 0;
            for (double w : values) {
                below += w < values[i] ? 1 : 0;
                equal += w == values[i] ? 1 : 0;
            }
            assertEquals((below + (equal + 1) / 2.0) / present, ranks[i], 1e-15, "rank at " + i);
            assertEquals(below, less[i], "values below at " + i);
        }
    }

    @Test
    void thousandsOfValuesCrowdedBehindExtremeOutliersAreRankedExactly() {
        // the outliers stretch the key range, so the crowd in [1, 2) shares few sort keys and needs the exact pass
        Random r = new Random(1);
        double[] v = new double[6000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1 + r.nextDouble();
        }
        v[10] = -Double.MAX_VALUE;
        v[20] = Double.MAX_VALUE;
        v[30] = Double.NEGATIVE_INFINITY;
        v[40] = Double.POSITIVE_INFINITY;
        v[50] = Double.NaN;
        assertMatchesCounting(v);
    }

    @Test
    void valuesThatDifferOnlyBeyondFloatPrecisionKeepTheirExactOrder() {
        double[] v = new double[500];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1.0 + ((i * 7919) % 500) * 1e-13; // a descending-and-wrapping order within one float
        }
        assertMatchesCounting(v);
    }

    @Test
    void heavyTiesMixedSignsAndNegativeZeroAreAveraged() {
        Random r = new Random(2);
        double[] v = new double[700];
        for (int i = 0; i < v.length; i++) {
            int k = r.nextInt(9) - 4;
            v[i] = k == 0 ? (r.nextBoolean() ? -0.0 : 0.0) : k * 0.5;
            if (r.nextInt(10) == 0) {
                v[i] = Double.NaN;
            }
        }
        assertMatchesCounting(v);
    }

    @Test
    void differencesOfCentPricesFullOfTiesAndNearTiesAreRankedExactly() {
        // close - open on a cents grid: many exact ties, and equal differences a few ulps apart (0.37 from 45.12 -
        // 44.75 is not 0.37 from 12.37 - 12.00), as in rank(close - open) on real data
        Random r = new Random(4);
        double[] v = new double[505];
        for (int i = 0; i < v.length; i++) {
            double open = (500 + r.nextInt(20_000)) / 100.0;
            v[i] = open + (r.nextInt(201) - 100) / 100.0 - open;
            if (r.nextInt(40) == 0) {
                v[i] = Double.NaN;
            }
        }
        assertMatchesCounting(v);
    }

    @Test
    void aLongShuffledCrowdAmongManyDistinctValuesIsRankedExactly() {
        // a thousand well-spread values and three thousand shuffled ones within 1e-9 of 1: many short runs, so the
        // insertion path is tried, and one long run, which sends it back to the run-by-run path
        Random r = new Random(5);
        double[] v = new double[4000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i < 1000 ? 1000 + i : 1 + r.nextInt(3000) * 1e-12;
        }
        assertMatchesCounting(v);
    }

    @Test
    void aRowOfOneRepeatedValueRanksAllInTheMiddle() {
        double[] v = {3, 3, 3, 3};
        assertMatchesCounting(v);
    }

    @Test
    void heavyTailedValuesAcrossManyMagnitudesAreRankedExactly() {
        Random r = new Random(3);
        double[] v = new double[2000];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.exp(40 * r.nextGaussian()) * (r.nextBoolean() ? 1 : -1);
        }
        assertMatchesCounting(v);
    }

    @Test
    void panelsWiderThanTheRankableCrossSectionAreRefused() {
        String[] symbols = new String[Panel.MAX_ASSETS + 1];
        java.util.Arrays.fill(symbols, "s");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Panel.builder(new long[] {1}, symbols));
        assertTrue(e.getMessage().contains("at most 65536 assets"), e.getMessage());
    }
}
