package dev.quantagent.cli.html;

import static dev.quantagent.cli.html.PageChecks.chartData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.quantagent.cli.render.FactorSheet;
import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.Stats;
import dev.quantagent.knowledge.Status;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The factor page on a tiny known market: four assets growing 0, 1, 2 and 3% a day, and a factor that ranks them
 * right on even dates and upside down on odd ones. Its rank IC alternates +1 and -1; the 2-quantile book earns
 * +2% and -2% before costs, flips entirely at every rebalance and pays 10 bps a side: 0.2% to buy the first book,
 * 0.4% for every flip. 40 daily dates from 2021-01-01: train is dates 0..21 (22 after the purge), valid 24..29.
 */
class FactorPageTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);
    private static final String HOSTILE = "</script><script>alert(1)</script>";

    private static Evaluation evaluation() {
        int dates = 40;
        long[] ds = new long[dates];
        double[] close = new double[dates * 4];
        double[] signal = new double[dates * 4];
        for (int a = 0; a < 4; a++) {
            for (int t = 0; t < dates; t++) {
                ds[t] = 1_609_459_200L + 86_400L * t;
                close[a * dates + t] = Math.pow(1 + 0.01 * a, t);
                signal[a * dates + t] = t % 2 == 0 ? a : -a;
            }
        }
        Panel p = Panel.builder(ds, new String[] {"A", "B", "C", "D"}).field("close", close)
                .field("signal", signal).build();
        return Evaluation.prepare(p, EvaluationConfig.DEFAULT.withQuantiles(2), SANDBOX);
    }

    private static String page(Stats test) {
        Evaluation ev = evaluation();
        Factor factor = SANDBOX.parse("signal");
        FactorSheet sheet = FactorSheet.of(ev, ev.workspace(), factor, BookConfig.DEFAULT);
        FactorRecord parent = FactorRecord.builder(SANDBOX.parse("-signal")).id(3).status(Status.REJECTED,
                List.of("works in reverse")).judge(0.0, "<b>bold</b> & \"quoted\"").build();
        FactorRecord f = FactorRecord.builder(factor).id(4).name(HOSTILE).hypothesis("<img src=x onerror=alert(2)>")
                .parent(3L).judge(61.5, "Keep it; " + HOSTILE).stats(null, null, test).build();
        return FactorPage.html(f, sheet, List.of(parent), "a tiny market");
    }

    @Test
    void theChartDataHoldsTheDailyRankIcItsRollingMeansAndItsSum() throws IOException {
        JsonNode ic = chartData(page(null)).get("ic");
        assertEquals(28, ic.get("rank_ic").size(), "22 train dates, then 6 valid ones");
        assertEquals("2021-01-01", ic.get("time").get(0).asText());
        assertEquals("2021-01-25", ic.get("time").get(22).asText(), "valid starts on date 24");
        assertEquals("valid", ic.get("ranges").get(1).get("split").asText());
        assertEquals(22, ic.get("ranges").get(1).get("from").asInt());
        assertEquals(28, ic.get("ranges").get(1).get("to").asInt());
        assertEquals(1.0, ic.get("rank_ic").get(0).asDouble(), 1e-12);
        assertEquals(-1.0, ic.get("rank_ic").get(1).asDouble(), 1e-12);
        assertEquals(1.0, ic.get("rank_ic").get(22).asDouble(), 1e-12);
        // cumulative: 1, 0, 1, 0, ... and carried on into valid
        assertEquals(1.0, ic.get("cumulative").get(0).asDouble(), 1e-12);
        assertEquals(0.0, ic.get("cumulative").get(21).asDouble(), 1e-12);
        assertEquals(1.0, ic.get("cumulative").get(22).asDouble(), 1e-12);
        // 21-period mean: none before 21 values; then 11 of +1 and 10 of -1, then the other way round
        assertTrue(ic.get("mean_21").get(19).isNull());
        assertEquals(1.0 / 21, ic.get("mean_21").get(20).asDouble(), 1e-12);
        assertEquals(-1.0 / 21, ic.get("mean_21").get(21).asDouble(), 1e-12);
        assertTrue(ic.get("mean_21").get(27).isNull(), "the mean restarts with valid, which has only 6 values");
        assertTrue(ic.get("mean_63").get(21).isNull(), "train has only 22 values");
    }

    @Test
    void theChartDataHoldsTheLongShortBookAfterCostsAndItsTurnover() throws IOException {
        JsonNode book = chartData(page(null)).get("book");
        assertEquals(28, book.get("growth").size());
        assertEquals(101.8, book.get("growth").get(0).asDouble(), 1e-9, "+2% less 0.2% to buy");
        assertEquals(100 * 1.018 * 0.976, book.get("growth").get(1).asDouble(), 1e-9,
                "then -2% less 0.4% for the flip");
        assertEquals(102, book.get("growth_gross").get(0).asDouble(), 1e-9, "+2% before costs");
        // train: the first book, 11 flips to -2.4% and 10 to +1.6%; valid compounds on from there
        double train = 1.018 * Math.pow(0.976, 11) * Math.pow(1.016, 10);
        assertEquals(100 * train, book.get("growth").get(21).asDouble(), 1e-9);
        assertEquals(100 * train * 1.018, book.get("growth").get(22).asDouble(), 1e-9);
        assertTrue(book.get("turnover").get(0).isNull(), "the first book is bought, not turned over");
        assertEquals(100.0, book.get("turnover").get(1).asDouble(), 1e-9, "every flip replaces the whole book");
        assertTrue(book.get("turnover").get(22).isNull(), "valid starts a new book");
    }

    @Test
    void theChartDataHoldsReturnsByQuantileAndRankIcByYearWithItsDates() throws IOException {
        JsonNode d = chartData(page(null));
        // one-bar returns of 0, 1, 2 and 3%, mean 1.5%: the top pair is 1% above it on even dates, below on odd
        assertEquals("Q1 (bottom)", d.get("q_cumulative").get("labels").get(0).asText());
        assertEquals(100 * 0.01, d.get("q_cumulative").get("quantiles").get(1).get(0).asDouble(), 1e-9);
        assertEquals(100 * (1.01 * 0.99 - 1), d.get("q_cumulative").get("quantiles").get(1).get(1).asDouble(), 1e-9);
        assertEquals(0.0, d.get("q_returns").get("train").get(0).get(1).asDouble(), 1e-9, "as often up as down");
        assertEquals("1 bar", d.get("horizons").get("labels").get(0).asText());
        assertEquals("2021 (28)", d.get("years").get("labels").get(0).asText(), "the year's dates in its label");
        assertEquals(0.0, d.get("years").get("train").get(0).asDouble(), 1e-12, "11 of +1, 11 of -1");
        assertEquals(List.of("train", "valid"), List.of(d.get("splits").get(0).asText(),
                d.get("splits").get(1).asText()));
    }

    @Test
    void theFirstScreenAnswersWhetherItIsAFactor() {
        String html = page(null);
        assertTrue(html.contains("<div class=\"answer answer-short\"><span class=\"label\">Is this a factor?</span> "
                + "Too short to tell: valid has 6 dates with a rank IC (needs 20)"), html.substring(html.indexOf("<body>"), html.indexOf("<body>")
                + 1500));
        assertTrue(html.indexOf("Is this a factor?") < html.indexOf("<canvas"), "before any chart");
    }

    @Test
    void thePageLoadsNothingFromTheNetwork() {
        PageChecks.assertSelfContained(page(null));
    }

    @Test
    void hostileTextFromTheKnowledgeBaseIsEscaped() throws IOException {
        String html = page(null);
        assertFalse(html.contains("<script>alert(1)"), "raw name in the page");
        assertFalse(html.contains("<img src=x"), "raw hypothesis in the page");
        assertFalse(html.contains("<b>bold</b>"), "raw lineage feedback in the page");
        assertTrue(html.contains("Factor #4: &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        assertTrue(html.contains("Keep it; &lt;/script&gt;"));
        assertTrue(html.contains("&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;"));
        assertEquals(3, PageChecks.count(html, "<script"), "data, library, charts");
        assertEquals(2, chartData(html).get("splits").size(), "the data block is whole");
    }

    @Test
    void theTestSplitStaysSealedWhenNothingWasRecorded() throws IOException {
        String html = page(null);
        assertTrue(html.contains("sealed (quantagent eval --include-test unseals it)"));
        assertFalse(html.contains("Recorded test statistics"));
        assertFalse(chartData(html).get("q_returns").has("test"));
    }

    @Test
    void recordedTestFiguresAreShownAsRecordedAndNeverRecomputed() throws IOException {
        Stats test = new Stats(0.01, 0.0321, 0.1, 0.2, 1.5, 0.001, 0.05, 0.77, -0.08, 0.5, 1.0, 6, 2.1, 0.9);
        String html = page(test);
        assertTrue(html.contains("Recorded test statistics"));
        assertTrue(html.contains("<td>rank_ic</td><td class=\"num\">0.0321</td>"), "the recorded figure");
        assertTrue(html.contains("<td>sharpe</td><td class=\"num\">0.7700</td>"));
        JsonNode d = chartData(html);
        assertEquals(2, d.get("splits").size(), "no test charts");
        assertFalse(d.get("q_returns").has("test"));
        assertEquals(28, d.get("ic").get("rank_ic").size(), "no test dates in the series");
    }

    @Test
    void thePageHasTheMarkdownTablesAndTheLineage() {
        String html = page(null);
        assertTrue(html.contains("Formula <code>signal</code>"));
        assertTrue(html.contains("<h2>Statistics</h2>") && html.contains("<td>rank_icir</td>"));
        assertTrue(html.contains("<h3>Regimes: valid</h3>"));
        assertTrue(html.contains("<td>Q2 (top)</td>"));
        assertTrue(html.contains("<td class=\"num\">#3</td><td>rejected</td><td><code>-signal</code></td>"), html);
        for (String id : List.of("q-cumulative", "q-returns-train", "q-returns-valid", "horizon-ic", "horizon-sharpe",
                "ic", "cumulative-ic", "ic-histogram", "ic-qq", "years", "long-short", "turnover", "values")) {
            assertTrue(html.contains("<canvas id=\"" + id + "\">"), id);
        }
    }
}
