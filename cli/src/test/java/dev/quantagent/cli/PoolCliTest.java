package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quantagent.knowledge.HashingEmbedder;
import dev.quantagent.knowledge.KnowledgeBase;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolCliTest {

    @TempDir
    Path dir;

    @Test
    void formulasAreCombinedSignedByTheirTrainRankIcAndTestStaysSealed() throws Exception {
        // the embedded market's reversal, and the negation of its low-volatility alpha: signed back by train
        CliRun r = CliRun.of("pool", "--json", "--method", "equal", "-ts_sum(returns, 5)", "stddev(returns, 20)");
        assertEquals(0, r.code(), r.err());
        JsonNode s = new ObjectMapper().readTree(r.out());
        assertEquals("equal", s.path("method").asText());
        assertEquals(1.0, s.path("weights").get(0).asDouble());
        assertEquals(-1.0, s.path("weights").get(1).asDouble(), "a factor that predicts in reverse is flipped");
        assertFalse(s.path("splits").has("test"));
        assertTrue(s.path("splits").path("valid").path("rank_ic").asDouble() > 0.03, s.toString());
        assertTrue(s.path("splits").path("valid").path("portfolio").path("net").path("information_ratio").isNumber());
        assertEquals(2, s.path("members").size());
    }

    @Test
    void aRunsAcceptedFactorsAreCombinedAndTheLooksAtValidCounted() throws Exception {
        Path kb = dir.resolve("kb");
        CliRun mined = CliRun.of("mine", "--kb", kb.toString(), "--out", dir.resolve("run").toString(), "--rounds",
                "1", "--candidates-per-round", "4", "--steps-per-factor", "2");
        assertEquals(0, mined.code(), mined.err());
        String id;
        long looks;
        try (KnowledgeBase base = KnowledgeBase.open(kb, HashingEmbedder::new)) {
            id = base.runs().get(0).id();
            looks = base.validLooks(base.runs().get(0).dataKey());
        }
        CliRun r = CliRun.of("pool", "--kb", kb.toString(), "--run", id, "--method", "ic");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("pool signal (ic over "), r.out());
        assertTrue(r.out().contains("TopK excess return a year"), r.out());
        try (KnowledgeBase base = KnowledgeBase.open(kb, HashingEmbedder::new)) {
            assertEquals(looks + 1, base.validLooks(base.runs().get(0).dataKey()), "one method, one look");
        }
    }

    @Test
    void neitherOrBothSourcesAreABadInput() {
        CliRun neither = CliRun.of("pool");
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("give either --run RUN_ID or formulas"), neither.err());
        CliRun badMethod = CliRun.of("pool", "--method", "lasso", "rank(close)");
        assertEquals(2, badMethod.code());
        assertTrue(badMethod.err().contains("--method lasso: choose auto, equal, ic or ridge"), badMethod.err());
    }
}
