package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SubexpressionCacheTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    @Test
    void cachedResultsAreBitIdenticalToFreshOnesAcrossThePublishedFormulas() {
        Panel p = TestPanels.random(300, 20, 9);
        List<PublishedFormulas.Formula> all = new ArrayList<>(PublishedFormulas.alpha101());
        all.addAll(PublishedFormulas.alpha158());
        FactorEvaluator fresh = SANDBOX.evaluator(p);
        SubexpressionCache cache = new SubexpressionCache(256L << 20);
        FactorEvaluator cached = SANDBOX.evaluator(p, cache);
        for (int pass = 0; pass < 2; pass++) {
            for (PublishedFormulas.Formula f : all) {
                Factor factor = SANDBOX.parse(f.formula());
                assertArrayEquals(fresh.evaluate(factor), cached.evaluate(factor), f.name());
            }
        }
        assertTrue(cache.hitRate() > 0.4, "hit rate " + cache.hitRate());
    }

    @Test
    void theCacheStaysWithinItsMemoryBound() {
        Panel p = TestPanels.random(100, 10, 1); // 8 kB per result
        SubexpressionCache cache = new SubexpressionCache(40_000);
        FactorEvaluator ev = SANDBOX.evaluator(p, cache);
        for (int d = 2; d < 40; d++) {
            ev.evaluate(SANDBOX.parse("ts_mean(close, " + d + ")"));
        }
        assertTrue(cache.bytes() <= 40_000, cache.bytes() + " bytes");
    }

    @Test
    void aCachedResultIsNeverOverwrittenByALaterEvaluation() {
        Panel p = TestPanels.random(100, 10, 2);
        FactorEvaluator ev = SANDBOX.evaluator(p, new SubexpressionCache(64L << 20));
        double[] first = ev.evaluate(SANDBOX.parse("rank(ts_mean(close, 5)) + 1"));
        for (int i = 0; i < 5; i++) {
            ev.evaluate(SANDBOX.parse("rank(ts_mean(close, 5)) * " + (i + 2)));
            ev.evaluate(SANDBOX.parse("ts_mean(close, 5) - rank(volume)"));
        }
        assertArrayEquals(first, ev.evaluate(SANDBOX.parse("rank(ts_mean(close, 5)) + 1")));
    }

    @Test
    void aResultTooBigForTheCacheOrAlreadyThereIsNotTakenSoItsBufferCanBeReused() {
        SubexpressionCache cache = new SubexpressionCache(1_000);
        assertFalse(cache.put("big", new double[200]), "1,600 bytes exceed the 1,000-byte cache");
        assertTrue(cache.put("small", new double[10]));
        assertFalse(cache.put("small", new double[10]), "the first copy stays");
    }

    @Test
    void aCacheSmallerThanOneResultStillGivesTheFreshValues() {
        Panel p = TestPanels.random(100, 10, 2);
        FactorEvaluator fresh = SANDBOX.evaluator(p);
        FactorEvaluator cached = SANDBOX.evaluator(p, new SubexpressionCache(1_000));
        for (int pass = 0; pass < 3; pass++) {
            Factor f = SANDBOX.parse("rank(ts_mean(close, 5)) - rank(delta(volume, 3))");
            assertArrayEquals(fresh.evaluate(f), cached.evaluate(f));
        }
    }
}
