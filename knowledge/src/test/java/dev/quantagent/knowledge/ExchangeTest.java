package dev.quantagent.knowledge;

import static dev.quantagent.knowledge.KnowledgeBaseTest.HASHING;
import static dev.quantagent.knowledge.KnowledgeBaseTest.factor;
import static dev.quantagent.knowledge.KnowledgeBaseTest.stats;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Complexity;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kb export and import: lossless both ways, and nothing stored that was not checked. */
class ExchangeTest {

    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    /** A run as mining leaves it: accepted, rejected, a duplicate rejected, an unparsable formula, a Writer failure. */
    private static String minedExport(KnowledgeBase kb) throws Exception {
        kb.saveRun(new RunRecord("run-20250301-100000-42", "{\"rounds\":2,\"evaluation\":{\"horizon\":1}}",
                "{\"next_candidate\":4}", "digest1", "2020-01-01", "2024-12-31", 50, "{\"train\":\"a .. b\"}",
                RunStatus.FINISHED, 1.0, 6, 1, 2, 1234, 0.0042, T0, T0.plusSeconds(90)));
        long accepted = kb.insert(factor("rev", "-ts_sum(returns, 5)", "reversal").run("run-20250301-100000-42", 1, 1)
                .dataset("digest1").judge(71.5, "good").stats(stats(0.02), stats(0.03), stats(0.01))
                .usage(new Usage(10, 20, 30, 400, 50)).createdAt(T0).build());
        kb.insert(factor("rev again", "-ts_sum(returns, 5)", "reversal").run("run-20250301-100000-42", 1, 2)
                .dataset("digest1").parent(accepted).status(Status.REJECTED, List.of("duplicate: It is the same factor "
                        + "as #1.")).judge(0.0, "").createdAt(T0.plusMillis(5)).build());
        kb.insert(factor("weak", "rank(volume)", "attention").run("run-20250301-100000-42", 2, 1).dataset("digest1")
                .status(Status.REJECTED, List.of("weak_signal: rank IC 0.001")).stats(null, stats(0.001), null)
                .createdAt(T0.plusMillis(7)).build());
        kb.insert(FactorRecord.builder("rank(close") .name("broken").run("run-20250301-100000-42", 2, 1)
                .dataset("digest1").status(Status.INVALID, List.of("invalid: column 11: expected )"))
                .writer("llm", "gpt-4o-mini").createdAt(T0.plusMillis(9)).build());
        kb.insert(FactorRecord.builder("").name("llm-failure").run("run-20250301-100000-42", 2, 2).dataset("digest1")
                .status(Status.INVALID, List.of("writer: the LLM endpoint kept failing after 5 attempts"))
                .writer("llm", "gpt-4o-mini").usage(new Usage(60000, 0, 0, 900, 0)).createdAt(T0.plusMillis(11))
                .build());
        kb.insert(factor("loose", "rank(open)", "no run").dataset("digest1").createdAt(T0.plusMillis(13)).build());
        StringWriter json = new StringWriter();
        Exchange.exportJson(kb.list(Filter.ANY, KnowledgeBase.Sort.ID, 100), kb.runs(), json);
        return json.toString();
    }

