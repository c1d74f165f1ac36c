package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.agents.FakeOpenAi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCliTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** The committed example backtest, copied out of the test resources. */
    private Path example() throws IOException {
        Path f = dir.resolve("btc-trend-v1.1.json");
        try (InputStream in = getClass().getResourceAsStream("/backtests/btc-trend-v1.1.json")) {
            Files.write(f, in.readAllBytes());
        }
        return f;
    }

    @Test
    void theExampleBacktestIsAnalysedAsMarkdown() throws IOException {
        CliRun r = CliRun.of("analyze", example().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("# Backtest analysis: btc-trend v1.1"), r.out());
        assertTrue(r.out().contains("**Grade "), r.out());
        assertTrue(r.out().contains("## Recommendations"), r.out());
        assertTrue(!r.out().contains("data_stated_metrics_mismatch"), "the stated total return agrees: " + r.out());
    }

    @Test
    void theExampleBacktestIsAnalysedAsJsonIntoAFile() throws IOException {
        Path out = dir.resolve("report.json");
        CliRun r = CliRun.of("analyze", example().toString(), "--format", "json", "--out", out.toString(),
                "--verbosity", "expert", "--risk-free", "0.04");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        JsonNode j = MAPPER.readTree(Files.readString(out));
        assertEquals("btc-trend v1.1", j.get("strategy").asText());
        assertEquals("crypto", j.get("asset_class").asText());
        assertEquals(365, j.get("annualization").asDouble());
        assertEquals(48, j.get("metrics").get("trade_count").get("value").asInt());
        assertTrue(j.get("in_sample_vs_out_of_sample").isObject());
    }

    @Test
    void theExampleBacktestIsWrittenAsOneHtmlPage() throws IOException {
        Path out = dir.resolve("report.html");
        CliRun r = CliRun.of("analyze", example().toString(), "--format", "html", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("wrote " + out), r.err());
        String html = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("Backtest analysis: btc-trend v1.1"));
        assertTrue(html.contains("Chart.js v4.4.9"));
        assertTrue(html.contains("id=\"chart-data\""));
        assertTrue(html.trim().endsWith("</html>"));
    }

    @Test
    void twoVersionsAreComparedInOrder() throws IOException {
        Path v11 = example();
        ObjectNode doc = (ObjectNode) MAPPER.readTree(Files.readString(v11));
        doc.put("strategy", "btc-trend v1.2");
        doc.put("leverage", 8); // same curve, much more leverage: worse
        Path v12 = dir.resolve("v12.json");
        Files.writeString(v12, doc.toString());
        CliRun r = CliRun.of("analyze", v11.toString(), v12.toString(), "--verbosity", "brief");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("# Comparison: btc-trend v1.1 → btc-trend v1.2"), r.out());
        assertTrue(r.out().contains("| Grade |"), r.out());
    }

    @Test
    void aBenchmarkFileGivesBeta() throws IOException {
        Path bench = dir.resolve("bench.json");
        StringBuilder sb = new StringBuilder("[");
        java.time.LocalDate d = java.time.LocalDate.of(2023, 1, 1);
        for (int i = 0; i < 365; i++) {
            sb.append(i > 0 ? "," : "").append("{\"time\":\"").append(d.plusDays(i)).append("\",\"price\":")
                    .append(100 + 10 * Math.sin(i / 10.0)).append('}');
        }
        Files.writeString(bench, sb.append(']').toString());
        CliRun r = CliRun.of("analyze", example().toString(), "--benchmark", bench.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertTrue(MAPPER.readTree(r.out()).get("metrics").get("beta").get("value").isNumber(), r.out());
    }

    @Test
    void badInputExitsWithTwoAndNamesTheFieldOrTradeIndex() throws IOException {
        ObjectNode doc = (ObjectNode) MAPPER.readTree(Files.readString(example()));
        ((ObjectNode) doc.get("trades").get(7)).put("direction", "sideways");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, doc.toString());
        CliRun r = CliRun.of("analyze", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("/trades/7/direction"), r.err());

        Files.writeString(bad, "{\"strategy\": \"x\"", StandardCharsets.UTF_8);
        CliRun broken = CliRun.of("analyze", bad.toString());
        assertEquals(2, broken.code());
        assertTrue(broken.err().contains("not valid JSON"), broken.err());

        CliRun missing = CliRun.of("analyze", dir.resolve("nope.json").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());

        CliRun format = CliRun.of("analyze", example().toString(), "--format", "pdf");
        assertEquals(2, format.code());
        assertTrue(format.err().contains("--format"), format.err());
    }

    // ---------------------------------------------------------------- the LLM narrative (local server only)

    private static final String NARRATIVE = "{\"summary\": \"A trend follower whose edge has to survive its "
            + "costs.\", \"recommendations\": []}";

    @Test
    void anApiKeyInTheEnvironmentAddsTheLlmNarrativeAndPrintsItsTokensAndCost() throws IOException {
        try (FakeOpenAi server = new FakeOpenAi()) {
            server.complete(NARRATIVE, 1000, 234);
            CliRun r = CliRun.withEnv(Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", server.baseUrl()), "analyze",
                    example().toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("> **LLM narrative**, written by gpt-4o-mini, every number checked "
                    + "against the computed figures; 1,234 tokens, $0.0003:"), r.out());
            // gpt-4o-mini at list price: 1,000 x $0.15/M + 234 x $0.60/M = $0.00029
            assertTrue(r.err().contains("LLM narrative: gpt-4o-mini, 1,234 tokens ($0.0003)"), r.err());
        }
    }

    @Test
    void flagsConfigureTheLlmAsForMining() throws IOException {
        try (FakeOpenAi server = new FakeOpenAi()) {
            server.complete(NARRATIVE, 1000, 500);
            CliRun r = CliRun.withEnv(Map.of(), "analyze", example().toString(), "--format", "json", "--base-url",
                    server.baseUrl(), "--api-key", "k", "--model", "local-llama", "--price-in", "1", "--price-out", "2");
            assertEquals(0, r.code(), r.err());
            JsonNode n = MAPPER.readTree(r.out()).get("narrative");
            assertEquals("local-llama", n.get("model").asText());
            assertEquals(0.002, n.get("cost").asDouble(), 1e-12, "1,000 x $1/M + 500 x $2/M");
            assertTrue(server.requests().get(0).contains("\"local-llama\""));
        }
    }

    @Test
    void noLlmKeepsTheReportRuleBasedEvenWithAKey() throws IOException {
        try (FakeOpenAi server = new FakeOpenAi()) {
            CliRun r = CliRun.withEnv(Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", server.baseUrl()), "analyze",
                    example().toString(), "--no-llm");
            assertEquals(0, r.code(), r.err());
            assertTrue(server.requests().isEmpty());
            assertFalse(r.out().contains("LLM"), r.out());
        }
    }

    @Test
    void withoutAnLlmConfiguredTheReportHasNoNarrative() throws IOException {
        CliRun r = CliRun.of("analyze", example().toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertFalse(MAPPER.readTree(r.out()).has("narrative"));
    }

    @Test
    void aRefusingEndpointLeavesTheRuleBasedReportCompleteAndSaysWhy() throws IOException {
        try (FakeOpenAi server = new FakeOpenAi()) {
            server.reply(401, "{\"error\":{\"message\":\"invalid api key\"}}", null);
            CliRun r = CliRun.withEnv(Map.of("OPENAI_API_KEY", "bad", "OPENAI_BASE_URL", server.baseUrl()),
                    "analyze", example().toString());
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("> **No LLM narrative**: no narrative from the LLM: the LLM endpoint refused "
                    + "the request"), r.out());
            assertTrue(r.out().contains("## Recommendations") && r.out().contains("**Grade "));
        }
    }
}
