package dev.quantagent.cli.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.quantagent.assistant.Narrative;
import dev.quantagent.assistant.Narrator;
import dev.quantagent.assistant.Report;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.testkit.ScriptedModel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The LLM narrative with a fake chat model. The backtest: 40 business days alternating +2% and -1% (total return
 * 1.0098^20 - 1 = 21.54%), and 35 one-day trades of which 21 win 2% and 14 lose 1% (win rate 60%, P&L 420 against
 * 140: profit factor 3.0). Named Analy* so the module's usual filter for the analysis tests runs it.
 */
class AnalysisNarratorTest {

    /** $1 per million prompt tokens and $2 per million completion tokens. */
    private static final LlmSettings SETTINGS = new LlmSettings("http://localhost", "k", "test-model",
            Duration.ofSeconds(5), 2, 2, 1.0, 2.0);

    static final String GOOD = "{\"summary\": \"Over 35 trades the strategy won 60% of the time with a profit factor "
            + "of 3.0 and returned 21.5% in total.\", \"recommendations\": [{\"index\": 1, \"deepening\": \"With 35 "
            + "trades behind it, confirm the 60% win rate out of sample before sizing up.\"}]}";
    static final String INVENTED = "{\"summary\": \"A Sharpe of 1.75 and 35 trades.\", \"recommendations\": []}";

    static Report report() {
        double[] returns = new double[40];
        for (int i = 0; i < returns.length; i++) {
            returns[i] = i % 2 == 0 ? 0.02 : -0.01;
        }
        return new Fixture("alt", "equity", false, returns).trades(35).analyze();
    }

    private static Narrator narrator(ScriptedModel m) {
        return new Narrator(m, SETTINGS, d -> { });
    }

    @Test
    void theFixtureHasTheFiguresTheRepliesQuote() {
        Report r = report();
        assertEquals(35, r.metrics().tradeCount());
        assertEquals(0.60, r.metrics().winRate(), 1e-12);
        assertEquals(3.0, r.metrics().profitFactor(), 1e-12);
        assertEquals(0.2153666840752364, r.metrics().totalReturn(), 1e-12);
        assertFalse(r.recommendations().isEmpty(), "a recommendation to deepen");
    }

    @Test
    void aNarrativeQuotingOnlyComputedFiguresIsUsedWithItsTokensAndCost() {
        ScriptedModel m = new ScriptedModel().say(GOOD);
        Narrative n = narrator(m).narrate(report());
        assertTrue(n.used(), String.valueOf(n.fallback()));
        assertTrue(n.summary().startsWith("Over 35 trades"));
        assertTrue(n.deepenings().get(0).startsWith("With 35 trades behind it"));
        assertEquals(1, n.replies());
        assertEquals(100, n.promptTokens());
        assertEquals(20, n.completionTokens());
        assertEquals((100 * 1.0 + 20 * 2.0) / 1e6, n.cost(), 1e-15);
    }

    @Test
    void theRequestAsksForAJsonSchemaAndGivesTheFiguresButNoNumbersOfItsOwn() {
        ScriptedModel m = new ScriptedModel().say(GOOD);
        narrator(m).narrate(report());
        var format = m.received().get(0).responseFormat();
        assertEquals(ResponseFormatType.JSON, format.type());
        assertEquals("backtest_narrative", format.jsonSchema().name());
        assertTrue(m.lastUserMessage().contains("- Trades: 35") && m.lastUserMessage().contains("R1 ("),
                m.lastUserMessage());
        String system = ((SystemMessage) m.received().get(0).messages().get(0)).text();
        assertFalse(system.matches("(?s).*\\d.*"), "the instructions state no numbers the model could quote");
    }

    @Test
    void anInventedNumberIsSentBackAndTheCorrectionUsed() {
        ScriptedModel m = new ScriptedModel().say(INVENTED).say(GOOD);
        Narrative n = narrator(m).narrate(report());
        assertTrue(n.used());
        assertEquals(2, n.replies());
        assertEquals(List.of("these numbers are not among the computed figures: 1.75"), n.rejected());
        assertTrue(m.lastUserMessage().contains("not among the computed figures: 1.75"), m.lastUserMessage());
        assertEquals(200, n.promptTokens());
    }

