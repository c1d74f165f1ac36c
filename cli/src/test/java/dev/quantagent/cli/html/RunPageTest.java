package dev.quantagent.cli.html;

import static dev.quantagent.cli.html.PageChecks.chartData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.quantagent.cli.render.Json;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.RunStatus;
import dev.quantagent.knowledge.Stats;
import dev.quantagent.knowledge.Status;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The run page on a hand-made run of two rounds: round 1 accepts #1 (train rank IC 0.02, valid 0.03), rejects #2
 * (train 0.06, but with values in 2% of the cells: degenerate) and finds #3 invalid; round 2 rejects #4 (train 0.01)
 * and accepts #5 (train 0.035, valid 0.04).
 */
class RunPageTest {

    private static final String HOSTILE = "</script><script>alert(1)</script>";

    private static Stats stats(double rankIc, double sharpe) {
        return stats(rankIc, sharpe, 1.0);
    }

    private static Stats stats(double rankIc, double sharpe, double coverage) {
        return new Stats(rankIc, rankIc, 0.2, 0.3, 2.0, 0.001, 0.1, sharpe, -0.1, 0.3, coverage, 100, 3.0,
                sharpe + 0.5);
    }

    private static FactorRecord factor(long id, int round, Status status, Stats train, Stats valid, Stats test) {
        return FactorRecord.builder("rank(close) * " + id).id(id).name(id == 5 ? HOSTILE : "f" + id)
                .run("run-1", round, 1).status(status, List.of()).stats(train, valid, test).build();
    }

    private static final List<FactorRecord> FACTORS = List.of(
            factor(1, 1, Status.ACCEPTED, stats(0.02, 1.0), stats(0.03, 1.2), stats(0.02, 0.8)),
            factor(2, 1, Status.REJECTED, stats(0.06, 2.0, 0.02), null, null),
            factor(3, 1, Status.INVALID, null, null, null),
            factor(4, 2, Status.REJECTED, stats(0.01, 0.1), null, null),
            factor(5, 2, Status.ACCEPTED, stats(0.035, 1.0), stats(0.04, 1.5), stats(0.01, -0.2)));

    private static String page(String status) throws IOException {
        RunRecord r = new RunRecord("run-1", "{\"rounds\": 2, \"judge\": {\"min_rank_ic\": 0.015}, \"note\": \""
                + HOSTILE.replace("\"", "\\\"") + "\"}", "{}", "synthetic-default", "2015-01-02", "2017-11-24", 100,
                "{\"train\": \"2015-01-02 .. 2016-09-28\"}", RunStatus.of(status), 1.0, 5, 2, 1, 1234, 0.0021,
                Instant.parse("2024-01-01T10:00:00Z"), Instant.parse("2024-01-01T10:01:05Z"));
        return RunPage.html(r, FACTORS, List.of(FACTORS.get(4), FACTORS.get(0)), null, null);
    }

    @Test
    void theChartDataCountsOutcomesAndTracksTheBestRankIcPerRoundLeavingDegenerateFactorsOut() throws IOException {
        JsonNode rounds = chartData(page("finished")).get("rounds");
        assertEquals("round 1", rounds.get("labels").get(0).asText());
        assertEquals(List.of(1, 1), ints(rounds.get("accepted")));
        assertEquals(List.of(1, 1), ints(rounds.get("rejected")));
        assertEquals(List.of(1, 0), ints(rounds.get("invalid")));
        assertEquals(0.02, rounds.get("best_train_rank_ic").get(0).asDouble(), 1e-12, "#1: #2 has 2% coverage");
        assertEquals(0.035, rounds.get("best_train_rank_ic").get(1).asDouble(), 1e-12);
        assertEquals(0.03, rounds.get("pool_best_valid_rank_ic").get(0).asDouble(), 1e-12, "#1");
        assertEquals(0.04, rounds.get("pool_best_valid_rank_ic").get(1).asDouble(), 1e-12, "#5 joined");
    }

