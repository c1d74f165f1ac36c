package dev.quantagent.cli.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quantagent.assistant.Narrative;
import dev.quantagent.assistant.Narrator;
import dev.quantagent.assistant.Report;
import dev.quantagent.llm.LlmChat;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.testkit.FakeOpenAi;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM narrative through langchain4j's OpenAI client against a local server speaking the chat-completions
 * protocol. Named Analy* so the module's usual filter for the analysis tests runs it.
 */
class AnalysisNarratorEndpointTest {

    private final FakeOpenAi server = new FakeOpenAi();

    @AfterEach
    void stop() {
        server.close();
    }

    /** Three attempts per call, list prices of gpt-4o-mini, no waiting between attempts. */
    private Narrator narrator() {
        LlmSettings s = new LlmSettings(server.baseUrl(), "test-key", "gpt-4o-mini", Duration.ofSeconds(10), 3, 2,
                0.15, 0.60);
        return new Narrator(LlmChat.openAi(s), s, d -> { });
    }

    @Test
    void theRequestCarriesTheJsonSchemaAndTheNarrativeComesBackWithItsUsage() throws IOException {
        server.complete(AnalysisNarratorTest.GOOD, 1500, 200);
        Narrative n = narrator().narrate(AnalysisNarratorTest.report());
        assertTrue(n.used(), String.valueOf(n.fallback()));
        assertEquals(1500, n.promptTokens());
        assertEquals(200, n.completionTokens());
        assertEquals((1500 * 0.15 + 200 * 0.60) / 1e6, n.cost(), 1e-15);
        JsonNode format = new ObjectMapper().readTree(server.requests().get(0)).get("response_format");
        assertEquals("json_schema", format.get("type").asText(), format.toString());
        assertEquals("backtest_narrative", format.get("json_schema").get("name").asText());
        assertTrue(format.get("json_schema").get("schema").get("properties").has("recommendations"));
    }

    @Test
    void anInventedNumberIsRejectedAndTheCorrectionUsed() {
        server.complete(AnalysisNarratorTest.INVENTED, 10, 5).complete(AnalysisNarratorTest.GOOD, 10, 5);
        Narrative n = narrator().narrate(AnalysisNarratorTest.report());
        assertTrue(n.used());
        assertEquals(2, server.requests().size());
        assertTrue(server.requests().get(1).contains("not among the computed figures: 1.75"));
    }

    @Test
    void aNumberInventedTwiceFallsBackToTheRuleBasedSummary() {
        server.complete(AnalysisNarratorTest.INVENTED, 10, 5).complete(AnalysisNarratorTest.INVENTED, 10, 5);
        Narrative n = narrator().narrate(AnalysisNarratorTest.report());
        assertFalse(n.used());
        assertEquals(20, n.promptTokens(), "both replies are paid for");
        assertEquals(2, n.rejected().size());
    }

    @Test
    void contentThatIsNotJsonTwiceFallsBack() {
        server.complete("I'd rather not.", 10, 5).complete("{\"summary\": \"cut off", 10, 5);
        Narrative n = narrator().narrate(AnalysisNarratorTest.report());
        assertFalse(n.used());
        assertTrue(n.fallback().contains("not the JSON object asked for"), n.fallback());
    }

    @Test
    void serverErrorsLeaveTheRuleBasedReportComplete() {
        // nothing queued: the server answers 500 to every attempt
        Report r = AnalysisNarratorTest.report();
        Narrative n = narrator().narrate(r);
        assertFalse(n.used());
        assertEquals(3, server.requests().size(), "three attempts");
        assertTrue(n.fallback().contains("kept failing after 3 attempts"), n.fallback());
        String md = Reports.markdown(List.of(r.withNarrative(n)), Verbosity.DETAILED, java.time.Instant.EPOCH);
        assertTrue(md.contains("## Recommendations") && md.contains("## Risk checklist") && md.contains(r.summary()));
        assertTrue(md.contains("> **No LLM narrative**: no narrative from the LLM"), md);
    }
}
