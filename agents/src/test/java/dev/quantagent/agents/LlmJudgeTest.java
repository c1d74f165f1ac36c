package dev.quantagent.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.RateLimitException;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.PortfolioMetrics;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.llm.Cancelled;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.llm.Refused;
import dev.quantagent.sandbox.AssetScale;
import dev.quantagent.sandbox.Complexity;
import dev.quantagent.testkit.ScriptedModel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class LlmJudgeTest {

    private static final LlmSettings SETTINGS = new LlmSettings("http://localhost", "k", "m", Duration.ofSeconds(1),
            2, 1, 0, 0);
    private static final Complexity SMALL = new Complexity(5, 3, 1, 1);

    private static FactorReport report(double rankIc) {
        PortfolioMetrics p = new PortfolioMetrics(250, 0.1, 0.1, 1.5, 1.5, 1, -0.1, 0.55, 1.2, 0.1);
        SplitStatistics s = new SplitStatistics(rankIc, rankIc, 0.3, 0.3, 5, 5, 5.5, 0.55, new double[5], 0.001, p,
                0.3, 0.8, 0.95, 250, List.of(), List.of());
        return new FactorReport("f", "f", "h", Map.of(Split.TRAIN, s));
    }

    private static final RuleJudge RULES = new RuleJudge(JudgePolicy.DEFAULT);

    private static LlmJudge judge(ScriptedModel model) {
        return new LlmJudge(model, SETTINGS, d -> { });
    }

    /** The rule verdict of the search the run passes to the LLM Judge. */
    private static Verdict ruled(FactorReport report, Novelty novelty) {
        return RULES.judgeTrain(report, SMALL, AssetScale.FREE, novelty, RuleJudge.Bar.search(100), null);
    }

    @Test
    void aCancelledCallEndsTheJudgingInsteadOfStandingInForAnUnavailableJudge() {
        // a verdict "judge unavailable" would be recorded and counted; a cancelled candidate must leave no trace
        ScriptedModel m = new ScriptedModel().fail(new RateLimitException("slow down"))
                .say("{\"accept\": true, \"critique\": \"fine\"}");
        AtomicBoolean stop = new AtomicBoolean();
        LlmJudge judge = new LlmJudge(m, SETTINGS, d -> stop.set(true), stop::get); // Ctrl-C during the retry wait
        assertThrows(Cancelled.class, () -> judge.judge("rank(close)", "", report(0.04), SMALL,
                ruled(report(0.04), Novelty.NONE)));
        assertEquals(1, m.calls(), "no second attempt");
    }

    @Test
    void theCritiqueAndSuggestionsAreAddedToAnAcceptedFactor() {
        ScriptedModel m = new ScriptedModel().say("{\"accept\": true, \"critique\": "
                + "\"Plausible reversal.\", \"suggestions\": [\"neutralise by sector\"]}");
        LlmJudge judge = judge(m);
        Judge.Judgement j = judge.judge("-ts_sum(returns, 5)", "reversal", report(0.04), SMALL,
                ruled(report(0.04), Novelty.NONE));
        Verdict v = j.verdict();
        assertTrue(v.accepted());
        assertTrue(v.critique().contains("Plausible reversal.") && v.critique().contains("neutralise by sector"));
        assertEquals(100, j.promptTokens(), "this call's tokens come with the verdict");
        assertEquals(20, j.completionTokens());
    }

    @Test
    void theModelMayRejectWhatTheRulesAccepted() {
        ScriptedModel m = new ScriptedModel().say("{\"accept\": false, \"critique\": "
                + "\"A price level is not a signal.\"}");
        Verdict v = judge(m).judge("rank(close)", "", report(0.04), SMALL, ruled(report(0.04), Novelty.NONE))
                .verdict();
        assertFalse(v.accepted());
        assertTrue(v.summary().contains("A price level is not a signal."), v.summary());
    }

    @Test
    void theModelCannotAcceptWhatAHardRuleRejected() {
        ScriptedModel m = new ScriptedModel().say("{\"accept\": true, \"critique\": "
                + "\"Great factor!\"}");
        Verdict dup = judge(m).judge("rank(close)", "", report(0.04), SMALL, ruled(report(0.04),
                new Novelty("#3", Double.NaN, null, 0, null))).verdict();
        assertFalse(dup.accepted());
        assertTrue(dup.has(Feedback.Category.DUPLICATE));
        ScriptedModel m2 = new ScriptedModel().say("{\"accept\": true}");
        assertFalse(judge(m2).judge("f", "", report(0.5), SMALL, ruled(report(0.5), Novelty.NONE)).verdict()
                .accepted(),
                "leakage stands");
    }

    @Test
    void whenTheModelFailsTheRuleVerdictStands() {
        ScriptedModel m = new ScriptedModel().fail(new dev.langchain4j.exception.InvalidRequestException("no"));
        Verdict v = judge(m).judge("-ts_sum(returns, 5)", "", report(0.04), SMALL, ruled(report(0.04),
                Novelty.NONE)).verdict();
        assertTrue(v.accepted());
        assertTrue(v.critique().contains("unavailable"), v.critique());
    }

    @Test
    void aRefusedKeyStopsTheJudgingInsteadOfLeavingEveryFactorToTheRules() {
        ScriptedModel m = new ScriptedModel().fail(new AuthenticationException("no"));
        LlmJudge judge = judge(m);
        Verdict ruled = ruled(report(0.04), Novelty.NONE);
        assertThrows(Refused.class, () -> judge.judge("-ts_sum(returns, 5)", "", report(0.04), SMALL, ruled));
        assertThrows(Refused.class, () -> judge.judge("-ts_sum(returns, 5)", "", report(0.04), SMALL, ruled));
        assertEquals(1, m.calls(), "nothing more is sent");
    }

    @Test
    void theVerdictComesFromTheRulesThePassedVerdictUsedNotFromDefaultThresholds() {
        // a run with a stricter policy than the default: its rules reject a rank IC of 0.04
        JudgePolicy strict = JudgePolicy.DEFAULT.withMinRankIc(0.05);
        Verdict strictRules = new RuleJudge(strict).judgeTrain(report(0.04), SMALL, AssetScale.FREE, Novelty.NONE,
                RuleJudge.Bar.search(100), null);
        ScriptedModel m = new ScriptedModel().say("{\"accept\": true, \"critique\": \"Fine.\"}");
        Verdict v = judge(m).judge("-ts_sum(returns, 5)", "", report(0.04), SMALL, strictRules).verdict();
        assertFalse(v.accepted());
        assertTrue(v.has(Feedback.Category.WEAK_SIGNAL), v.summary());
        assertTrue(m.lastUserMessage().contains("needs 0.050"), m.lastUserMessage());
    }

    @Test
    void asAJudgeTheModelSeesTheFormulaAsWrittenAfterTheRulesAndItsTokensComeWithTheVerdict() {
        Judge.Candidate c = new Judge.Candidate(new dev.quantagent.sandbox.Sandbox(
                dev.quantagent.sandbox.Limits.DEFAULT).parse("-ts_sum(returns,5)"), "reversal", report(0.04),
                Novelty.NONE, RuleJudge.Bar.search(100), null);
        Judge.Judgement rules = ((Judge) RULES).judge(c, null);
        assertTrue(rules.verdict().accepted(), rules.verdict().summary());
        assertEquals(0, rules.promptTokens() + rules.completionTokens(), "the rules cost no tokens");
        ScriptedModel m = new ScriptedModel().say("{\"accept\": true, \"critique\": \"Fine.\"}");
        Judge.Judgement llm = ((Judge) judge(m)).judge(c, rules.verdict());
        assertTrue(m.lastUserMessage().contains("Factor: -ts_sum(returns,5)" + System.lineSeparator()),
                m.lastUserMessage());
        assertEquals(rules.verdict().feedback(), llm.verdict().feedback());
        assertEquals(100, llm.promptTokens());
        assertEquals(20, llm.completionTokens());
    }

    @Test
    void thePromptCarriesTheComputedStatisticsAndRuleFindings() {
        String p = LlmJudge.prompt("f", "h", report(0.0412), SMALL, ruled(report(0.0412), Novelty.NONE));
        assertTrue(p.contains("Train: rank IC 0.0412 (Newey-West t 5.50)") && p.contains("Sharpe 1.50 after costs")
                && p.contains("Accepted"), p);
        assertFalse(p.contains("alid"), "the search's Judge never sees valid: " + p);
    }
}
