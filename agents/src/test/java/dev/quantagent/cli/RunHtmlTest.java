package dev.quantagent.cli;

import static dev.quantagent.agents.html.PageChecks.chartData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;

import dev.quantagent.agents.html.PageChecks;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.Stats;
import dev.quantagent.knowledge.Status;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The run page on a hand-made run of two rounds: round 1 accepts #1 (valid rank IC 0.03), rejects #2 (0.05) and
 * finds #3 invalid; round 2 rejects #4 (0.01) and accepts #5 (0.04).
 */
class RunHtmlTest {

    private static final String HOSTILE = "</script><script>alert(1)</script>";

    private static Stats stats(double rankIc, double sharpe) {
        return new Stats(rankIc, rankIc, 0.2, 0.3, 2.0, 0.001, 0.1, sharpe, -0.1, 0.3, 1.0, 100, 3.0, sharpe + 0.5);
    }

    private static FactorRecord factor(long id, int round, Status status, Stats valid, Stats test) {
        return FactorRecord.builder("rank(close) * " + id).id(id).name(id == 5 ? HOSTILE : "f" + id)
                .run("run-1", round, 1).status(status, List.of()).stats(null, valid, test).build();
    }

    private static final List<FactorRecord> FACTORS = List.of(
            factor(1, 1, Status.ACCEPTED, stats(0.03, 1.2), stats(0.02, 0.8)),
            factor(2, 1, Status.REJECTED, stats(0.05, -0.5), null),
            factor(3, 1, Status.INVALID, null, null),
            factor(4, 2, Status.REJECTED, stats(0.01, 0.1), null),
            factor(5, 2, Status.ACCEPTED, stats(0.04, 1.5), stats(0.01, -0.2)));

    private static String page(String status) throws IOException {
        RunRecord r = new RunRecord("run-1", "{\"rounds\": 2, \"judge\": {\"min_rank_ic\": 0.015}, \"note\": \""
                + HOSTILE.replace("\"", "\\\"") + "\"}", "{}", "synthetic-default", "2015-01-02", "2017-11-24", 100,
                "{\"train\": \"2015-01-02 .. 2016-09-28\"}", status, 1.0, 5, 2, 1, 1234, 0.0021,
                Instant.parse("2024-01-01T10:00:00Z"), Instant.parse("2024-01-01T10:01:05Z"));
        return RunHtml.html(r, FACTORS, List.of(FACTORS.get(4), FACTORS.get(0)));
    }

    @Test
    void theChartDataCountsOutcomesAndTracksTheBestValidRankIcPerRound() throws IOException {
        JsonNode rounds = chartData(page("finished")).get("rounds");
        assertEquals("round 1", rounds.get("labels").get(0).asText());
        assertEquals(List.of(1, 1), ints(rounds.get("accepted")));
        assertEquals(List.of(1, 1), ints(rounds.get("rejected")));
        assertEquals(List.of(1, 0), ints(rounds.get("invalid")));
        assertEquals(0.05, rounds.get("best_valid_rank_ic").get(0).asDouble(), 1e-12, "#2, though rejected");
        assertEquals(0.04, rounds.get("best_valid_rank_ic").get(1).asDouble(), 1e-12);
        assertEquals(0.03, rounds.get("pool_best_valid_rank_ic").get(0).asDouble(), 1e-12, "#1");
        assertEquals(0.04, rounds.get("pool_best_valid_rank_ic").get(1).asDouble(), 1e-12, "#5 joined");
    }

    @Test
    void aRoundWithoutAcceptancesCarriesThePoolsBestOver() {
        List<FactorRecord> factors = List.of(FACTORS.get(0), factor(6, 2, Status.REJECTED, stats(0.09, 1.0), null),
                factor(7, 3, Status.ACCEPTED, stats(0.02, 1.0), null), factor(8, 3, Status.ACCEPTED, null, null));
        JsonNode rounds = RunHtml.data(factors, List.of(factors.get(0), factors.get(2))).get("rounds");
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
        assertTrue(html.contains("<td>wall time</td><td>1m 05s</td>"));
        assertTrue(html.contains("<td>train split</td><td>2015-01-02 .. 2016-09-28</td>"));
        assertTrue(html.contains("<td>judge.min_rank_ic</td><td class=\"num\">0.015</td>"));
        assertTrue(html.contains("<td class=\"num\">#1</td><td>f1</td><td><code>rank(close) * 1</code></td>"
                + "<td class=\"num\">0.0300</td><td class=\"num\">1.20</td><td class=\"num\">0.0200</td>"));
        assertFalse(html.contains("has not finished"));
    }

    @Test
    void anUnfinishedRunSaysWhereItsTestFiguresWillCome() throws IOException {
        assertTrue(page("running").contains("quantagent mine --resume run-1"));
    }

    @Test
    void thePageLoadsNothingFromTheNetworkAndEscapesHostileText() throws IOException {
        String html = page("finished");
        PageChecks.assertSelfContained(html);
        assertFalse(html.contains("<script>alert(1)"));
        assertTrue(html.contains("<td>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</td>"), "pool name");
        assertTrue(html.contains("<td>note</td><td class=\"num\">&lt;/script&gt;"), "configuration");
        assertEquals(3, PageChecks.count(html, "<script"));
    }

    private static List<Integer> ints(JsonNode a) {
        List<Integer> out = new java.util.ArrayList<>();
        a.forEach(x -> out.add(x.asInt()));
        return out;
    }
}