    @Test
    void aRoundWithoutAcceptancesCarriesThePoolsBestOver() {
        List<FactorRecord> factors = List.of(FACTORS.get(0), factor(6, 2, Status.REJECTED, null, stats(0.09, 1.0),
                null), factor(7, 3, Status.ACCEPTED, null, stats(0.02, 1.0), null), factor(8, 3, Status.ACCEPTED, null,
                null, null));
        JsonNode rounds = RunPage.data(factors, List.of(factors.get(0), factors.get(2)), null, null).get("rounds");
        JsonNode pool = rounds.get("pool_best_valid_rank_ic");
        assertEquals(3, pool.size());
        assertEquals(0.03, pool.get(0).asDouble(), 1e-12, "#1");
        assertEquals(0.03, pool.get(1).asDouble(), 1e-12, "#6 was rejected: the pool's best stays");
        assertEquals(0.03, pool.get(2).asDouble(), 1e-12, "#7 joined below it; #8 has no valid figures");
    }

    @Test
    void theChartDataFollowsAcceptanceAndThePoolsValidAndTestFigures() throws IOException {
        JsonNode d = chartData(page("finished"));
        assertEquals(List.of(1, 2, 3, 4, 5), ints(d.get("acceptance").get("tested")));
        assertEquals(List.of(1, 1, 1, 1, 2), ints(d.get("acceptance").get("accepted")));
        JsonNode pool = d.get("pool");
        assertEquals("#5", pool.get("labels").get(0).asText());
        assertEquals(0.04, pool.get("valid_rank_ic").get(0).asDouble(), 1e-12);
        assertEquals(0.01, pool.get("test_rank_ic").get(0).asDouble(), 1e-12);
        assertEquals(0.8, pool.get("test_sharpe").get(1).asDouble(), 1e-12);
    }

    @Test
    void thePageHasTheCountersConfigurationAndPoolTable() throws IOException {
        String html = page("finished");
        assertTrue(html.contains("<td>factors tested</td><td>5</td>"));
        assertTrue(html.contains("<td>invalid</td><td>1</td>"));
        assertTrue(html.contains("<td>LLM tokens</td><td>1,234</td>"));
        assertTrue(html.contains("<td>train split</td><td>2015-01-02 .. 2016-09-28</td>"));
        assertTrue(html.contains("<td>judge.min_rank_ic</td><td class=\"num\">0.015</td>"));
        assertTrue(html.contains("<td class=\"num\">#1</td><td>f1</td><td><code>rank(close) * 1</code></td>"
                + "<td class=\"num\">0.0200</td><td class=\"num\">0.0300</td><td class=\"num\">1.20</td>"), html);
    }

    @Test
    void anUnfinishedRunSaysWhereItsTestFiguresWillCome() throws IOException {
        assertTrue(page("running").contains("The run has not concluded: its verdict, pool signal and test statistics "
                + "come with its end (quantagent mine --resume run-1)."));
    }

