package dev.quantagent.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The regime classifier on hand-worked examples (window 2: trend and volatility of two returns). */
class RegimesTest {

    private static final double NaN = Double.NaN;

    @Test
    void regimesComeFromTheTrailingTrendAndVolatilityAgainstTheirMedian() {
        // t: 1 (.01,.01) up, vol 0 | 2 up, 0 | 3 (.01,.03) up, .0141 | 4 (.03,-.01) up, .0283 | 5 (-.01,-.02) down,
        // .0071 | 6 down, 0 | 7 (-.02,-.06) down, .0283 | 8 (-.06,.02) down, .0566 | 9 (.02,.01) up, .0071;
        // sorted vols 0,0,0,.0071,.0071,.0141,.0283,.0283,.0566: median .0071, high is strictly above it
        double[] b = {0.01, 0.01, 0.01, 0.03, -0.01, -0.02, -0.02, -0.06, 0.02, 0.01};
        assertArrayEquals(new int[] {-1, 0, 0, 1, 1, 2, 2, 3, 3, 0}, Regimes.classify(b, 2));
    }

    @Test
    void aWindowHoldingAnUndefinedReturnIsNotClassified() {
        double[] b = {NaN, 0.01, 0.02, NaN, 0.01, -0.03};
        // classified: t 2 (.01,.02) up, vol .0071; t 5 (.01,-.03) down, vol .0283, the median of the two: not above it
        assertArrayEquals(new int[] {-1, -1, 0, -1, -1, 2}, Regimes.classify(b, 2));
    }

    @Test
    void fewerReturnsThanTheWindowClassifyNothing() {
        assertArrayEquals(new int[] {-1, -1}, Regimes.classify(new double[] {0.01, 0.02}, Regimes.WINDOW));
    }

    @Test
    void theNamesFollowTheIndexOrder() {
        assertEquals(List.of("bull / low vol", "bull / high vol", "bear / low vol", "bear / high vol"),
                Regimes.NAMES);
    }

    @Test
    void aWindowOfOnePeriodHasNoVolatilityAndIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Regimes.classify(new double[] {0.01}, 1));
    }
}
