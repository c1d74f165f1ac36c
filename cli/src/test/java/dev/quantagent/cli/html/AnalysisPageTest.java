package dev.quantagent.cli.html;

import static dev.quantagent.cli.html.PageChecks.chartData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.assistant.Analysis;
import dev.quantagent.assistant.Backtest;
import dev.quantagent.assistant.Report;
import dev.quantagent.cli.analysis.Fixture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Named Analy* so the module's usual filter for the analysis tests runs it. */
class AnalysisPageTest {

    private static String html(List<Backtest> backtests) {
        return AnalysisPage.html(Analysis.analyze(backtests, new Analysis.Options(0, null), null), Instant.EPOCH);
    }

    private static Backtest example() throws IOException {
        try (InputStream in = AnalysisPageTest.class.getResourceAsStream("/backtests/btc-trend-v1.1.json")) {
            return Backtest.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "example");
        }
    }

    @Test
    void theExampleReportInlinesChartJsAndTheChartData() throws IOException {
        String html = html(List.of(example()));
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 100));
        assertTrue(html.contains("Chart.js v4.4.9"), "the library's banner is inlined");
        assertTrue(html.contains(HtmlPage.chartJs()), "the whole bundle is inlined");
        assertTrue(html.contains("Backtest analysis: btc-trend v1.1"));
        assertTrue(html.contains("<h2>Recommendations</h2>"));
        for (String id : List.of("equity-0", "drawdown-0", "monthly-0", "pnl-0", "halves-0", "weekday-0")) {
            assertTrue(html.contains("<canvas id=\"" + id + "\">"), id);
        }
        JsonNode d = chartData(html).get(0);
        Backtest bt = example();
        assertEquals(bt.equity().length, d.get("equity").size());
        assertEquals(bt.equity()[0], d.get("equity").get(0).asDouble(), 1e-9);
        assertEquals(0, d.get("drawdown").get(0).asDouble(), 1e-9);
        assertEquals(12, d.get("months").size(), "2023, one bar a month");
        assertEquals(48, sum(d.get("pnl").get("counts")), "every trade in one histogram bin");
        // no bin straddles zero: a bar is all losses or all wins
        JsonNode labels = d.get("pnl").get("labels");
        for (int i = 0; i < labels.size(); i++) {
            String[] edges = labels.get(i).asText().split(" to ");
            double lo = Double.parseDouble(edges[0]);
            double hi = Double.parseDouble(edges[1]);
            assertTrue(lo >= -0.5 || hi <= 0.5, labels.get(i).asText());
        }
        assertEquals(7, d.get("weekday").get("losses").size());
        assertTrue(d.get("halves").get("is_sharpe").isNumber());
    }

    @Test
    void theMonthlyReturnsCompoundToTheTotalReturn() throws IOException {
        Backtest bt = example();
        JsonNode d = chartData(html(List.of(bt))).get(0);
        double growth = 1;
        for (JsonNode m : d.get("monthly")) {
            growth *= 1 + m.asDouble() / 100;
        }
        double[] eq = bt.equity();
        assertEquals(eq[eq.length - 1] / eq[0], growth, 1e-9);
    }

    @Test
    void thePageLoadsNothingFromTheNetwork() throws IOException {
        String html = html(List.of(example()));
        PageChecks.assertSelfContained(html);
        assertTrue(html.contains("https://www.chartjs.org"), "the licence banner itself is kept");
    }

    @Test
    void aStrategyNameThatClosesTheScriptIsEscapedEverywhere() throws IOException {
        String evil = "x</script><script>alert(1)</script>";
        Fixture f = new Fixture(evil, "equity", false, Fixture.noisy(80, 0.001, 0.01, 3)).trades(35);
        ((com.fasterxml.jackson.databind.node.ObjectNode) f.doc.get("trades").get(0)).put("symbol",
                "<img src=x onerror=alert(2)>");
        f.set("type", "\"quoted\" & <b>bold</b>");
        String html = html(List.of(f.backtest(), example()));
        assertFalse(html.contains("<script>alert(1)"), "raw injection in the page");
        assertFalse(html.contains("<img src=x"), "raw symbol in the page");
        assertFalse(html.contains("<b>bold</b>"), "raw type in the page");
        assertTrue(html.contains("x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped in the text");
        assertTrue(html.contains("&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;"));
        // the JSON block ends at its own </script>, and still carries the name intact
        JsonNode data = chartData(html);
        assertEquals(evil, data.get(0).get("strategy").asText());
        assertEquals(2, data.size());
        // exactly our three script elements are opened: data, library, charts
        assertEquals(3, PageChecks.count(html, "<script"));
    }

    @Test
    void severalInputsGetTheComparisonTable() throws IOException {
        Backtest a = example();
        Backtest b = new Backtest("btc-trend v1.2", a.type(), a.assetClass(), a.periodStart(), a.periodEnd(),
                a.statedMetrics(), a.trades(), a.equityTime(), a.equity(), null, null, a.inSampleEnd(), 8,
                a.feesBps(), a.slippageBps(), a.funding(), a.universeFixed(), a.origin());
        String html = html(List.of(a, b));
        assertTrue(html.contains("<h1>Comparison: btc-trend v1.1 → btc-trend v1.2</h1>"));
        assertTrue(html.contains("<th>btc-trend v1.1</th><th>btc-trend v1.2</th><th>change</th>"));
        assertTrue(html.contains("<td>Grade</td>"));
        assertTrue(html.contains("<canvas id=\"overlay\">"), "the equity overlay");
        assertEquals(a.equity().length, chartData(html).get(0).get("epoch").size());
        assertTrue(html.contains("<canvas id=\"equity-1\">"));
        assertEquals(2, chartData(html).size());
    }

    @Test
    void anOutOfOrderCurveGivesTheSameChartDataAsTheSortedOne() {
        Fixture f = new Fixture("shuffled", "crypto", true, Fixture.noisy(120, 0.001, 0.01, 11)).trades(30)
                .set("in_sample_end", "2024-03-15");
        ArrayNode bench = f.doc.putArray("benchmark");
        double price = 100;
        Random rnd = new Random(4);
        for (java.time.LocalDate d : f.days) {
            bench.addObject().put("time", d.toString()).put("price", price);
            price *= 1 + 0.02 * rnd.nextGaussian();
        }
        ObjectNode shuffled = f.doc.deepCopy();
        List<JsonNode> rows = new ArrayList<>();
        shuffled.get("equity_curve").forEach(rows::add);
        Collections.shuffle(rows, new Random(9));
        shuffled.putArray("equity_curve").addAll(rows);

        Report sorted = f.analyze();
        Report unsorted = Analysis.analyze(List.of(Backtest.parse(shuffled.toString(), "shuffled")), new Analysis.Options(0, null), null).get(0);
        assertTrue(Fixture.has(unsorted, "data_time_order"), "the shuffle is reported");
        assertFalse(sorted.regimes().isEmpty(), "the regime charts are part of the comparison");
        assertEquals(AnalysisPage.data(List.of(sorted)), AnalysisPage.data(List.of(unsorted)));
    }

    private static int sum(JsonNode arr) {
        int s = 0;
        for (JsonNode n : arr) {
            s += n.asInt();
        }
        return s;
    }
}