    /** A concluded run's summary as mine keeps it: the verdict, the pool signal per split, the pool, the planted. */
    private static String concluded() throws IOException {
        String summary = "{\"ideas\": 4, \"run_trials\": 5, \"accepted\": 2, \"trials\": 9, \"valid_looks\": 7, "
                + "\"elapsed_seconds\": 65.2, \"multiple_testing\": {\"adjustment\": \"bhy\", \"alpha\": 0.05},"
                + "\"verdict\": {\"significant\": true, \"text\": \"The pool signal is significant.\"},"
                + "\"pool_signal\": {\"label\": \"pool signal (equal over 2 factors)\", \"splits\": {"
                + "\"train\": {\"rank_ic\": 0.04, \"rank_ic_tstat_nw\": 6.1, \"quantile_returns\": [-0.001, 0.002]},"
                + "\"valid\": {\"rank_ic\": 0.05, \"rank_ic_tstat_nw\": 4.2, \"quantile_returns\": [-0.001, 0.001]},"
                + "\"test\": {\"rank_ic\": 0.03, \"rank_ic_tstat_nw\": 2.7, \"portfolio\": {\"net\": "
                + "{\"annual_excess_return\": 0.0675}, \"gross\": {\"annual_excess_return\": 0.1188}},"
                + "\"quantile_returns\": [-0.002, 0.003]}}},"
                + "\"pool\": [{\"id\": 5, \"formula\": \"rank(close) * 5\", \"train\": {\"rank_ic\": 0.035, "
                + "\"rank_ic_tstat_nw\": 3.4}, \"adjusted_p_value\": 0.0004, \"significant\": true}],"
                + "\"planted\": [{\"name\": \"short-term reversal\", \"formula\": \"-ts_sum(returns, 5)\", "
                + "\"found\": true, \"by\": 5, \"correlation\": 0.84}],"
                + "\"pool_correlation\": {\"ids\": [5, 1], \"matrix\": [[1, -0.25], [-0.25, 1]]}}";
        String figures = "{\"pool_signal\": {\"ic\": {\"time\": [\"2015-01-02\", \"2016-01-04\", \"2017-01-03\"], "
                + "\"cumulative\": [0.1, 0.2, 0.25], \"ranges\": [{\"split\": \"train\", \"from\": 0, \"to\": 1}, "
                + "{\"split\": \"valid\", \"from\": 1, \"to\": 2}, {\"split\": \"test\", \"from\": 2, \"to\": 3}]}, "
                + "\"topk\": {\"time\": [\"2015-01-02\"], \"excess_net\": [1.5], \"excess_gross\": [2.0], "
                + "\"ranges\": [{\"split\": \"train\", \"from\": 0, \"to\": 1}]}}}";
        RunRecord r = new RunRecord("run-1", "{\"rounds\": 2}", "{}", "synthetic-default", "2015-01-02",
                "2017-11-24", 100, "{}", RunStatus.REPORTING, 1.0, 5, 2, 1, 0, 0,
                Instant.parse("2024-01-01T10:00:00Z"), null);
        return RunPage.html(r, FACTORS, List.of(FACTORS.get(4), FACTORS.get(0)), Json.read(summary),
                Json.read(figures));
    }

    @Test
    void aConcludedRunLeadsWithItsVerdictAndItsPoolSignal() throws IOException {
        String html = concluded();
        int verdict = html.indexOf("<div class=\"answer answer-yes\"><span class=\"label\">Verdict</span> The pool "
                + "signal is significant.</div>");
        assertTrue(verdict > 0 && verdict < html.indexOf("<canvas"), "the verdict comes first");
        assertTrue(html.contains("<h2>Pool signal (equal over 2 factors)</h2>"));
        assertTrue(html.contains("<td>rank IC (Newey-West t)</td><td class=\"num\">0.0400 (6.10)</td>"
                + "<td class=\"num\">0.0500 (4.20)</td><td class=\"num\">0.0300 (2.70)</td>"), html);
        assertTrue(html.contains("<td class=\"num\">6.75% / 11.88%</td>"), "TopK net / gross on test");
        assertTrue(html.contains("<a href=\"pool-signal.html\">pool-signal.html</a>"));
        assertTrue(html.contains("<td>short-term reversal</td><td><code>-ts_sum(returns, 5)</code></td><td>yes</td>"
                + "<td>#5</td><td class=\"num\">0.84</td>"));
        assertTrue(html.contains("title=\"#5 and #1\">-0.25</td>"), "the correlation heatmap");
        assertTrue(html.contains("<td class=\"num\">0.0350 (3.4)</td>"), "the pool with its evidence");
        assertFalse(html.contains("Status <b>"), "a concluded run's page is the same whatever its status");
        JsonNode d = chartData(html);
        assertEquals(0.25, d.get("signal").get("ic").get("cumulative").get(2).asDouble());
        assertEquals(30.0, d.get("signal_quantiles").get("test").get(1).asDouble(), 1e-9, "bps per bar");
        PageChecks.assertSelfContained(html);
    }

    @Test
    void thePageLoadsNothingFromTheNetworkAndEscapesHostileText() throws IOException {
        String html = page("finished");
        PageChecks.assertSelfContained(html);
        assertFalse(html.contains("<script>alert(1)"));
        assertTrue(html.contains("<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>"), "pool name");
        assertFalse(concluded().contains("<script>alert(1)"));
        assertTrue(html.contains("<td>note</td><td class=\"num\">&lt;/script&gt;"), "configuration");
        assertEquals(3, PageChecks.count(html, "<script"));
    }

    private static List<Integer> ints(JsonNode a) {
        List<Integer> out = new java.util.ArrayList<>();
        a.forEach(x -> out.add(x.asInt()));
        return out;
    }
}
