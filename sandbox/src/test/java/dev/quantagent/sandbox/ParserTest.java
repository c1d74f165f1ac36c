package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.FormulaException.Kind;

import org.junit.jupiter.api.Test;

class ParserTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    private static String canonical(String formula) {
        return SANDBOX.parse(formula).canonical();
    }

    private static FormulaException rejected(String formula) {
        return assertThrows(FormulaException.class, () -> SANDBOX.parse(formula));
    }

    @Test
    void multiplicationBindsTighterThanAddition() {
        assertEquals("((2 * open) + close)", canonical("close + 2 * open"));
    }

    @Test
    void powerBindsTighterThanUnaryMinusAndIsRightAssociative() {
        assertEquals("(-1 * (close ^ 2))", canonical("-close ^ 2"));
        assertEquals("(close ^ (open ^ 2))", canonical("close ^ open ^ 2"));
    }

    @Test
    void theConditionalIsLoosestAndRightAssociative() {
        assertEquals("((close < open) ? 1 : ((close < high) ? 2 : 3))",
                canonical("close < open ? 1 : close < high ? 2 : 3"));
    }

    @Test
    void numbersMayStartOrEndWithAPoint() {
        assertEquals("signedpower(close, 2)", canonical("SignedPower(close, 2.)"));
        assertEquals("(0.001 + close)", canonical("close + .001"));
        assertEquals("(1e-12 + close)", canonical("close + 1e-12"));
    }

    @Test
    void namesAreCaseInsensitive() {
        assertEquals(canonical("ts_rank(close, 5)"), canonical("Ts_Rank(CLOSE, 5)"));
    }

    @Test
    void qlibFieldsWithDollarAreTheSameFields() {
        assertEquals(canonical("ts_mean(close, 5)"), canonical("Mean($close, 5)"));
    }

    @Test
    void indClassNamesAGroupingForGroupOperators() {
        assertEquals("indneutralize(close, IndClass.sector)", canonical("IndNeutralize(close, IndClass.sector)"));
    }

    @Test
    void constantSubExpressionsAreFolded() {
        assertEquals("((0.5 * close) + open)", canonical("open + close * (1 - 0.5)"));
        assertEquals("ts_mean(close, 10)", canonical("ts_mean(close, 2 * 5)"));
    }

    @Test
    void anUnknownOperatorIsRejectedWithItsPositionAndASuggestion() {
        FormulaException e = rejected("rank(ts_maen(close, 5))");
        assertEquals(Kind.UNKNOWN_OPERATOR, e.kind());
        assertEquals(5, e.position());
        assertTrue(e.getMessage().contains("did you mean 'ts_mean'"), e.getMessage());
    }

    @Test
    void aWrongNumberOfArgumentsNamesTheSignature() {
        FormulaException e = rejected("ts_mean(close)");
        assertEquals(Kind.ARGUMENTS, e.kind());
        assertTrue(e.getMessage().contains("ts_mean(x, d) takes 2 arguments, got 1"), e.getMessage());
    }

    @Test
    void anAliasWithTheWrongArgumentsIsExplainedUnderTheNameWritten() {
        FormulaException e = rejected("ts_corr(close)");
        assertEquals("column 1: ts_corr(x, y, d) takes 3 arguments, got 1", e.getMessage());
    }

    @Test
    void aNameWithSeveralFormsListsEachFormOnce() {
        FormulaException e = rejected("rank(close, 5, 3)");
        assertEquals("column 1: 'rank' takes rank(x) or rank(x, d), got 3 arguments", e.getMessage());
    }

    @Test
    void thePointerShowsTheFormulaWellPastTheError() {
        FormulaException e = rejected("ts_corr(close, volume, 5, 3, 4, 5, 6, 7)");
        assertTrue(e.pointer("ts_corr(close, volume, 5, 3, 4, 5, 6, 7)")
                .startsWith("ts_corr(close, volume, 5, 3, 4, 5, 6, 7)"), e.pointer("x"));
    }

    @Test
    void aWindowMustBeAConstant() {
        FormulaException e = rejected("ts_mean(close, volume)");
        assertEquals(15, e.position());
        assertTrue(e.getMessage().contains("must be a constant number"), e.getMessage());
    }

    @Test
    void windowsBelowTheMinimumAreRejected() {
        assertEquals(Kind.WINDOW, rejected("stddev(close, 1)").kind());
        assertEquals(Kind.WINDOW, rejected("ts_sum(close, 0.5)").kind());
    }

    @Test
    void negativeLagsAreRejectedAsLookAhead() {
        FormulaException e = rejected("Ref($close, -1)");
        assertEquals(Kind.LOOKAHEAD, e.kind());
        assertEquals(12, e.position());
    }

    @Test
    void unbalancedParenthesesPointAtTheEnd() {
        FormulaException e = rejected("rank(close");
        assertEquals(Kind.SYNTAX, e.kind());
        assertEquals(10, e.position());
    }

    @Test
    void trailingTextAfterACompleteExpressionIsRejected() {
        assertEquals(6, rejected("close open").position());
    }

    @Test
    void aSingleEqualsSignSuggestsTheComparison() {
        assertTrue(rejected("close = open").getMessage().contains("'=='"));
    }

    @Test
    void aConstantFormulaIsNotAFactor() {
        assertEquals(Kind.CONSTANT, rejected("1 + 2").kind());
    }

    @Test
    void aGroupCannotBeUsedAsAValue() {
        assertEquals(Kind.ARGUMENTS, rejected("rank(IndClass.sector)").kind());
    }

    @Test
    void complexityCountsNodesDepthFieldsAndParameters() {
        Complexity c = SANDBOX.parse("rank(ts_mean(close, 5) / open)").complexity();
        assertEquals(new Complexity(6, 4, 2, 1), c);
    }

    @Test
    void lookbackAddsWindowsAlongTheLongestPath() {
        assertEquals(4 + 2, SANDBOX.parse("ts_mean(delta(close, 2), 5)").lookback());
        assertEquals(19, SANDBOX.parse("rank(adv20)").lookback());
    }
}
