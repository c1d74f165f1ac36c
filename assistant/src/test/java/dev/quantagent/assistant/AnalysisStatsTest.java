package dev.quantagent.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The distributions against values from scipy.stats 1.17 (norm, hypergeom, skew, kurtosis), an independent library. */
class AnalysisStatsTest {

    @Test
    void theNormalCdfMatchesScipy() {
        // scipy.stats.norm.cdf
        assertEquals(0.8413447460685429, Stats.normalCdf(1.0), 1e-15);
        assertEquals(0.006209665325776132, Stats.normalCdf(-2.5), 1e-16);
        assertEquals(0.6179114221889526, Stats.normalCdf(0.3), 1e-15);
        assertEquals(1.279812543885835e-12, Stats.normalCdf(-7.0), 1e-24);
        assertEquals(0.9999866542509841, Stats.normalCdf(4.2), 1e-15);
        assertEquals(0.5, Stats.normalCdf(0), 0);
    }

    @Test
    void theNormalInverseMatchesScipy() {
        // scipy.stats.norm.ppf
        assertEquals(1.959963984540054, Stats.normalInverse(0.975), 1e-12);
        assertEquals(-3.090232306167813, Stats.normalInverse(0.001), 1e-12);
        assertEquals(2.0537489106318225, Stats.normalInverse(1 - 1 / 50.0), 1e-12);
    }

    @Test
    void theHypergeometricTailIsFishersOneSidedPValue() {
        // scipy.stats.hypergeom.sf(k - 1, M = total, n = marked, N = draws)
        assertEquals(0.05211558307533539, Stats.hypergeometricUpperTail(5, 20, 7, 8), 1e-14);
        assertEquals(9.73493886604903e-11, Stats.hypergeometricUpperTail(10, 50, 10, 10), 1e-22);
        assertEquals(1, Stats.hypergeometricUpperTail(0, 20, 7, 8), 0);
        assertEquals(0, Stats.hypergeometricUpperTail(8, 20, 7, 8), 0, "only 7 are marked");
    }

    @Test
    void theProbabilisticSharpeRatioMatchesBaileyAndLopezDePradoWorkedWithScipy() {
        double[] r = {0.01, -0.005, 0.02, 0.0, 0.015, -0.01, 0.005, 0.01, -0.02, 0.03};
        // numpy/scipy: SR = mean / std(ddof=1) = 0.371514; skew -0.102336; kurtosis (fisher=False) 2.331386;
        // PSR(0) = norm.cdf(SR * sqrt(9) / sqrt(1 - skew * SR + (kurt - 1) / 4 * SR^2)) = 0.8578047685068322
        assertEquals(0.8578047685068322, Stats.probabilisticSharpe(r, 0), 1e-12);
        assertTrue(Stats.probabilisticSharpe(r, 0.3) < 0.8578047685068322, "a higher bar is cleared less surely");
    }
}
