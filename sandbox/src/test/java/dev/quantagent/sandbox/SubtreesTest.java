package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SubtreesTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    private static Map<String, Integer> of(String formula) {
        return Subtrees.of(SANDBOX.parse(formula));
    }

    @Test
    void everyOperatorSubtreeIsListedWithItsSize() {
        assertEquals(Map.of("rank(delta(close, 5))", 4, "delta(close, 5)", 3), of("rank(delta(close, 5))"));
    }

    @Test
    void theLargestSharedSubtreeIsFoundAcrossDialectsAndSpellings() {
        assertEquals(4, Subtrees.largestCommon(of("rank(delta(close, 5)) * volume"),
                of("-1 * rank(Delta($close, 5.5))")));
    }

    @Test
    void sharingOnlyFieldsIsNoOverlap() {
        assertEquals(0, Subtrees.largestCommon(of("rank(close)"), of("ts_mean(close, 5)")));
    }
}