    @Test
    void aRoundTripIntoAnEmptyBaseKeepsEveryRecordFieldByFieldAndEveryTrial() throws Exception {
        String json;
        List<FactorRecord> before;
        List<RunRecord> runsBefore;
        Map<String, Long> trialsBefore;
        Map<Status, Long> statusBefore;
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("a"), HASHING)) {
            json = minedExport(kb);
            before = kb.list(Filter.ANY, KnowledgeBase.Sort.ID, 100);
            runsBefore = kb.runs();
            trialsBefore = kb.trialsByDataset();
            statusBefore = kb.countByStatus();
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("b"), HASHING)) {
            assertEquals(new Exchange.ImportResult(6, 0), Exchange.importJson(kb, new StringReader(json)));
            List<FactorRecord> after = kb.list(Filter.ANY, KnowledgeBase.Sort.ID, 100);
            assertEquals(before.size(), after.size());
            Map<Long, Long> ids = new HashMap<>();
            for (int i = 0; i < before.size(); i++) {
                ids.put(before.get(i).id(), after.get(i).id());
            }
            for (int i = 0; i < before.size(); i++) {
                FactorRecord b = before.get(i);
                FactorRecord a = after.get(i);
                assertEquals(b.parentId() == null ? null : ids.get(b.parentId()), a.parentId(), b.name());
                assertEquals(b.toBuilder().id(a.id()).parent(a.parentId()).build(), a, b.name());
            }
            assertEquals(runsBefore, kb.runs());
            assertEquals(trialsBefore, kb.trialsByDataset());
            assertEquals(6L, trialsBefore.get("digest1"), "six trials, as mined");
            assertEquals(statusBefore, kb.countByStatus());
            // and again: every trial is recognised, the invalid ones too
            assertEquals(new Exchange.ImportResult(0, 6), Exchange.importJson(kb, new StringReader(json)));
            assertEquals(trialsBefore, kb.trialsByDataset());
            assertEquals(6, kb.count());
        }
    }

    @Test
    void theLooksARunTookWithoutStoringAFactorComeThroughARoundTrip() throws Exception {
        String json;
        long looksBefore;
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("a"), HASHING)) {
            kb.saveRun(new RunRecord("run-20250301-100000-42", "{\"rounds\":1}", "{\"extra_valid_looks\":9}",
                    "digest1", "2020-01-01", "2024-12-31", 50, "{}", RunStatus.FINISHED, 1.0, 1, 1, 0, 0, 0.0, T0, T0));
            kb.insert(factor("rev", "-ts_sum(returns, 5)", "reversal").run("run-20250301-100000-42", 1, 1)
                    .dataset("digest1").stats(stats(0.02), stats(0.03), null).createdAt(T0).build());
            kb.addValidLooks("digest1", 9); // the run's combined signals, as its conclusion counted them
            looksBefore = kb.validLooks("digest1");
            StringWriter w = new StringWriter();
            Exchange.exportJson(kb.list(Filter.ANY, KnowledgeBase.Sort.ID, 100), kb.runs(), w);
            json = w.toString();
        }
        assertEquals(10, looksBefore);
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("b"), HASHING)) {
            Exchange.importJson(kb, new StringReader(json));
            assertEquals(looksBefore, kb.validLooks("digest1"));
            Exchange.importJson(kb, new StringReader(json));
            assertEquals(looksBefore, kb.validLooks("digest1"), "a second import counts nothing again");
        }
    }

    @Test
    void aFactorFoundElsewhereIsMergedByHashButADuplicateTrialIsKept() throws Exception {
        String json;
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("a"), HASHING)) {
            json = minedExport(kb);
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("b"), HASHING)) {
            kb.insert(factor("mine", "-ts_sum(returns, 5)", "found here first").dataset("digest1").build());
            Exchange.ImportResult r = Exchange.importJson(kb, new StringReader(json));
            assertEquals(new Exchange.ImportResult(5, 1), r, "the accepted factor merges; its duplicate trial stays");
            assertEquals(6, kb.trials("digest1"), "its own, and the five that came in");
        }
    }

    private static String oneFactor(String extra) {
        return "[{\"id\": 5, \"formula\": \"rank(close)\", \"status\": \"accepted\"" + extra + "}]";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'\"round\": \"abc\"'|entry 1 (id 5): not a factor record: \"round\" is \"abc\", not a whole number",
        "'\"round\": 1e30'|entry 1 (id 5): not a factor record: \"round\" is 1.0E30, not a whole number",
        "'\"step\": -1'|entry 1 (id 5): not a factor record: \"step\" is -1, not a whole number",
        "'\"judge_score\": 1e30'|entry 1 (id 5): not a factor record: \"judge_score\" is 1.0E30, not a number",
        "'\"name\": 7'|entry 1 (id 5): not a factor record: \"name\" is 7, not a text",
        "'\"valid\": {\"rank_ic\": 3}'|entry 1 (id 5): not a factor record: \"valid\" has a correlation of 3.0",
        "'\"valid\": {\"sharpe\": 1e300}'|entry 1 (id 5): not a factor record: \"valid\" has a statistic of 1.0E300",
        "'\"created_at\": \"yesterday\"'|entry 1 (id 5): not a factor record: \"created_at\" is \"yesterday\", not a time",
        "'\"run_id\": \"../../../../outside\"'|entry 1 (id 5): \"../../../../outside\" is not a run id",
        "'\"dataset_key\": \"a/b\"'|entry 1 (id 5): \"a/b\" is not a data set key",
        "'\"hash\": \"xyz\"'|entry 1 (id 5): \"hash\" is \"xyz\", not 16 hexadecimal digits",
        "'\"usage\": {\"prompt_tokens\": -5}'|entry 1 (id 5): not a factor record: \"usage\" has a negative",
    })
    void aMalformedEntryIsRefusedByNameAndNothingIsStored(String extra, String message) throws Exception {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Exchange.importJson(kb, new StringReader(oneFactor(", " + extra))));
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
            assertEquals(0, kb.count());
        }
    }

    @Test
    void anAcceptedFactorWhoseFormulaDoesNotParseIsRefused() throws Exception {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Exchange.importJson(kb,
                    new StringReader("[{\"id\": 5, \"formula\": \"rank(close\", \"status\": \"accepted\"}]")));
            assertTrue(e.getMessage().startsWith("entry 1 (id 5): it is accepted, but its formula does not parse"),
                    e.getMessage());
        }
    }

    @Test
    void anEmptyFormulaIsOnlyAnInvalidRecords() throws Exception {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Exchange.importJson(kb,
                    new StringReader("[{\"id\": 5, \"formula\": \"\", \"status\": \"rejected\"}]")));
            assertTrue(e.getMessage().startsWith("entry 1 (id 5): its formula is empty"), e.getMessage());
        }
    }

    @Test
    void textAfterTheExportIsRefused() throws Exception {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Exchange.importJson(kb, new StringReader(oneFactor("") + "\n{\"id\": 6}")));
            assertTrue(e.getMessage().startsWith("there is more after the end of the export's JSON (line 2"),
                    e.getMessage());
            assertEquals(0, kb.count());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"id\": \"../../../../outside\"|run 1: \"../../../../outside\" is not a run id",
        "\"id\": \"r1\", \"config\": \"{not json\"|run 1: \"config\" is not JSON",
        "\"id\": \"r1\", \"config\": \"{} {}\"|run 1: \"config\" is not JSON",
        "\"id\": \"r1\", \"state\": \"[1]\"|run 1: \"state\" is not a JSON object",
        "\"id\": \"r1\", \"progress\": 7|run 1: \"progress\" is 7, not a number from 0.0 to 1.0",
        "\"id\": \"r1\", \"status\": \"gone\"|run 1: \"status\" is \"gone\", not one of",
        "\"id\": \"r1\", \"trials\": \"many\"|run 1: \"trials\" is \"many\", not a whole number",
    })
    void aMalformedRunIsRefusedByNameAndNothingIsStored(String run, String message) throws Exception {
        String json = "{\"format\": \"quantagent-kb\", \"version\": 3, \"runs\": [{" + run + "}], \"factors\": []}";
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Exchange.importJson(kb, new StringReader(json)));
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
            assertTrue(kb.runs().isEmpty());
        }
    }

    @Test
    void aRunItsReaderCannotUseIsRefusedWithTheReaderReason() throws Exception {
        String json = "{\"format\": \"quantagent-kb\", \"version\": 3, \"runs\": [{\"id\": \"r1\"}], \"factors\": []}";
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Exchange.importJson(kb, new StringReader(json), (d, t) -> { }, r -> {
                        throw new IllegalArgumentException("no horizon");
                    }));
            assertEquals("run 1 (id r1): no horizon", e.getMessage());
        }
    }

    @Test
    void aHugeEntryIsRefusedBeforeItIsHeldWhole() throws Exception {
        String huge = "[{\"id\": 1, \"formula\": \"rank(close)\", \"hypothesis\": \"" + "x".repeat(3 << 20) + "\"}]";
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Exchange.importJson(kb, new StringReader(huge)));
            assertEquals("entry 1 is larger than 1 MB of JSON, the most one entry may take (real ones take a few "
                    + "kilobytes); nothing was imported", e.getMessage());
        }
    }

    @Test
    void aWriterFailureRecordReadsBackWithoutAFormula() {
        FactorRecord failure = FactorRecord.builder("").name("llm-failure").status(Status.INVALID, List.of("writer: x"))
                .complexity(new Complexity(0, 0, 0, 0)).createdAt(T0).build();
        FactorRecord back = FactorJson.fromJson(FactorJson.toJson(failure));
        assertEquals(failure, back);
        assertNull(back.hash());
    }
}
