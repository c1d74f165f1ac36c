package dev.quantagent.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.apache.commons.statistics.distribution.NormalDistribution;

import org.junit.jupiter.api.Test;

class SignificanceTest {

    /** The textbook values of the standard normal: P(|Z| >= 1.96) = 0.05, P(Z >= 1.645) = 0.05. */
    @Test
    void pValuesComeFromTheNormalDistribution() {
        assertEquals(0.0499958, Significance.twoSided(1.96), 1e-6);
        assertEquals(0.0499851, Significance.oneSided(1.645), 1e-6);
        assertEquals(1.959964, Significance.tFor(0.05), 1e-6);
        assertEquals(1.0, Significance.twoSided(Double.NaN));
    }

    /**
     * Holm on p = 0.01, 0.04, 0.03, 0.005 (m = 4), by hand: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 gives
     * 0.02, 0.03, 0.06, 0.04, made non-decreasing: 0.02, 0.03, 0.06, 0.06.
     */
    @Test
    void holmAdjustsStepDown() {
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02},
                Significance.holm(new double[] {0.01, 0.04, 0.03, 0.005}, 4), 1e-12);
    }

    /**
     * BHY on the same p-values: c(4) = 25/12, m c(m) = 25/3; p_(k) m c / k = 0.041667, 0.041667, 0.083333,
     * 0.083333, made non-increasing from the largest.
     */
    @Test
    void bhyAdjustsStepUp() {
        double mc = 25.0 / 3;
        assertArrayEquals(new double[] {0.01 * mc / 2, 0.04 * mc / 4, 0.03 * mc / 3, 0.005 * mc},
                Significance.bhy(new double[] {0.01, 0.04, 0.03, 0.005}, 4), 1e-12);
    }

    /** BH on the same p-values: p_(k) m / k = 0.02, 0.02, 0.04, 0.04, made non-increasing from the largest. */
    @Test
    void bhAdjustsStepUpWithoutTheDependenceFactor() {
        assertArrayEquals(new double[] {0.02, 0.04, 0.04, 0.02},
                Significance.adjust(Significance.Adjustment.BH, new double[] {0.01, 0.04, 0.03, 0.005}, 4), 1e-12);
        assertEquals(3 * 0.05 / 100, Significance.threshold(Significance.Adjustment.BH, 0.05, 100, 2), 1e-15);
    }

    /** Tests tried without a p-value of their own still count: two p-values in a family of ten. */
    @Test
    void testsWithoutAPValueCountInTheFamily() {
        assertArrayEquals(new double[] {0.01 * 10, 0.02 * 9}, Significance.holm(new double[] {0.01, 0.02}, 10),
                1e-12);
        assertThrows(IllegalArgumentException.class, () -> Significance.holm(new double[] {0.1, 0.2}, 1));
    }

    /** The bar rises with the family: 0.05 / 100 for Holm; BHY's first discovery 0.05 / (100 c(100)). */
    @Test
    void thresholdsFallAsTheFamilyGrows() {
        assertEquals(0.0005, Significance.threshold(Significance.Adjustment.HOLM, 0.05, 100, 0), 1e-15);
        double c100 = 5.187377517639621; // H(100)
        assertEquals(0.05 / (100 * c100), Significance.threshold(Significance.Adjustment.BHY, 0.05, 100, 0), 1e-12);
        assertEquals(3 * 0.05 / (100 * c100), Significance.threshold(Significance.Adjustment.BHY, 0.05, 100, 2),
                1e-12);
        assertTrue(Significance.threshold(Significance.Adjustment.HOLM, 0.05, 1000, 0)
                < Significance.threshold(Significance.Adjustment.HOLM, 0.05, 10, 0));
    }

    /**
     * The numerical example of Bailey and Lopez de Prado, "The Deflated Sharpe Ratio" (2014): 100 trials whose
     * annualised Sharpe ratios vary with variance 1/2, the best of them 2.5 annualised over 1,250 daily returns with
     * skewness -3 and kurtosis 10. The paper gives an expected maximum of 0.1132 a day and a DSR of 0.9004.
     */
    @Test
    void theDeflatedSharpeRatioOfThePapersExample() {
        double dailyVariance = 0.5 / 250;
        double expectedMax = Significance.expectedMaxSharpe(dailyVariance, 100);
        assertEquals(0.1132, expectedMax, 5e-5);
        double dsr = Significance.probabilisticSharpe(2.5 / Math.sqrt(250), expectedMax, 1250, -3, 10);
        assertEquals(0.9004, dsr, 5e-4);
    }

    /** Deflated over one trial, the DSR is the PSR against zero, computed here from the moments by hand. */
    @Test
    void oneTrialDeflatesAgainstZero() {
        Random r = new Random(5);
        double[] returns = new double[500];
        for (int i = 0; i < returns.length; i++) {
            returns[i] = 0.0005 + 0.01 * r.nextGaussian();
        }
        Significance.Deflated d = Significance.deflatedSharpe(returns, 1, 0.0, 252);
        double mean = java.util.Arrays.stream(returns).average().orElseThrow();
        double m2 = 0;
        double m3 = 0;
        double m4 = 0;
        for (double v : returns) {
            m2 += Math.pow(v - mean, 2) / 500;
            m3 += Math.pow(v - mean, 3) / 500;
            m4 += Math.pow(v - mean, 4) / 500;
        }
        double sr = mean / Math.sqrt(m2 * 500 / 499);
        double skew = m3 / Math.pow(m2, 1.5);
        double kurt = m4 / (m2 * m2);
        double z = sr * Math.sqrt(499) / Math.sqrt(1 - skew * sr + (kurt - 1) / 4 * sr * sr);
        assertEquals(NormalDistribution.of(0, 1).cumulativeProbability(z), d.probability(), 1e-12);
        assertEquals(sr * Math.sqrt(252), d.sharpe(), 1e-12);
        assertEquals(0.0, d.expectedMaxSharpe());
    }

    @Test
    void theHarmonicNumberIsExactAndItsExpansionAgrees() {
        assertEquals(25.0 / 12, Significance.harmonic(4), 1e-15);
        double direct = 0;
        for (long i = 2_000_000; i >= 1; i--) {
            direct += 1.0 / i;
        }
        assertEquals(direct, Significance.harmonic(2_000_000), 1e-12);
    }
}
