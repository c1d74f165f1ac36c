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
    void theHashIsSixteenHexDigitsOfSha256() {
        // printf close | sha256sum -> 310ff200149b44a32f12...
        assertEquals("310ff200149b44a3", f("$close").hash());
    }
}