    @Test
    void aNumberInventedTwiceLeavesTheRuleBasedSummaryAloneAndSaysWhy() {
        Narrative n = narrator(new ScriptedModel().say(INVENTED).say(INVENTED)).narrate(report());
        assertFalse(n.used());
        assertNull(n.summary());
        assertTrue(n.fallback().contains("rejected twice") && n.fallback().contains("1.75"), n.fallback());
        Report r = report();
        String md = Reports.markdown(List.of(r.withNarrative(n)), Verbosity.STANDARD, java.time.Instant.EPOCH);
        assertTrue(md.contains("> **No LLM narrative**: the model's narrative was rejected twice"), md);
        assertTrue(md.contains(r.summary()), "the rule-based summary is there");
        assertFalse(md.contains("A Sharpe of 1.75"));
    }

    @Test
    void aReplyThatIsNotTheJsonAskedForIsSentBack() {
        ScriptedModel m = new ScriptedModel().say("Sure! The strategy looks fine.").say(GOOD);
        Narrative n = narrator(m).narrate(report());
        assertTrue(n.used());
        assertTrue(n.rejected().get(0).contains("not the JSON object asked for"), n.rejected().toString());
    }

    @Test
    void anEndpointFailureLeavesTheRuleBasedReportComplete() {
        Narrative n = narrator(new ScriptedModel().fail(new AuthenticationException("bad key"))).narrate(report());
        assertFalse(n.used());
        assertTrue(n.fallback().startsWith("no narrative from the LLM: the LLM endpoint refused the request"),
                n.fallback());
        Report r = report();
        String plain = Reports.markdown(List.of(r), Verbosity.EXPERT, java.time.Instant.EPOCH);
        String narrated = Reports.markdown(List.of(r.withNarrative(n)), Verbosity.EXPERT, java.time.Instant.EPOCH);
        for (String line : plain.split("\n")) {
            assertTrue(narrated.contains(line), "missing: " + line);
        }
    }

    @Test
    void theNarrativeIsLabelledAsWrittenByAnLlmInMarkdownJsonAndHtml() {
        Report r = report();
        Narrative n = narrator(new ScriptedModel().say(GOOD)).narrate(r);
        Report narrated = r.withNarrative(n);
        String md = Reports.markdown(List.of(narrated), Verbosity.STANDARD, java.time.Instant.EPOCH);
        assertTrue(md.contains("> **LLM narrative**, written by test-model, every number checked against "
                + "the computed figures; 120 tokens, $0.0001:\n>\n> Over 35 trades"), md);
        assertTrue(md.contains("  - *LLM*: With 35 trades behind it"), md);
        JsonNode j = Reports.tree(narrated, java.time.Instant.EPOCH).get("narrative");
        assertEquals("llm", j.get("source").asText());
        assertTrue(j.get("used").asBoolean());
        assertEquals(r.recommendations().get(0).title(), j.get("recommendations").get(0).get("title").asText());
        assertEquals(120, j.get("prompt_tokens").asInt() + j.get("completion_tokens").asInt());
        String html = dev.quantagent.cli.html.AnalysisPage.html(List.of(narrated), java.time.Instant.EPOCH);
        assertTrue(html.contains("<div class=\"llm\"><div class=\"label\">LLM narrative, written by test-model"), html);
        assertTrue(html.contains("<span class=\"label\">LLM</span> With 35 trades behind it"));
    }

    @Test
    void htmlInTheNarrativeIsEscaped() {
        String hostile = "{\"summary\": \"<img src=x onerror=alert('pwned')> Looks fine.\", \"recommendations\": []}";
        Report r = report();
        String html = dev.quantagent.cli.html.AnalysisPage.html(List.of(r.withNarrative(narrator(new ScriptedModel().say(hostile)).narrate(r))), java.time.Instant.EPOCH);
        assertFalse(html.contains("<img src=x"));
        assertTrue(html.contains("&lt;img src=x onerror=alert(&#39;pwned&#39;)&gt; Looks fine."));
    }
}
