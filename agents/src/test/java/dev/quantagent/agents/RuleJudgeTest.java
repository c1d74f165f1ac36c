package dev.quantagent.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.agents.Feedback.Category;
import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.PortfolioMetrics;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.sandbox.AssetScale;
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
    /** The bar after 100 trials: what the best of 100 tries of noise reaches, |t| about 2.5. */
    private static final RuleJudge.Bar SEARCH = RuleJudge.Bar.search(100);
    /** The gate after 10 looks, no discovery yet: BHY's first threshold, 0.05 / (10 c(10)) = 0.00171. */
    private static final RuleJudge.Bar GATE = RuleJudge.Bar.of(JudgePolicy.DEFAULT, 10, 0);

    private static SplitStatistics stats(double rankIc, double tStat, double sharpe, double turnover,
                                         double coverage, double... folds) {
        PortfolioMetrics p = new PortfolioMetrics(250, 0.1, 0.1, sharpe, sharpe, 1, -0.1, 0.55, 1.2, 0.1);
        List<SplitStatistics.Fold> f = new java.util.ArrayList<>();
        for (double x : folds.length == 0 ? new double[] {rankIc, rankIc, rankIc} : folds) {
            f.add(new SplitStatistics.Fold(0, 0, x, tStat / Math.sqrt(3), 80));
        }
        return new SplitStatistics(rankIc, rankIc, 0.2, 0.2, tStat, tStat, tStat, 0.55, new double[5], 0.001, p, p,
                turnover, 0.8, coverage, 250, List.of(), List.copyOf(f), List.of(), SplitStatistics.Series.EMPTY);
    }

    private static FactorReport train(SplitStatistics train) {
        return new FactorReport("f", "f", "h", Map.of(Split.TRAIN, train));
    }

    private static FactorReport both(SplitStatistics train, SplitStatistics valid) {
        return new FactorReport("f", "f", "h", Map.of(Split.TRAIN, train, Split.VALID, valid));
    }

    private static Verdict search(SplitStatistics s, Novelty n) {
        return JUDGE.judgeTrain(train(s), SMALL, AssetScale.FREE, n, SEARCH, null);
    }

    private static final SplitStatistics SOLID = stats(0.04, 5.0, 1.5, 0.3, 0.95);

    @Test
    void theSearchBarIsWhatTheBestOfTheTrialsReachesByLuck() {
        assertEquals(100, SEARCH.family());
        // E[max |Z|] of 100 draws: (1 - g) z(1 - 1/200) + g z(1 - 1/(200 e)), g = 0.5772
        double expected = (1 - 0.5772156649015329) * 2.5758293035489 + 0.5772156649015329 * 2.9044666095322826;
        assertEquals(expected, SEARCH.twoSidedT(), 1e-6);
        assertTrue(RuleJudge.Bar.search(1000).twoSidedT() > SEARCH.twoSidedT(), "the bar rises with the trials");
    }

    @Test
    void aDuplicateVerdictSaysWhatTheRulesSayAboutADuplicate() {
        Verdict ruled = search(SOLID, new Novelty("#3", Double.NaN, null, 0, null));
        Verdict dup = JUDGE.duplicate("#3");
        assertFalse(dup.accepted());
        assertEquals(List.of(ruled.feedback().get(0)), dup.feedback());
        assertEquals(Category.DUPLICATE, dup.feedback().get(0).category());
    }

    @Test
    void aSolidNovelFactorPassesTheSearchWithAGoodScore() {
        Verdict v = search(SOLID, Novelty.NONE);
        assertTrue(v.accepted(), v.summary());
        // 100 * (0.45 * min(1, 0.04 / 0.05) + 0.30 * min(1, 5 / (2 bar)) + 0.25 * 0) with no books computed
        double bar = SEARCH.twoSidedT();
        assertEquals(100 * (0.45 * 0.8 + 0.30 * Math.min(1, 5 / (2 * bar))), v.score(), 1e-9);
        assertTrue(v.has(Category.GOOD));
    }

    @Test
    void aSignalWhoseTStatisticLuckCouldReachIsWeak() {
        Verdict v = search(stats(0.03, 2.0, 1.5, 0.3, 0.95), Novelty.NONE);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.WEAK_SIGNAL));
        assertTrue(v.summary().contains("the best of 100 factors tried on this data would reach by luck"),
                v.summary());
    }

    @Test
    void aTinyRankIcIsWeakHoweverManyDatesMakeItSignificant() {
        assertTrue(search(stats(0.005, 6.0, 1.5, 0.3, 0.95), Novelty.NONE).has(Category.WEAK_SIGNAL));
    }

    @Test
    void aReversedSignalIsToldToFlipItsSign() {
        Verdict v = search(stats(-0.04, -5.0, -1.5, 0.3, 0.95), Novelty.NONE);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.NEGATIVE_IC));
        assertTrue(v.summary().contains("-1"), v.summary());
    }

    @Test
    void aSignThatDoesNotHoldInEveryThirdOfTrainIsUnstable() {
        Verdict v = search(stats(0.04, 5.0, 1.5, 0.3, 0.95, 0.09, 0.04, -0.01), Novelty.NONE);
        assertFalse(v.accepted(), v.summary());
        assertTrue(v.has(Category.UNSTABLE));
        assertTrue(v.summary().contains("0.0900, 0.0400, -0.0100"), v.summary());
        RuleJudge lenient = new RuleJudge(JudgePolicy.DEFAULT.withMinStableFolds(2));
        assertTrue(lenient.judgeTrain(train(stats(0.04, 5.0, 1.5, 0.3, 0.95, 0.09, 0.04, -0.01)), SMALL,
                AssetScale.FREE, Novelty.NONE, SEARCH, null).accepted());
    }

    @Test
    void aFactorInPriceUnitsIsRejectedWithAWayToMakeItScaleFree() {
        Factor dollars = new Sandbox(Limits.DEFAULT).parse("-delta(close, 1)");
        Verdict v = JUDGE.judgeTrain(train(SOLID), dollars, Novelty.NONE, SEARCH, null);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.SCALE_DEPENDENT));
        assertTrue(v.summary().contains("its values are in price units"), v.summary());
        assertTrue(v.summary().contains("x / close"), v.summary());
    }

    @Test
    void theSameIdeaAsAReturnPassesTheScaleRule() {
        Factor percent = new Sandbox(Limits.DEFAULT).parse("-delta(close, 1) / delay(close, 1)");
        assertTrue(JUDGE.judgeTrain(train(SOLID), percent, Novelty.NONE, SEARCH, null).accepted());
    }

    @Test
    void aRankIcOnAFewDatesIsRejectedHoweverStrong() {
        PortfolioMetrics p = new PortfolioMetrics(250, 0.1, 0.1, Double.NaN, Double.NaN, 1, -0.1, 0.55, 1.2, 0.1);
        SplitStatistics twoDates = new SplitStatistics(0.07, 0.07, 33, 33, 2, 2, 2, 1, new double[] {0, 0, 0, 0, 0},
                0.001, p, 0, Double.NaN, 0.95, 2, List.of(), List.of()); // sign(volume): constant but for two dates
        Verdict v = search(twoDates, Novelty.NONE);
        assertFalse(v.accepted(), v.summary());
        assertTrue(v.has(Category.LOW_COVERAGE));
        assertTrue(v.summary().contains("rests on 2 train dates (needs 20)"), v.summary());
    }

    @Test
    void anImplausiblyStrongSignalIsTreatedAsLeakage() {
        Verdict v = search(stats(0.4, 30, 15, 0.3, 0.95), Novelty.NONE);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.LEAKAGE));
    }

    @Test
    void aFactorCorrelatedWithAnAcceptedOneIsRedundant() {
        Verdict v = search(SOLID, new Novelty(null, 0.85, "f-3", 0, null));
        assertFalse(v.accepted());
        assertTrue(v.has(Category.REDUNDANT));
    }

    @Test
    void aFactorThatIsMostlyAnAcceptedSubtreeIsACopy() {
        assertTrue(search(SOLID, new Novelty(null, 0.1, "f-3", 5, "f-3")).has(Category.STRUCTURAL_COPY));
    }

    @Test
    void highTurnoverIsASoftFindingThatLowersTheScore() {
        Verdict churny = search(stats(0.04, 5.0, 1.5, 0.9, 0.95), Novelty.NONE);
        assertTrue(churny.accepted(), churny.summary());
        assertTrue(churny.has(Category.HIGH_TURNOVER));
        assertTrue(churny.score() < search(SOLID, Novelty.NONE).score());
    }

    private static Book book(int every, double netSharpe, double grossSharpe) {
        PortfolioMetrics net = new PortfolioMetrics(250, 0.1, 0.1, netSharpe, 0, 0, -0.1, 0.5, 1, 0.1);
        PortfolioMetrics gross = new PortfolioMetrics(250, 0.1, 0.1, grossSharpe, 0, 0, -0.1, 0.5, 1, 0.1);
        return new Book("long_short", "held", every, gross, net, 0.3, null, null, new long[0], new double[0],
                new double[0], new double[0]);
    }

    @Test
    void losingAfterCostsAtEveryHoldingPeriodSteersTowardTradingLessAndIsHardOnlyWhenAsked() {
        List<Book> losing = List.of(book(1, -2.0, 1.0), book(5, -0.5, 0.8), book(10, -0.1, 0.7), book(20, -0.2, 0.5));
        Verdict soft = JUDGE.judgeTrain(train(SOLID), SMALL, AssetScale.FREE, Novelty.NONE, SEARCH, losing);
        assertTrue(soft.accepted(), soft.summary());
        assertTrue(soft.has(Category.COST_DRAG));
        assertTrue(soft.summary().contains("5 bars -0.50 (gross 0.80)"), soft.summary());
        RuleJudge strict = new RuleJudge(JudgePolicy.DEFAULT.withRequireNet(true));
        assertFalse(strict.judgeTrain(train(SOLID), SMALL, AssetScale.FREE, Novelty.NONE, SEARCH, losing).accepted());
        List<Book> paysHeldLonger = List.of(book(1, -2.0, 1.0), book(20, 0.4, 0.9));
        assertTrue(strict.judgeTrain(train(SOLID), SMALL, AssetScale.FREE, Novelty.NONE, SEARCH, paysHeldLonger)
                .accepted());
        assertEquals(20, RuleJudge.bestNet(paysHeldLonger).rebalanceEvery());
    }

    @Test
    void aFactorOnFewCellsIsRejectedFirstForItsCoverage() {
        Verdict v = search(stats(0.0606, 1.1, 1.5, 0.3, 0.02), Novelty.NONE);
        assertFalse(v.accepted());
        assertEquals(Category.LOW_COVERAGE, v.feedback().get(0).category(), v.summary());
        assertTrue(v.feedback().get(0).message().startsWith("Only 2% of tradeable cells have a value"), v.summary());
        assertTrue(v.has(Category.WEAK_SIGNAL));
        Verdict gated = JUDGE.gate(both(SOLID, stats(0.03, 0.5, 1.0, 0.3, 0.02)), GATE, search(SOLID, Novelty.NONE),
                null);
        assertEquals(Category.LOW_COVERAGE, gated.feedback().get(0).category(), gated.summary());
    }

    @Test
    void aWeakSignalSaysWhichBarItMissed() {
        assertTrue(search(stats(0.005, 5.0, 1.5, 0.3, 0.95), Novelty.NONE).summary()
                .contains("Train rank IC 0.0050 is too weak: it needs 0.010"));
        assertTrue(search(stats(0.0606, 1.1, 1.5, 0.3, 0.95), Novelty.NONE).summary()
                .contains("its Newey-West t of 1.10 is below 2.77"));
    }

    @Test
    void lowCoverageAndExcessComplexityAreHardRules() {
        assertTrue(search(stats(0.04, 5.0, 1.5, 0.3, 0.3), Novelty.NONE).has(Category.LOW_COVERAGE));
        assertFalse(JUDGE.judgeTrain(train(SOLID), new Complexity(60, 12, 4, 10), AssetScale.FREE, Novelty.NONE,
                SEARCH, null).accepted());
    }

    @Test
    void anInvalidFormulaGetsZeroAndTheReason() {
        Verdict v = JUDGE.invalid("column 5: unknown operator 'foo'");
        assertFalse(v.accepted());
        assertEquals(0.0, v.score());
        assertTrue(v.summary().contains("unknown operator"));
    }

    // ------------------------------------------------------------------------------------------- the gate

    private static final Verdict SEARCHED = new Verdict(true, 61.0, List.of(), "");

    @Test
    void theGateAcceptsWhatValidConfirmsBeyondItsBarAndKeepsTheSearchScore() {
        // one-sided p of t = 3.5 is 0.000233, under the bar of 0.00171
        Verdict v = JUDGE.gate(both(SOLID, stats(0.03, 3.5, 1.0, 0.3, 0.95)), GATE, SEARCHED, null);
        assertTrue(v.accepted(), v.summary());
        assertEquals(61.0, v.score());
        assertTrue(v.summary().contains("after 10 looks at valid"), v.summary());
    }

    @Test
    void theGateRejectsAConfirmationThatTheLooksAtValidCouldExplain() {
        // t = 2.5: one-sided p 0.0062, above the bar 0.00171 after 10 looks
        Verdict v = JUDGE.gate(both(SOLID, stats(0.03, 2.5, 1.0, 0.3, 0.95)), GATE, SEARCHED, null);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.OUT_OF_SAMPLE));
        assertTrue(v.summary().contains("the bar after 10 looks at valid"), v.summary());
    }

    @Test
    void aSignThatReversesOnValidFailsTheGate() {
        Verdict v = JUDGE.gate(both(SOLID, stats(-0.04, -3.0, -1.5, 0.3, 0.95)), GATE, SEARCHED, null);
        assertFalse(v.accepted());
        assertTrue(v.has(Category.OUT_OF_SAMPLE));
        assertFalse(v.has(Category.NEGATIVE_IC), "the gate never tells the Writer to flip what valid showed");
    }

    @Test
    void aValidRankIcFarBelowTrainsIsReportedAsAnOverfitWithoutRejecting() {
        Verdict v = JUDGE.gate(both(stats(0.2, 9.0, 3, 0.3, 0.95), stats(0.03, 4.0, 1.0, 0.3, 0.95)), GATE,
                SEARCHED, null);
        assertTrue(v.accepted(), v.summary());
        assertTrue(v.has(Category.OVERFIT));
    }

    @Test
    void withRequireNetTheGateChecksTheChosenHoldingPeriodOnValid() {
        RuleJudge strict = new RuleJudge(JudgePolicy.DEFAULT.withRequireNet(true));
        FactorReport r = both(SOLID, stats(0.03, 3.5, 1.0, 0.3, 0.95));
        assertFalse(strict.gate(r, GATE, SEARCHED, book(20, -0.3, 0.4)).accepted());
        assertTrue(strict.gate(r, GATE, SEARCHED, book(20, 0.3, 0.6)).accepted());
    }
}
