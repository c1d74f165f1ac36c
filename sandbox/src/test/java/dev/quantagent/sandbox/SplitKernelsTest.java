package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SplitKernelsTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    @Test
    void kernelsSharedAmongThreadsGiveTheSameBitsAcrossThePublishedFormulas() {
        Panel p = TestPanels.random(300, 200, 9); // enough assets and dates for three ranges of each
        List<PublishedFormulas.Formula> all = new ArrayList<>(PublishedFormulas.alpha101());
        all.addAll(PublishedFormulas.alpha158());
        FactorEvaluator one = SANDBOX.evaluator(p);
        FactorEvaluator three = SANDBOX.evaluator(p).threads(3);
        for (PublishedFormulas.Formula f : all) {
            Factor factor = SANDBOX.parse(f.formula());
            assertArrayEquals(one.evaluate(factor), three.evaluate(factor), f.name());
        }
    }

    @Test
    void aCancellationSeenByAnyRangeStopsTheEvaluationAsCancelled() {
        Panel p = TestPanels.random(300, 200, 3);
        FactorEvaluator three = SANDBOX.evaluator(p).threads(3);
        AtomicInteger polls = new AtomicInteger();
        FormulaException e = assertThrows(FormulaException.class, () -> three.evaluate(
                SANDBOX.parse("ts_rank(correlation(close, volume, 20), 10)"), new double[p.cells()],
                () -> polls.incrementAndGet() > 50));
        assertEquals(FormulaException.Kind.CANCELLED, e.kind());
    }
}
