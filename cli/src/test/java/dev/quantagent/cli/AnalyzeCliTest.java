package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.assistant.Analysis;
import dev.quantagent.cli.analysis.SchemaCheck;
import dev.quantagent.testkit.FakeOpenAi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCliTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** The committed example backtest, copied out of the test resources. */
    private Path example() throws IOException {
        return resource("btc-trend-v1.1.json");
    }

    /** A file of the test resources' backtests folder, copied to the temporary directory. */
    private String resourcePath(String name) throws IOException {
        return resource(name).toString();
    }

    private Path resource(String name) throws IOException {
        Path f = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/backtests/" + name)) {
            Files.write(f, in.readAllBytes());
        }
        return f;
    }

    /** The example as CSV files, with the flags that state what its JSON document does. */
    private List<String> exampleCsv(String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("--trades", resourcePath("btc-trend-v1.1-trades.csv"),
                "--equity", resourcePath("btc-trend-v1.1-equity.csv"), "--asset-class", "crypto",
                "--type", "trend following, perpetual futures", "--period", "2023-01-01..2023-12-31",
                "--leverage", "2", "--fees-bps", "5.5", "--slippage-bps", "2", "--in-sample-end", "2023-09-30"));
        args.addAll(List.of(more));
        return args;
    }

    private static CliRun run(List<String> args, String... more) {
        List<String> all = new ArrayList<>(List.of("analyze"));
        all.addAll(args);
        all.addAll(List.of(more));
        return CliRun.of(all.toArray(new String[0]));
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

    @Test
    void anOutFileInAMissingDirectoryExitsWithTwoNamingTheFileAndWhy() throws IOException {
        Path out = dir.resolve("no-such-dir").resolve("report.md");
        CliRun r = CliRun.of("analyze", example().toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: --out " + out + ": cannot write: no such directory"), r.err());
        assertFalse(r.err().contains("internal error"), r.err());
    }

    @Test
    void anOutPathThatIsADirectoryExitsWithTwo() throws IOException {
        CliRun r = CliRun.of("analyze", "--schema", "input", "--out", dir.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out " + dir + ": cannot write: it is a directory"), r.err());
    }

    @Test
    void anInputThatIsADirectoryExitsWithTwoSayingSo() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("backtests"));
        CliRun r = CliRun.of("analyze", folder.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(folder + ": cannot read: it is a directory"), r.err());
    }

    @Test
    void aCsvBacktestFileThatIsADirectoryExitsWithTwo() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("equity.csv"));
        CliRun r = CliRun.of("analyze", "--equity", folder.toString(), "--asset-class", "crypto");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(folder + ": cannot read"), r.err());
    }

    @Test
    void theExampleAsTradesAndEquityCsvGivesTheSameMetricsAsItsJson() throws IOException {
        CliRun csv = run(exampleCsv(), "--format", "json");
        assertEquals(0, csv.code(), csv.err());
        JsonNode c = MAPPER.readTree(csv.out());
        JsonNode j = MAPPER.readTree(CliRun.of("analyze", example().toString(), "--format", "json").out());
        assertEquals("btc-trend-v1.1", c.get("strategy").asText(), "named after what the two file names share");
        assertEquals(j.get("metrics"), c.get("metrics"));
        assertEquals(j.get("in_sample_vs_out_of_sample"), c.get("in_sample_vs_out_of_sample"));
        assertEquals(j.get("cost_sensitivity"), c.get("cost_sensitivity"));
    }

    @Test
    void twoCsvBacktestsAreComparedInTheOrderGiven() throws IOException {
        List<String> args = exampleCsv("--strategy", "v1.1");
        // a second --trades starts the next backtest
        args.addAll(List.of("--trades", resourcePath("btc-trend-v1.1-trades.csv"), "--equity",
                resourcePath("btc-trend-v1.1-equity.csv"), "--asset-class", "crypto", "--leverage", "50",
                "--strategy", "v1.2"));
        CliRun r = run(args, "--verbosity", "brief");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("# Comparison: v1.1 → v1.2"), r.out());
        // same trades at 50x leverage: the worst, a 2.4% adverse move, liquidates; the grade falls, the score does not
        assertTrue(r.out().contains("| Grade | B (75) → D (") && r.out().contains(") | worsened |"), r.out());
    }

    @Test
    void aBenchmarkCsvGivesBetaAndTheRegimeTable() throws IOException {
        CliRun r = run(exampleCsv("--benchmark", resourcePath("btc-benchmark-2023.csv")), "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = MAPPER.readTree(r.out());
        assertEquals(365, j.get("benchmark").get("matched_points").asInt());
        assertEquals("date", j.get("benchmark").get("matched_by").asText());
        assertTrue(j.get("metrics").get("beta").get("value").isNumber());
        JsonNode rows = j.get("regimes").get("rows");
        assertEquals(10, rows.size(), "4 trend / volatility, 3 volatility percentile, 3 trend strength");
        assertEquals(20, j.get("regimes").get("window_days").asInt());
        assertEquals(364 - 19, trendVolPeriods(rows), "364 daily intervals, the first 19 fill the 20-day window");

        CliRun md = run(exampleCsv("--benchmark", resourcePath("btc-benchmark-2023.csv")));
        assertTrue(md.out().contains("## Benchmark and market regimes"), md.out());
        assertTrue(md.out().contains("| trend / volatility | bear / high vol |")
                || md.out().contains("| trend / volatility | **bear / high vol** (flagged) |"), md.out());
    }

    @Test
    void theReadmesComparisonOfThreeVersionsRunsInOrder() throws IOException {
        CliRun r = CliRun.of("analyze", resourcePath("btc-trend-v1.0.json"), resourcePath("btc-trend-v1.1.json"),
                resourcePath("btc-trend-v1.2.json"), "--verbosity", "brief");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("# Comparison: btc-trend v1.0 → btc-trend v1.1 → btc-trend v1.2"), r.out());
        assertTrue(r.out().contains("\nbtc-trend v1.0 → btc-trend v1.2: grade "), r.out());
    }

    private static int trendVolPeriods(JsonNode rows) {
        int periods = 0;
        for (JsonNode g : rows) {
            periods += g.get("group").asText().equals("trend / volatility") ? g.get("periods").asInt() : 0;
        }
        return periods;
    }

    @Test
    void theRegimeWindowIsAnOptionInTradingDays() throws IOException {
        CliRun r = run(exampleCsv("--benchmark", resourcePath("btc-benchmark-2023.csv")), "--format", "json",
                "--regime-window", "10");
        assertEquals(0, r.code(), r.err());
        JsonNode j = MAPPER.readTree(r.out());
        assertEquals(10, j.get("regimes").get("window_days").asInt());
        assertEquals(364 - 9, trendVolPeriods(j.get("regimes").get("rows")));
        CliRun bad = run(exampleCsv(), "--regime-window", "1");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--regime-window"), bad.err());
    }

    @Test
    void aLongPanelBenchmarkIsReadForTheChosenSymbol() throws IOException {
        Path panel = dir.resolve("panel.csv");
        StringBuilder sb = new StringBuilder("date,symbol,close\n");
        java.time.LocalDate d = java.time.LocalDate.of(2023, 1, 1);
        for (int i = 0; i < 365; i++) {
            sb.append(d.plusDays(i)).append(",BTC,").append(100 + 10 * Math.sin(i / 10.0)).append('\n');
            sb.append(d.plusDays(i)).append(",ETH,").append(50 + i).append('\n');
        }
        Files.writeString(panel, sb);
        CliRun ok = CliRun.of("analyze", example().toString(), "--benchmark", panel.toString(),
                "--benchmark-symbol", "BTC", "--format", "json");
        assertEquals(0, ok.code(), ok.err());
        assertEquals(panel + " (BTC)", MAPPER.readTree(ok.out()).get("benchmark").get("source").asText());

        CliRun which = CliRun.of("analyze", example().toString(), "--benchmark", panel.toString());
        assertEquals(2, which.code());
        assertTrue(which.err().contains("holds 2 symbols; choose the benchmark among them (--benchmark-symbol): BTC, "
                + "ETH"), which.err());
    }

    @Test
    void aBenchmarkFromAnotherPeriodExitsWithTwo() throws IOException {
        Path bench = dir.resolve("old.csv");
        Files.writeString(bench, "date,close\n2020-01-01,10\n2020-01-02,11\n2020-01-03,12\n");
        CliRun r = CliRun.of("analyze", example().toString(), "--benchmark", bench.toString());
        assertEquals(2, r.code());
        assertEquals("error: " + bench + ": the benchmark covers 2020-01-01 .. 2020-01-03, the equity curve of "
                + "\"btc-trend v1.1\" covers 2023-01-01 .. 2023-12-31: the periods do not overlap", r.err().trim());
    }

    @Test
    void aBadCsvCellExitsWithTwoAndNamesTheFileLineAndColumn() throws IOException {
        Path trades = dir.resolve("trades.csv");
        Files.writeString(trades, "entry_time,exit_time,direction,pnl,return\n2023-01-02,2023-01-03,long,12.5,0.01\n"
                + "2023-01-04,2023-01-05,flat,3,0.01\n");
        CliRun r = CliRun.of("analyze", "--trades", trades.toString(), "--equity",
                resourcePath("btc-trend-v1.1-equity.csv"), "--asset-class", "crypto");
        assertEquals(2, r.code());
        assertEquals("error: " + trades + ":3: column 3 (direction) is not a direction: \"flat\"; expected long, "
                + "short, buy or sell", r.err().trim());
    }

    @Test
    void csvInputWithoutAnAssetClassExitsWithTwo() throws IOException {
        CliRun r = CliRun.of("analyze", "--equity", resourcePath("btc-trend-v1.1-equity.csv"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--asset-class is required"), r.err());
    }

    @Test
    void tradesAloneWithoutACapitalExitWithTwo() throws IOException {
        CliRun r = CliRun.of("analyze", "--trades", resourcePath("btc-trend-v1.1-trades.csv"), "--asset-class",
                "crypto");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("trades without --equity need --capital X"), r.err());
    }

    @Test
    void aCsvFileGivenAsAJsonInputIsPointedToTheCsvOptions() throws IOException {
        CliRun r = CliRun.of("analyze", resourcePath("btc-trend-v1.1-trades.csv"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a JSON document; a CSV file goes after --trades or --equity"), r.err());
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
    void eachLlmNarrativeIsAnnouncedOnStandardErrorAsItStarts() throws IOException {
        Path v11 = example();
        ObjectNode doc = (ObjectNode) MAPPER.readTree(Files.readString(v11));
        doc.put("strategy", "btc-trend v1.2");
        Path v12 = dir.resolve("v12.json");
        Files.writeString(v12, doc.toString());
        try (FakeOpenAi server = new FakeOpenAi()) {
            server.complete(NARRATIVE, 1000, 234).complete(NARRATIVE, 1000, 234);
            CliRun r = CliRun.withEnv(Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", server.baseUrl()), "analyze",
                    v11.toString(), v12.toString());
            assertEquals(0, r.code(), r.err());
            int first = r.err().indexOf("LLM narrative 1/2: btc-trend v1.1 (gpt-4o-mini)...");
            int second = r.err().indexOf("LLM narrative 2/2: btc-trend v1.2 (gpt-4o-mini)...");
            int total = r.err().indexOf("LLM narrative: gpt-4o-mini");
            assertTrue(first >= 0 && first < second && second < total, r.err());
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

    // ---------------------------------------------------------------- the JSON Schemas

    @Test
    void theSchemaOptionPrintsTheInputSchemaAndExitsZero() throws IOException {
        CliRun r = CliRun.of("analyze", "--schema", "input");
        assertEquals(0, r.code(), r.err());
        assertEquals(SchemaCheck.Shipped.INPUT.text(), r.out());
        JsonNode schema = MAPPER.readTree(r.out());
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asText());
        assertTrue(schema.get("required").toString().contains("equity_curve"), r.out());
    }

    @Test
    void theSchemaOptionPrintsTheReportSchemaToOut() throws IOException {
        Path out = dir.resolve("report.schema.json");
        CliRun r = CliRun.of("analyze", "--schema", "Report", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertEquals(SchemaCheck.Shipped.REPORT.text(), Files.readString(out));
    }

    @Test
    void anUnknownSchemaExitsWithTwo() {
        CliRun r = CliRun.of("analyze", "--schema", "output");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--schema: expected one of input, report, got \"output\""), r.err());
    }

    @Test
    void theJsonReportOfTheExampleIsValidAgainstTheReportSchema() throws IOException {
        CliRun r = CliRun.of("analyze", example().toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        SchemaCheck.assertValid(SchemaCheck.Shipped.REPORT, r.out());
    }

    @Test
    void theJsonReportWithABenchmarkAndItsRegimesIsValid() throws IOException {
        CliRun r = CliRun.of("analyze", example().toString(), "--benchmark", resourcePath("btc-benchmark-2023.csv"),
                "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = MAPPER.readTree(r.out());
        assertTrue(j.get("benchmark").isObject() && j.get("regimes").get("rows").size() == 10, r.out());
        SchemaCheck.assertValid(SchemaCheck.Shipped.REPORT, r.out());
    }

    @Test
    void theJsonReportOfAnEquityCurveAloneIsValidWithTradeStatisticsNull() throws IOException {
        CliRun r = CliRun.of("analyze", "--equity", resourcePath("btc-trend-v1.1-equity.csv"), "--asset-class",
                "crypto", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode metrics = MAPPER.readTree(r.out()).get("metrics");
        assertTrue(metrics.get("trade_count").get("value").isNull(), r.out());
        assertTrue(metrics.get("win_rate").get("value").isNull(), r.out());
        SchemaCheck.assertValid(SchemaCheck.Shipped.REPORT, r.out());
    }

    @Test
    void theJsonComparisonOfTwoBacktestsIsValid() throws IOException {
        Path v11 = example();
        ObjectNode doc = (ObjectNode) MAPPER.readTree(Files.readString(v11));
        doc.put("strategy", "btc-trend v1.2");
        doc.put("leverage", 8);
        Path v12 = dir.resolve("v12.json");
        Files.writeString(v12, doc.toString());
        CliRun r = CliRun.of("analyze", v11.toString(), v12.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals(2, MAPPER.readTree(r.out()).get("reports").size(), r.out());
        SchemaCheck.assertValid(SchemaCheck.Shipped.REPORT, r.out());
    }

    @Test
    void theJsonReportWithAnLlmNarrativeIsValid() throws IOException {
        try (FakeOpenAi server = new FakeOpenAi()) {
            server.complete(NARRATIVE, 1000, 234);
            CliRun r = CliRun.withEnv(Map.of("OPENAI_API_KEY", "k", "OPENAI_BASE_URL", server.baseUrl()), "analyze",
                    example().toString(), "--format", "json");
            assertEquals(0, r.code(), r.err());
            assertTrue(MAPPER.readTree(r.out()).get("narrative").get("used").asBoolean(), r.out());
            SchemaCheck.assertValid(SchemaCheck.Shipped.REPORT, r.out());
        }
    }

    @Test
    void theJsonReportOfARefusingLlmEndpointIsValid() throws IOException {
        try (FakeOpenAi server = new FakeOpenAi()) {
            server.reply(401, "{\"error\":{\"message\":\"invalid api key\"}}", null);
            CliRun r = CliRun.withEnv(Map.of("OPENAI_API_KEY", "bad", "OPENAI_BASE_URL", server.baseUrl()),
                    "analyze", example().toString(), "--format", "json");
            assertEquals(0, r.code(), r.err());
            assertFalse(MAPPER.readTree(r.out()).get("narrative").get("used").asBoolean(), r.out());
            SchemaCheck.assertValid(SchemaCheck.Shipped.REPORT, r.out());
        }
    }

    @Test
    void aGzipFileThatUnpacksToTooMuchIsRefusedSayingHowMuchIsTooMuch() throws IOException {
        Path bomb = dir.resolve("bomb.json.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(bomb))) {
            out.write("{\"strategy\": \"".getBytes(StandardCharsets.UTF_8));
            out.write(new byte[3 << 20]); // 3 MB of zeros: a few kilobytes of gzip
        }
        QuantAgentCli.UserError e = org.junit.jupiter.api.Assertions.assertThrows(QuantAgentCli.UserError.class,
                () -> AnalyzeCommand.read(bomb, 2 << 20));
        assertEquals(bomb + ": the file unpacks to more than 2 MB, the most analyze reads of one file (it may be a "
                + "gzip bomb); give Java more memory (QUANTAGENT_JAVA_OPTS=-Xmx16g) for a larger backtest", e.getMessage());
    }

    @Test
    void aTruncatedGzipBacktestSaysSo() throws IOException {
        byte[] whole = Files.readAllBytes(gzip(example()));
        Path cut = Files.write(dir.resolve("cut.json.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        CliRun r = CliRun.of("analyze", cut.toString(), "--no-llm");
        assertEquals(2, r.code(), r.err());
        assertEquals("error: " + cut + ": the gzip file is truncated: it ends before its compressed data does",
                r.err().strip());
    }

    private Path gzip(Path file) throws IOException {
        Path gz = dir.resolve(file.getFileName() + ".gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(file));
        }
        return gz;
    }
}
