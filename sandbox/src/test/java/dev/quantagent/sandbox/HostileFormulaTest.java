package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.FormulaException.Kind;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** Formulas from an LLM or a stranger: each is refused with a one-line message, never run as code. */
class HostileFormulaTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    private static FormulaException rejected(String formula) {
        FormulaException e = assertThrows(FormulaException.class, () -> SANDBOX.parse(formula));
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void javaCodeIsNotALanguageConstruct() {
        FormulaException e = rejected("Runtime.getRuntime().exec(\"rm -rf /\")");
        assertEquals(Kind.SYNTAX, e.kind());
        assertEquals(7, e.position());
    }

    @Test
    void aMegabyteOfParenthesesIsRejectedByLengthBeforeParsing() {
        FormulaException e = rejected("(".repeat(1 << 20) + "close" + ")".repeat(1 << 20));
        assertEquals(Kind.LIMIT, e.kind());
    }

    @Test
    void deepNestingWithinTheLengthLimitIsRejectedByDepth() {
        FormulaException e = rejected("(".repeat(1000) + "close" + ")".repeat(1000));
        assertEquals(Kind.LIMIT, e.kind());
        assertTrue(e.getMessage().contains("nested more than 64"), e.getMessage());
    }

    @Test
    void deeplyNestedUnaryMinusIsRejectedByDepth() {
        assertEquals(Kind.LIMIT, rejected("-".repeat(2000) + "close").kind());
    }

    @Test
    void tooManyNodesAreRejected() {
        assertEquals(Kind.LIMIT, rejected("close" + " + close".repeat(1500)).kind());
    }

    @Test
    void unicodeJunkIsNamedByCodePoint() {
        FormulaException e = rejected("rank(close) \u2212 open");
        assertTrue(e.getMessage().contains("U+2212"), e.getMessage());
        assertEquals(12, e.position());
    }

    @Test
    void controlCharactersAreRejected() {
        assertTrue(rejected("close\u0000").getMessage().contains("U+0000"));
    }

    @Test
    void hugeWindowsAreRejectedBeforeEvaluation() {
        FormulaException e = rejected("ts_mean(close, 1e9)");
        assertEquals(Kind.LIMIT, e.kind());
    }

    @Test
    void windowsLongerThanThePanelAreRejectedWhenBound() {
        Panel panel = TestPanels.random(50, 3, 1);
        Factor f = SANDBOX.parse("ts_mean(close, 60)");
        FormulaException e = assertThrows(FormulaException.class, () -> SANDBOX.evaluator(panel).bind(f));
        assertEquals(Kind.WINDOW, e.kind());
        assertEquals(15, e.position());
    }

    @Test
    void unknownFieldsAreRejectedWithWhatTheDataHas() {
        Panel panel = TestPanels.random(50, 3, 1);
        Factor f = SANDBOX.parse("rank(clsoe)");
        FormulaException e = assertThrows(FormulaException.class, () -> SANDBOX.evaluator(panel).evaluate(f));
        assertEquals(Kind.FIELD, e.kind());
        assertTrue(e.getMessage().contains("did you mean 'close'"), e.getMessage());
        assertTrue(e.getMessage().contains("open, high, low, close, volume, cap"), e.getMessage());
    }

    @Test
    void aMissingGroupingNamesTheMissingColumn() {
        Panel panel = TestPanels.of("close", new double[] {1, 2});
        Factor f = SANDBOX.parse("indneutralize(close, IndClass.industry)");
        FormulaException e = assertThrows(FormulaException.class, () -> SANDBOX.evaluator(panel).evaluate(f));
        assertEquals(Kind.GROUP, e.kind());
        assertTrue(e.getMessage().contains("--groups FILE with a column 'industry'"), e.getMessage());
    }

    @Test
    void intermediatesOverTheMemoryLimitAreRejectedBeforeAnyWork() {
        Sandbox tight = new Sandbox(Limits.DEFAULT.withMaxMemoryBytes(1 << 20));
        Panel panel = TestPanels.random(400, 100, 1); // 40,000 cells = 320 kB per buffer
        Factor f = tight.parse("rank(close) * rank(open) + rank(high) * rank(low)");
        FormulaException e = assertThrows(FormulaException.class, () -> tight.evaluator(panel).evaluate(f));
        assertEquals(Kind.MEMORY, e.kind());
    }

    @Test
    void anEvaluationOverItsTimeBudgetStops() {
        Sandbox hasty = new Sandbox(Limits.DEFAULT.withTimeBudget(Duration.ofNanos(1)));
        Panel panel = TestPanels.random(300, 20, 1);
        Factor f = hasty.parse("ts_rank(ts_product(close, 200), 250)");
        FormulaException e = assertThrows(FormulaException.class, () -> hasty.evaluator(panel).evaluate(f));
        assertEquals(Kind.TIMEOUT, e.kind());
    }

    @Test
    void anEvaluationCanBeCancelledFromOutside() {
        Panel panel = TestPanels.random(300, 20, 1);
        Factor f = SANDBOX.parse("ts_rank(close, 200)");
        AtomicBoolean cancel = new AtomicBoolean(true);
        FormulaException e = assertThrows(FormulaException.class,
                () -> SANDBOX.evaluator(panel).evaluate(f, new double[panel.cells()], cancel::get));
        assertEquals(Kind.CANCELLED, e.kind());
    }

    @Test
    void theSameSubExpressionIsComputedOnceAndBuffersAreReused() {
        Panel panel = TestPanels.random(100, 10, 1);
        FactorEvaluator ev = SANDBOX.evaluator(panel);
        // rank(close) written twice is computed once: beyond what rank(close) alone needs, the formula holds one
        // rank and one product; computing rank(close) twice would need a third buffer
        long once = ev.bind(SANDBOX.parse("rank(close)"));
        long twice = ev.bind(SANDBOX.parse("rank(close) - rank(close) * 2"));
        assertEquals(once + 2 * 8L * panel.cells(), twice);
    }
}
