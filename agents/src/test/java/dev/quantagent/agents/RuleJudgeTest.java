package dev.quantagent.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.agents.Feedback.Category;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.PortfolioMetrics;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.sandbox.Complexity;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RuleJudgeTest {

    private static final RuleJudge JUDGE = new RuleJudge(JudgePolicy.DEFAULT);
    private static final Complexity SMALL = new Complexity(6, 4, 2, 1);

    private static SplitStatistics stats(double rankIc, double rankIcir, double sharpe, double turnover,
                                         double coverage) {
        PortfolioMetrics p = new PortfolioMetrics(250, 0.1, 0.1, sharpe, sharpe, 1, -0.1, 0.55, 1.2, 0.1);
        return new SplitStatistics(rankIc, rankIc, rankIcir, rankIcir, 2, 2, 0.55, new double[] {0, 0, 0, 0, 0}, 0.001,
                p, turnover, 0.8, coverage, 250, List.of(), List.of());
    }

    private static FactorReport report(SplitStatistics train, SplitStatistics valid) {
        return new FactorReport("f", "f", "h", Map.of(Split.TRAIN, train, Split.VALID, valid));
    }

    private static final SplitStatistics SOLID = stats(0.04, 0.3, 1.5, 0.3, 0.95);

    @Test
    void aDuplicateVerdictSaysWhatTheRulesSayAboutADuplicate() {
        Verdict ruled = JUDGE.judge(report(SOLID, SOLID), SMALL, new Novelty("#3", Double.NaN, null, 0, null));
        Verdict dup = JUDGE.duplicate("#3");
        assertFalse(dup.accepted());
        assertEquals(List.of(ruled.feedback().get(0)), dup.feedback());
        assertEquals(Category.DUPLICATE, dup.feedback().get(0).category());
    }

    @Test
    void aSolidNovelFactorIsAcceptedWithAGoodScore() {
        Verdict v = JUDGE.judge(report(SOLID, SOLID), SMALL, Novelty.NONE);
        assertTrue(v.accepted(), v.summary());
        // 100 * (0.45 * 0.8 + 0.25 * 0.6 + 0.30 * 0.75) = 73.5
        assertEquals(73.5, v.score(), 1e-9);
        assertTrue(v.has(Category.GOOD));
    }

    @Test
    void aDuplicateIsRejectedWhateverItsStatistics() {
        Verdict v = JUDGE.judge(report(SOLID, SOLID), SMALL, new Novelty("f-12", Double.NaN, null, 0, null));
        assertFalse(v.accepted());
        assertTrue(v.has(Category.DUPLICATE));
    }

    @Test
    void aReversedSignalIsToldToFlipItsSign() {
        SplitStatistics flatTrain = stats(0.002, 0.01, 0.1, 0.3, 0.95);
        Verdict v = JUDGE.judge(report(flatTrain, stats(-0.04, -0.3, -1.5, 0.3, 0.95)), SMALL, Novelty.NONE);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.NEGATIVE_IC));
        assertTrue(v.summary().contains("-1"), v.summary());
        assertEquals(0.0, v.score());
    }

    @Test
    void aSignThatReversesFromTrainToValidIsRejectedThoughValidLooksGood() {
        Verdict v = JUDGE.judge(report(stats(-0.04, -0.3, -1.5, 0.3, 0.95), SOLID), SMALL, Novelty.NONE);
        assertFalse(v.accepted(), v.summary());
        assertTrue(v.has(Category.UNSTABLE));
        assertTrue(v.summary().contains("-0.0400 on train but 0.0400 on valid"), v.summary());
    }

    @Test
    void aSignalThatReversesOnValidIsNotToldToFlipItsSign() {
        Verdict v = JUDGE.judge(report(SOLID, stats(-0.04, -0.3, -1.5, 0.3, 0.95)), SMALL, Novelty.NONE);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.UNSTABLE));
        assertFalse(v.has(Category.NEGATIVE_IC));
        assertTrue(v.summary().contains("negating it would only fit the valid period"), v.summary());
    }

    @Test
    void aFactorInPriceUnitsIsRejectedWithAWayToMakeItScaleFree() {
        Factor dollars = new Sandbox(Limits.DEFAULT).parse("-delta(close, 1)");
        Verdict v = JUDGE.judge(report(SOLID, SOLID), dollars, Novelty.NONE);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.SCALE_DEPENDENT));
        assertTrue(v.summary().contains("its values are in price units"), v.summary());
        assertTrue(v.summary().contains("x / close"), v.summary());
    }

    @Test
    void theSameIdeaAsAReturnPassesTheScaleRule() {
        Factor percent = new Sandbox(Limits.DEFAULT).parse("-delta(close, 1) / delay(close, 1)");
        Verdict v = JUDGE.judge(report(SOLID, SOLID), percent, Novelty.NONE);
        assertTrue(v.accepted(), v.summary());
    }

    @Test
    void aRankIcOnAFewValidDatesIsRejectedHoweverStrong() {
        PortfolioMetrics p = new PortfolioMetrics(250, 0.1, 0.1, Double.NaN, Double.NaN, 1, -0.1, 0.55, 1.2, 0.1);
        SplitStatistics twoDates = new SplitStatistics(0.07, 0.07, 33, 33, 2, 2, 1, new double[] {0, 0, 0, 0, 0}, 0.001,
                p, 0, Double.NaN, 0.95, 2, List.of(), List.of()); // sign(volume): constant but for two dates
        Verdict v = JUDGE.judge(report(SOLID, twoDates), SMALL, Novelty.NONE);
        assertFalse(v.accepted(), v.summary());
        assertTrue(v.has(Category.LOW_COVERAGE));
        assertTrue(v.summary().contains("rests on 2 valid dates (needs 20)"), v.summary());
    }

    @Test
    void aWeakSignalIsRejected() {
        assertTrue(JUDGE.judge(report(SOLID, stats(0.005, 0.05, 0.2, 0.3, 0.95)), SMALL, Novelty.NONE)
                .has(Category.WEAK_SIGNAL));
    }

    @Test
    void anImplausiblyStrongSignalIsTreatedAsLeakage() {
        Verdict v = JUDGE.judge(report(SOLID, stats(0.4, 3, 15, 0.3, 0.95)), SMALL, Novelty.NONE);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.LEAKAGE));
    }

    @Test
    void aFactorCorrelatedWithAnAcceptedOneIsRedundant() {
        Verdict v = JUDGE.judge(report(SOLID, SOLID), SMALL, new Novelty(null, 0.85, "f-3", 0, null));
        assertFalse(v.accepted());
        assertTrue(v.has(Category.REDUNDANT));
    }

    @Test
    void aFactorThatIsMostlyAnAcceptedSubtreeIsACopy() {
        Verdict v = JUDGE.judge(report(SOLID, SOLID), SMALL, new Novelty(null, 0.1, "f-3", 5, "f-3"));
        assertTrue(v.has(Category.STRUCTURAL_COPY));
    }

    @Test
    void highTurnoverAndOverfittingAreSoftFindingsThatLowerTheScore() {
        SplitStatistics churny = stats(0.03, 0.3, 1.0, 0.9, 0.95);
        Verdict v = JUDGE.judge(report(stats(0.12, 0.9, 4, 0.9, 0.95), churny), SMALL, Novelty.NONE);
        assertTrue(v.accepted(), v.summary());
        assertTrue(v.has(Category.HIGH_TURNOVER));
        assertTrue(v.has(Category.OVERFIT));
        double clean = JUDGE.judge(report(churny, stats(0.03, 0.3, 1.0, 0.3, 0.95)), SMALL, Novelty.NONE).score();
        assertTrue(v.score() < clean);
    }

    @Test
    void costDragIsSoftByDefaultAndHardWhenAsked() {
        SplitStatistics losing = stats(0.03, 0.3, -1.2, 0.5, 0.95);
        assertTrue(JUDGE.judge(report(losing, losing), SMALL, Novelty.NONE).accepted());
        JudgePolicy d = JudgePolicy.DEFAULT;
        RuleJudge strict = new RuleJudge(new JudgePolicy(d.minRankIc(), d.minRankIcir(), 0.5, d.maxTurnover(),
                d.minCoverage(), d.maxCorrelation(), d.maxOverlapShare(), d.maxNodes(), d.minValidOverTrain(),
                d.suspiciousRankIc(), true));
        Verdict v = strict.judge(report(losing, losing), SMALL, Novelty.NONE);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.COST_DRAG));
    }

    @Test
    void lowCoverageAndExcessComplexityAreHardRules() {
        assertTrue(JUDGE.judge(report(SOLID, stats(0.04, 0.3, 1.5, 0.3, 0.3)), SMALL, Novelty.NONE)
                .has(Category.LOW_COVERAGE));
        assertFalse(JUDGE.judge(report(SOLID, SOLID), new Complexity(60, 12, 4, 10), Novelty.NONE).accepted());
    }

    @Test
    void anInvalidFormulaGetsZeroAndTheReason() {
        Verdict v = JUDGE.invalid("column 5: unknown operator 'foo'");
        assertFalse(v.accepted());
        assertEquals(0.0, v.score());
        assertTrue(v.summary().contains("unknown operator"));
    }
}
