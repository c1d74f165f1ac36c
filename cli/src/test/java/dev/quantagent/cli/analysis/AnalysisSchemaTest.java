package dev.quantagent.cli.analysis;

import static dev.quantagent.cli.analysis.SchemaCheck.Shipped.INPUT;
import static dev.quantagent.cli.analysis.SchemaCheck.Shipped.REPORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.assistant.Analysis;
import dev.quantagent.assistant.Backtest;
import dev.quantagent.assistant.BacktestFormatException;
import dev.quantagent.assistant.Narrator;
import dev.quantagent.assistant.Report;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.testkit.ScriptedModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped JSON Schemas held to the code by an independent validator: the input schema accepts what
 * {@link Backtest#parse} accepts and refuses what it refuses; the report schema knows every field {@link Reports}
 * writes. The CLI's JSON outputs are checked in {@code AnalyzeCliTest}.
 */
class AnalysisSchemaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final LlmSettings SETTINGS = new LlmSettings("http://localhost", "k", "test-model",
            Duration.ofSeconds(5), 2, 2, 1.0, 2.0);

    private static String example() {
        try (InputStream in = AnalysisSchemaTest.class.getResourceAsStream("/backtests/btc-trend-v1.1.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode exampleDoc() {
        return (ObjectNode) SchemaCheck.tree(example());
    }

    private static boolean parses(String json) {
        try {
            Backtest.parse(json, "test");
            return true;
        } catch (BacktestFormatException e) {
            return false;
        }
    }

    private static boolean valid(String json) {
        return SchemaCheck.errors(INPUT, json).isEmpty();
    }

    /** A small document (three days, one trade) with one field set to a value, for the accepts-exactly tests. */
    private static String small(String field, String value) {
        Fixture f = new Fixture("small", "crypto", true, new double[] {0.01, -0.01}).trade(0, 0.01);
        if (field.equals("direction")) {
            ((ObjectNode) f.doc.get("trades").get(0)).put("direction", value);
        } else {
            f.doc.put(field, value);
        }
        return f.json();
    }

    private static ObjectNode trade(ObjectNode doc, int i) {
        return (ObjectNode) doc.get("trades").get(i);
    }

    @ParameterizedTest
    @EnumSource(SchemaCheck.Shipped.class)
    void theSchemaIsAValidDraft202012Schema(SchemaCheck.Shipped which) {
        assertEquals(List.of(), SchemaCheck.metaErrors(which));
    }

    // ---------------------------------------------------------------- the input schema

    @Test
    void theExampleBacktestIsValidAgainstTheInputSchema() {
        assertTrue(parses(example()));
        SchemaCheck.assertValid(INPUT, example());
    }

    /** Each a mistake planted in the example, that the parser refuses. */
    static Stream<Arguments> plantedErrors() {
        Map<String, Consumer<ObjectNode>> m = new LinkedHashMap<>();
        m.put("a trade going sideways", d -> trade(d, 7).put("direction", "sideways"));
        m.put("no equity curve", d -> d.remove("equity_curve"));
        m.put("an equity curve of one point", d -> ((ArrayNode) d.get("equity_curve")).removeAll().addObject()
                .put("time", "2023-01-01").put("equity", 10_000));
        m.put("equity as text", d -> ((ObjectNode) d.get("equity_curve").get(3)).put("equity", "10000"));
        m.put("no strategy", d -> d.remove("strategy"));
        m.put("bonds as the asset class", d -> d.put("asset_class", "bonds"));
        m.put("a period without an end", d -> ((ObjectNode) d.get("period")).remove("end"));
        m.put("29 February 2023", d -> ((ObjectNode) d.get("period")).put("start", "2023-02-29"));
        m.put("a time as a number", d -> ((ObjectNode) d.get("equity_curve").get(3)).put("time", 1_672_704_000));
        m.put("no trades array", d -> d.remove("trades"));
        m.put("a trade that is not an object", d -> ((ArrayNode) d.get("trades")).add(1));
        m.put("a trade without pnl", d -> trade(d, 0).remove("pnl"));
        m.put("a trade with neither a return nor an entry price", d -> trade(d, 0).remove(List.of("return",
                "entry_price")));
        m.put("a trade with a null return and a zero entry price", d -> trade(d, 0).putNull("return")
                .put("entry_price", 0));
        m.put("zero leverage", d -> d.put("leverage", 0));
        m.put("fees beyond a double", d -> d.put("fees_bps", new BigDecimal("1e400")));
        m.put("universe_fixed as text", d -> d.put("universe_fixed", "yes"));
        m.put("metrics as a list", d -> d.putArray("metrics"));
        m.put("a benchmark that is a ticker", d -> d.put("benchmark", "BTCUSDT"));
        m.put("an empty benchmark", d -> d.putArray("benchmark"));
        m.put("in_sample_end as a number", d -> d.put("in_sample_end", 20230930));
        return m.entrySet().stream().map(e -> arguments(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plantedErrors")
    void aDocumentTheParserRejectsIsRejectedByTheSchemaToo(String what, Consumer<ObjectNode> plant) {
        ObjectNode doc = exampleDoc();
        plant.accept(doc);
        assertThrows(BacktestFormatException.class, () -> Backtest.parse(doc.toString(), "test"), what);
        assertFalse(valid(doc.toString()), what + ": the schema let it through");
    }

    @Test
    void theSchemaPointsAtTheFieldTheParserNames() {
        ObjectNode doc = exampleDoc();
        trade(doc, 7).put("direction", "sideways");
        String parser = assertThrows(BacktestFormatException.class, () -> Backtest.parse(doc.toString(), "test"))
                .getMessage();
        assertTrue(parser.contains("/trades/7/direction"), parser);
        List<String> schema = SchemaCheck.errors(INPUT, doc.toString());
        assertTrue(schema.stream().anyMatch(e -> e.startsWith("/trades/7/direction")), schema.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2023-01-01", " 2023-01-01\t", "2023-02-29", "2024-02-29", "1900-02-29", "2000-02-29",
        "2023-04-31", "2023-12-31", "2023-01-01\u0085", "\u00a02023-01-01", "2023-1-01", "20230101", "2023", "",
        "0000-02-29",
        "2023-01-01T12:00", "2023-01-01t12:00", "2023-01-01 12:00", "2023-01-01  12:00", "2023-01-01T12",
        "2023-01-01T1:00", "2023-01-01T12:0", "2023-01-01T12:00:0", "2023-01-01T24:00", "2023-01-01T23:59:60",
        "2023-01-01T23:59:59", "2023-01-01T12:00:00.", "2023-01-01T12:00:00.Z", "2023-01-01T12:00:00.123456789",
        "2023-01-01T12:00:00.1234567891", "2023-01-01T12:00:00,5", "2023-01-01T12:00:00.5+01:00",
        "2023-01-01T12:00Z", "2023-01-01T12:00z", "2023-01-01T12:00+01", "2023-01-01T12:00+0100",
        "2023-01-01T12:00+01:00", "2023-01-01T12:00+01:00:30", "2023-01-01T12:00+1", "2023-01-01T12:00+18:00",
        "2023-01-01T12:00+18:00:01", "2023-01-01T12:00-18:00", "2023-01-01T12:00+19:00",
        "2023-01-01T12:00+17:59:59", "2023-01-01T12:00-00:00", "2023-01-01T12:00+01:60", "2023-01-01T12:00+01:00Z",
        "2023-01-01T12:00[UTC]", "2023-01-01T12:00Z[UTC]", "2023-01-01T12:00:00.000000000Z",
        "+2023-01-01T00:00", "-2023-01-01T00:00", "-0001-01-01T00:00", "+0001-01-01T00:00", "+10000-01-01T00:00",
        "10000-01-01T00:00", "-10000-01-01T00:00", "+999999999-01-01T00:00", "+1000000000-01-01T00:00",
        "-999999999-01-01T00:00", "+10000-02-29T00:00", "+10001-02-29T00:00", "+10000-01-01 00:00",
        "-0004-02-29T00:00", "-0100-02-29T00:00", "+12345-02-29T00:00", "-00001-01-01T00:00",
        "+00001-01-01T00:00", "123456789", "1704204000", " 1704204000000 ", "12345678", "12345678901",
        "123456789012", "12345678901234", "１７０４２０４０００"})
    void theSchemaAcceptsATimeExactlyWhenTheParserDoes(String time) {
        String doc = small("in_sample_end", time);
        assertEquals(parses(doc), valid(doc), () -> "\"" + time + "\": parser " + parses(doc) + ", schema "
                + SchemaCheck.errors(INPUT, doc));
    }

    @ParameterizedTest
    @ValueSource(strings = {"long", "LONG", " Short\t", "buy", "Sell", "sELL", "sideways", "", "lon g", "longs",
        "ſell", "ſhort", "\u212Aong"})
    void theSchemaAcceptsADirectionExactlyWhenTheParserDoes(String direction) {
        String doc = small("direction", direction);
        assertEquals(parses(doc), valid(doc), () -> "\"" + direction + "\": parser " + parses(doc));
    }

    @ParameterizedTest
    @ValueSource(strings = {"crypto", "CRYPTO", " Equity ", "forex\n", "Futures", "options", "equıty", "futureſ",
        "optıonſ", "bonds", "", "crypto currency", "cryptos", "ﬀorex"})
    void theSchemaAcceptsAnAssetClassExactlyWhenTheParserDoes(String assetClass) {
        String doc = small("asset_class", assetClass);
        assertEquals(parses(doc), valid(doc), () -> "\"" + assetClass + "\": parser " + parses(doc));
    }

    @Test
    void optionalFieldsMayBeNullAsTheParserAllows() {
        Fixture f = new Fixture("nulls", "crypto", true, new double[] {0.01, -0.01}).trade(0, 0.01);
        for (String field : List.of("type", "metrics", "benchmark", "in_sample_end", "leverage", "fees_bps",
                "slippage_bps", "funding", "universe_fixed")) {
            f.doc.putNull(field);
        }
        ObjectNode t = (ObjectNode) f.doc.get("trades").get(0);
        for (String field : List.of("symbol", "quantity", "return", "funding")) {
            t.putNull(field); // the return then comes from the prices
        }
        assertTrue(parses(f.json()));
        SchemaCheck.assertValid(INPUT, f.json());
    }

    /** A document in the chapter's BacktestResults shape, as its Python example builds one. */
    static ObjectNode chapterDocument() {
        Fixture f = new Fixture("x", "crypto", true, Fixture.noisy(120, 0.001, 0.02, 42)).trades(40);
        ObjectNode d = MAPPER.createObjectNode();
        d.put("strategy_id", "momentum_btc_v1").put("strategy_type", "momentum following")
                .put("asset_class", "Cryptocurrency").put("start_date", "2024-01-01T00:00:00")
                .put("end_date", f.days.get(f.days.size() - 1) + "T00:00:00");
        d.putObject("metrics").put("total_return", 0.42).put("sharpe_ratio", 1.45).put("max_drawdown", -0.18)
                .put("win_rate", 0.52).put("profit_factor", 1.67).put("total_trades", 40).put("turnover", 30.0)
                .putObject("avg_trade_duration").put("secs", 86_400).put("nanos", 0);
        ArrayNode trades = d.putArray("trades");
        int i = 0;
        for (JsonNode t : f.doc.get("trades")) {
            ObjectNode x = trades.addObject();
            x.put("id", "trade_" + i++).put("entry_time", t.get("entry_time").asText() + "T00:00:00")
                    .put("exit_time", t.get("exit_time").asText() + "T00:00:00").put("symbol", "BTCUSDT")
                    .put("direction", i % 3 == 0 ? "Short" : "Long").put("entry_price", 50_000)
                    .put("exit_price", 50_000 * (1 + t.get("return").asDouble())).put("quantity", 0.1)
                    .put("pnl", t.get("pnl").asDouble()).put("return_pct", t.get("return").asDouble());
        }
        ArrayNode curve = d.putArray("equity_curve");
        for (JsonNode p : f.doc.get("equity_curve")) {
            curve.addObject().put("timestamp", p.get("time").asText() + "T00:00:00").put("equity",
                    p.get("equity").asDouble());
        }
        d.putObject("regime_performance").put("bull_market", 0.25).put("bear_market", -0.08)
                .put("high_volatility", 0.15).put("low_volatility", 0.10);
        return d;
    }

    @Test
    void theChaptersBacktestResultsShapeIsAcceptedValidAndItsRegimePerformanceUsed() {
        String doc = chapterDocument().toString();
        SchemaCheck.assertValid(INPUT, doc);
        Backtest bt = Backtest.parse(doc, "chapter.json");
        assertEquals("momentum_btc_v1", bt.strategy());
        assertEquals("momentum following", bt.type());
        assertEquals(Backtest.AssetClass.CRYPTO, bt.assetClass());
        assertEquals(40, bt.trades().size());
        assertEquals(-1, bt.trades().get(2).direction(), "Short");
        Report r = Analysis.analyze(List.of(bt), new Analysis.Options(0, null), null).get(0);
        assertTrue(Fixture.finding(r, "stated_regime_loss").detail().startsWith("regime_performance states a loss in "
                + "bear_market -8.00%"));
        assertTrue(Fixture.finding(r, "data_stated_metrics_mismatch").detail().contains("sharpe_ratio stated"),
                "the stated metrics are compared under the chapter's names");
        String json = json(List.of(bt), null);
        SchemaCheck.assertValid(REPORT, json);
        JsonNode out = SchemaCheck.tree(json);
        assertEquals("bear_market", out.get("stated_regime_performance").get(1).get("regime").asText());
        assertTrue(out.get("report_id").asText().startsWith("momentum_btc_v1-"), out.get("report_id").asText());
        assertTrue(out.get("generated_at").asText().endsWith("Z"));
    }

    @Test
    void aFieldGivenWithItsChapterAliasIsRefusedByParserAndSchema() {
        ObjectNode both = chapterDocument().put("strategy", "other");
        assertTrue(assertThrows(BacktestFormatException.class, () -> Backtest.parse(both.toString(), "t"))
                .getMessage().contains("both strategy and strategy_id"));
        assertFalse(valid(both.toString()));
        ObjectNode twoReturns = chapterDocument();
        trade(twoReturns, 0).put("return", 0.01);
        assertThrows(BacktestFormatException.class, () -> Backtest.parse(twoReturns.toString(), "t"));
        assertFalse(valid(twoReturns.toString()));
    }

    @Test
    void anEquityCurveAsPandasSeriesJsonIsAccepted() {
        ObjectNode d = chapterDocument();
        ObjectNode series = MAPPER.createObjectNode();
        for (JsonNode p : d.get("equity_curve")) {
            series.put(String.valueOf(Backtest.parseTime(p.get("timestamp").asText()) * 1000),
                    p.get("equity").asDouble()); // Series.to_json(): epoch milliseconds
        }
        d.set("equity_curve", series);
        SchemaCheck.assertValid(INPUT, d.toString());
        assertEquals(121, Backtest.parse(d.toString(), "t").equity().length);
    }

    // ---------------------------------------------------------------- the report schema

    private static String json(List<Backtest> backtests, Narrator narrator) {
        return Reports.json(Analysis.analyze(backtests, new Analysis.Options(0, null), narrator), Instant.EPOCH);
    }

    private static Narrator narrator(ScriptedModel model) {
        return new Narrator(model, SETTINGS, d -> { });
    }

    @Test
    void aReportWithAnLlmNarrativeAndItsDeepeningsIsValid() {
        ScriptedModel model = new ScriptedModel().say(AnalysisNarratorTest.GOOD);
        String json = json(List.of(AnalysisNarratorTest.report().backtest()), narrator(model));
        JsonNode n = SchemaCheck.tree(json).get("narrative");
        assertTrue(n.get("used").asBoolean(), json);
        assertEquals(1, n.get("recommendations").size(), "the deepening of R1");
        SchemaCheck.assertValid(REPORT, json);
    }

    @Test
    void aReportWithARejectedNarrativeIsValid() {
        // a figure the report does not have, twice: the narrative is dropped and says why
        ScriptedModel model = new ScriptedModel().say(AnalysisNarratorTest.INVENTED)
                .say(AnalysisNarratorTest.INVENTED);
        String json = json(List.of(AnalysisNarratorTest.report().backtest()), narrator(model));
        JsonNode n = SchemaCheck.tree(json).get("narrative");
        assertFalse(n.get("used").asBoolean(), json);
        assertTrue(n.get("summary").isNull() && n.get("fallback").isTextual(), json);
        SchemaCheck.assertValid(REPORT, json);
    }

    @Test
    void aFieldTheReportSchemaDoesNotDocumentIsRejected() {
        String json = json(List.of(Backtest.parse(example(), "example")), null);
        SchemaCheck.assertValid(REPORT, json);
        ObjectNode top = (ObjectNode) SchemaCheck.tree(json);
        top.put("alpha", 0.1);
        assertFalse(SchemaCheck.errors(REPORT, top.toString()).isEmpty(), "an undocumented top-level field");
        ObjectNode deep = (ObjectNode) SchemaCheck.tree(json);
        ((ObjectNode) deep.get("metrics").get("sharpe")).put("t_stat", 2.1);
        assertFalse(SchemaCheck.errors(REPORT, deep.toString()).isEmpty(), "an undocumented field of a metric");
    }

    @Test
    void everyObjectOfTheReportSchemaIsClosedSoNewFieldsMustBeDocumented() {
        List<String> open = new ArrayList<>();
        closed(SchemaCheck.tree(REPORT.text()), "", open);
        assertEquals(List.of(), open, "object schemas without additionalProperties: false");
    }

    /** Collects the schema paths of object schemas that let undocumented fields through. */
    private static void closed(JsonNode node, String path, List<String> open) {
        if (node.isObject()) {
            if (node.path("type").asText().equals("object")
                    && !node.path("additionalProperties").equals(MAPPER.getNodeFactory().booleanNode(false))) {
                open.add(path.isEmpty() ? "/" : path);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                closed(e.getValue(), path + "/" + e.getKey(), open);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                closed(node.get(i), path + "/" + i, open);
            }
        }
    }
}
