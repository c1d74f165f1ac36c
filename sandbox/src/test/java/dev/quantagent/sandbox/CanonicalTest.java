package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class CanonicalTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    private static Factor f(String formula) {
        return SANDBOX.parse(formula);
    }

    @Test
    void theSameFactorWrittenInBothDialectsHasOneHash() {
        assertEquals(f("ts_mean(close, 5) / close").hash(), f("Mean($close, 5.9)/$close").hash());
    }

    @Test
    void commutativeOperandsAreSorted() {
        assertEquals(f("close * volume + open").canonical(), f("open + volume * close").canonical());
        assertEquals(f("correlation(close, volume, 10)").canonical(), f("Corr(volume, close, 10)").canonical());
    }

    @Test
    void associativeChainsAreFlattened() {
        assertEquals("(close + high + open)", f("(close + open) + high").canonical());
        assertEquals(f("(close + open) + high").hash(), f("close + (open + high)").hash());
    }

    @Test
    void greaterThanIsWrittenAsLessThanSwapped() {
        assertEquals(f("open < close").canonical(), f("close > open").canonical());
    }

    @Test
    void unaryMinusIsMinusOneTimes() {
        assertEquals(f("-1 * rank(close)").hash(), f("-rank(close)").hash());
        assertEquals("rank(close)", f("-(-rank(close))").canonical());
    }

    @Test
    void differentFactorsHaveDifferentHashes() {
        assertNotEquals(f("close - open").hash(), f("open - close").hash());
        assertNotEquals(f("ts_mean(close, 5)").hash(), f("ts_mean(close, 6)").hash());
    }

    @Test
    void numbersPrintAsTheShortestDecimalThatReadsBack() {
        assertEquals("0.1", Canonical.number(0.1));
        assertEquals("6.00946", Canonical.number(6.00946));
        assertEquals("-3", Canonical.number(-3.0));
        assertEquals("1e-12", Canonical.number(1e-12));
        assertEquals("2.5e+20", Canonical.number(2.5e20));
        assertEquals("0.30000000000000004", Canonical.number(0.1 + 0.2));
    }

    @Test
    void aPositiveMultiplierOfTheWholeFactorIsDropped() {
        assertEquals("ts_argmin(high, 30)", f("5 * ts_argmin(high, 30)").canonical());
        assertEquals(f("ts_argmin(high, 30)").hash(), f("ts_argmin(high, 30) * 0.25").hash());
        assertEquals("(close / open)", f("close / open / 2").canonical());
    }

    @Test
    void aNegativeMultiplierKeepsOnlyItsSign() {
        assertEquals("(-1 * vwap)", f("-0.5093449999999999 * vwap").canonical());
        assertEquals("(-1 * close)", f("close / -4").canonical());
    }

    @Test
    void multipliersInsideScaleFreeOperatorsAreDropped() {
        assertEquals("rank(close)", f("rank(3 * close)").canonical());
        assertEquals(f("correlation(close, volume, 10) + open").hash(),
                f("correlation(2 * close, volume / 7, 10) + open").hash());
        assertEquals("(open + ts_rank(delta(close, 2), 10))", f("ts_rank(delta(close * 100, 2), 10) + open")
                .canonical());
        assertEquals("(1 / close)", f("5 / close").canonical());
    }

    @Test
    void aMultiplierThatWeighsTheTermsOfASumStays() {
        assertEquals("((2 * open) + close)", f("close + 2 * open").canonical());
        assertEquals("rank(((2 * open) + close))", f("rank(close + 2 * open)").canonical());
        assertEquals("log((5 * close))", f("log(5 * close)").canonical());
        assertEquals("((3 * close) < open)", f("open > 3 * close").canonical());
    }

    @Test
    void aRankOfARankIsOneRank() {
        assertEquals("(open + rank(volume))", f("open + rank(rank(rank(volume)))").canonical());
        assertEquals(f("rank(volume)").hash(), f("rank(rank(volume))").hash());
    }

    @Test
    void constantsPrintWithAtMostTenSignificantDigits() {
        assertEquals("((0.509345 * vwap) + close)", f("close + (1 - 0.490655) * vwap").canonical());
        assertEquals("((0.3 * open) + close)", f("close + (0.1 + 0.2) * open").canonical());
        assertEquals("0.3333333333", Canonical.number(1.0 / 3, Canonical.DIGITS));
        assertEquals("1.234567891e+20", Canonical.number(1.2345678912345e20, Canonical.DIGITS));
        assertEquals("2", Canonical.number(1.99999999999999, Canonical.DIGITS));
        assertEquals("0.30000000000000004", Canonical.number(0.1 + 0.2));
    }

    @Test
    void theHashIsSixteenHexDigitsOfSha256() {
        // printf close | sha256sum -> 310ff200149b44a32f12...
        assertEquals("310ff200149b44a3", f("$close").hash());
    }
}
