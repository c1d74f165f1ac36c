package dev.quantagent.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnowledgeBaseTest {

    static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);
    static final Supplier<Embedder> HASHING = Embedders.lazy(HashingEmbedder::new);

    @TempDir
    Path dir;

    static FactorRecord.Builder factor(String name, String formula, String hypothesis) {
        return FactorRecord.builder(SANDBOX.parse(formula)).name(name).hypothesis(hypothesis).dataset("data1");
    }

    static Stats stats(double rankIc) {
        return new Stats(rankIc / 2, rankIc, 0.3, 0.4, 2.5, 0.001, 0.12, 1.1, -0.2, 0.35, 0.98, 250, 3.1, 1.4);
    }

    @Test
    void everyFieldOfAFactorSurvivesARoundTrip() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            long parent = kb.insert(factor("parent", "rank(close)", "cheap stocks").build());
            FactorRecord r = factor("momentum", "rank(delta(close, 5))", "prices that rose keep rising")
                    .parent(parent).run("run-1", 3, 7).writer("llm", "gpt-4o-mini")
                    .status(Status.REJECTED, List.of("too correlated with #1", "low IC"))
                    .judge(6.5, "good idea, weak signal").stats(stats(0.02), stats(0.03), stats(Double.NaN))
                    .usage(new Usage(1200, 35, 900, 1500, 300)).createdAt(Instant.parse("2025-01-02T03:04:05.678Z"))
                    .build();
            long id = kb.insert(r);
            FactorRecord back = kb.get(id).orElseThrow();
            assertEquals(r.toBuilder().id(id).build(), back);
            assertEquals(2, kb.trials("data1"));
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            assertEquals(2, kb.count()); // durable across reopen
        }
    }

    @Test
    void aFactorWithoutTestStatisticsStoresNone() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            long id = kb.insert(factor("a", "rank(volume)", "h").stats(stats(0.01), stats(0.02), null).build());
            assertNull(kb.get(id).orElseThrow().test());
        }
    }

    @Test
    void exactDuplicatesAreFoundByCanonicalHash() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            long id = kb.insert(factor("a", "Mean($close, 5) / $close", "mean reversion").build());
            String hash = SANDBOX.parse("ts_mean(close, 5.5)/close").hash();
            assertEquals(List.of(id), kb.byHash(hash).stream().map(FactorRecord::id).toList());
            assertTrue(kb.byHash(SANDBOX.parse("rank(open)").hash()).isEmpty());
        }
    }

    @Test
    void semanticSearchRanksByCosineAndHonoursFilters() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            long mom = kb.insert(factor("volume momentum", "rank(delta(close, 5)) * rank(volume)",
                    "volume confirmed momentum").run("r1", 1, 1).build());
            long rev = kb.insert(factor("reversal", "-1 * rank(delta(close, 1))", "short term reversal")
                    .run("r2", 1, 1).build());
            kb.insert(factor("failed momentum", "rank(delta(close, 10))", "momentum of prices")
                    .status(Status.INVALID, List.of("NaN everywhere")).run("r1", 1, 2).build());
            List<Hit> hits = kb.search("volume-confirmed momentum", 3, Filter.ANY);
            assertEquals(mom, hits.get(0).factor().id());
            assertTrue(hits.get(0).score() > hits.get(1).score());
            List<Hit> accepted = kb.search("momentum", 10, Filter.accepted());
            assertTrue(accepted.stream().allMatch(h -> h.factor().status() == Status.ACCEPTED));
            assertEquals(2, accepted.size());
            assertEquals(List.of(rev), kb.search("momentum", 10, Filter.ANY.withRun("r2")).stream()
                    .map(h -> h.factor().id()).toList());
            assertTrue(kb.search("momentum", 10, Filter.ANY.withDataset("other")).isEmpty());
            // search after a reopen loads the vectors from the file
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            assertEquals(3, kb.search("momentum", 10, Filter.ANY).size());
            long first = kb.list(Filter.ANY, KnowledgeBase.Sort.CREATED, 10).get(2).id();
            assertFalse(kb.similar(first, 5, Filter.ANY).stream().anyMatch(h -> h.factor().id() == first));
        }
    }

    @Test
    void theWriterGetsTheBestSuccessesAndTheMostInstructiveFailuresNearAnIdea() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            // ordered by train rank IC, the split the search runs on
            kb.insert(factor("momentum weak", "rank(delta(close, 5))", "price momentum").stats(stats(0.01),
                    stats(0.06), null).build());
            long strong = kb.insert(factor("momentum strong", "rank(delta(close, 20))", "price momentum trend")
                    .stats(stats(0.05), stats(0.02), null).build());
            long failure = kb.insert(factor("momentum noisy", "rank(delta(close, 1))", "price momentum daily")
                    .status(Status.REJECTED, List.of("turnover too high")).build());
            kb.insert(factor("dividends", "rank(volume)", "utilities dividend yield")
                    .status(Status.REJECTED, List.of("unrelated")).build());
            List<Hit> best = kb.bestNear("price momentum", 2, "data1");
            assertEquals(strong, best.get(0).factor().id());
            List<Hit> failures = kb.failuresNear("price momentum", 1, null);
            assertEquals(failure, failures.get(0).factor().id());
            assertEquals(List.of("turnover too high"), failures.get(0).factor().rejectionReasons());
        }
    }

    @Test
    void retrievalForTheWriterCanBeLimitedToWhatTheKnowledgeBaseHeldAtAMoment() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            long old = kb.insert(factor("momentum old", "rank(delta(close, 5))", "price momentum")
                    .stats(null, stats(0.02), null).build());
            long oldFailure = kb.insert(factor("momentum noisy", "rank(delta(close, 1))", "price momentum daily")
                    .status(Status.REJECTED, List.of("turnover too high")).build());
            long horizon = kb.lastId();
            assertEquals(oldFailure, horizon);
            kb.insert(factor("momentum new", "rank(delta(close, 20))", "price momentum trend")
                    .stats(null, stats(0.05), null).build());
            kb.insert(factor("momentum newer failure", "rank(delta(close, 2))", "price momentum")
                    .status(Status.REJECTED, List.of("weak")).build());
            assertEquals(List.of(old), kb.bestNear("price momentum", 5, "data1", horizon).stream()
                    .map(h -> h.factor().id()).toList());
            assertEquals(List.of(oldFailure), kb.failuresNear("price momentum", 5, "data1", horizon).stream()
                    .map(h -> h.factor().id()).toList());
            assertEquals(List.of(old, oldFailure), kb.list(Filter.ANY.upTo(horizon), KnowledgeBase.Sort.ID, 10)
                    .stream().map(FactorRecord::id).toList());
        }
    }

    @Test
    void anOverlongNameAndFormulaAreStoredCutToTheirColumns() {
        String formula = "rank(close) + " + "x".repeat(10_000);
        String name = "n".repeat(1_000);
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            long id = kb.insert(FactorRecord.builder(formula).name(name).writer("llm", "m".repeat(300))
                    .status(Status.INVALID, List.of("too long")).dataset("data1").build());
            FactorRecord back = kb.get(id).orElseThrow();
            assertEquals(FactorTable.FORMULA_WIDTH, back.formula().length());
            assertTrue(back.formula().startsWith("rank(close) + xxx") && back.formula().endsWith("\u2026"));
            assertEquals(FactorTable.NAME_WIDTH, back.name().length());
            assertTrue(back.name().endsWith("\u2026"));
            assertEquals(FactorTable.WRITER_MODEL_WIDTH, back.writerModel().length());
        }
    }

    @Test
    void anImportedFactorWithAnOverlongNameIsStoredCut() throws Exception {
        StringWriter json = new StringWriter();
        FactorRecord longName = factor("n".repeat(1_000), "rank(close)", "x").build().toBuilder().id(7).build();
        Exchange.exportJson(List.of(longName), json);
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            assertEquals(new Exchange.ImportResult(1, 0), Exchange.importJson(kb, new StringReader(json.toString())));
            assertEquals(FactorTable.NAME_WIDTH, kb.list(Filter.ANY, KnowledgeBase.Sort.ID, 1).get(0).name()
                    .length());
        }
    }

    @Test
    void aTextIsNeverCutInsideASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String cut = FactorTable.fit("ab" + emoji + "cd", 4);
        assertEquals("ab\u2026", cut);
        assertEquals("abc", FactorTable.fit("abc", 3));
    }

    @Test
    void structuralOverlapFindsTheLargestSharedSubtree() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            long a = kb.insert(factor("a", "rank(delta(close, 5)) * volume", "x").build());
            kb.insert(factor("b", "ts_mean(open, 3)", "y").build());
            kb.insert(factor("c", "rank(delta(close, 5)) + 1", "z").status(Status.REJECTED, List.of("r")).build());
            List<Hit> hits = kb.structuralOverlap(SANDBOX.parse("rank(delta(close, 5)) / open"), null, 5);
            assertEquals(1, hits.size()); // rejected factors and the unrelated one do not count
            assertEquals(a, hits.get(0).factor().id());
            assertEquals(4.0, hits.get(0).score());
        }
    }

    @Test
    void aggregatesCountSuccessByOperatorFamilyRunAndWriter() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            kb.insert(factor("a", "rank(delta(close, 5))", "x").run("r1", 1, 1).writer("llm", "m").build());
            kb.insert(factor("b", "ts_mean(close, 5)", "y").run("r1", 1, 2).writer("offline", null)
                    .status(Status.REJECTED, List.of("weak")).build());
            List<GroupRate> families = kb.successByFamily();
            GroupRate ts = families.stream().filter(g -> g.group().equals("time_series")).findFirst().orElseThrow();
            assertEquals(2, ts.tried());
            assertEquals(1, ts.accepted());
            GroupRate cs = families.stream().filter(g -> g.group().equals("cross_section")).findFirst().orElseThrow();
            assertEquals(1.0, cs.rate());
            assertEquals(List.of(new GroupRate("r1", 2, 1)), kb.successByRun());
            assertEquals(List.of(new GroupRate("llm/m", 1, 1), new GroupRate("offline/-", 1, 0)),
                    kb.successByWriter());
        }
    }

    @Test
    void listSortsAndFiltersWithoutLoadingTheEmbedder() {
        AtomicInteger made = new AtomicInteger();
        Supplier<Embedder> counting = () -> {
            made.incrementAndGet();
            return new HashingEmbedder();
        };
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            kb.insert(factor("low", "rank(close)", "x").stats(null, stats(0.01), null).judge(9.0, "f").build());
            kb.insert(factor("high", "rank(open)", "y").stats(null, stats(0.04), null).judge(2.0, "f").build());
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir, counting)) {
            assertEquals("high", kb.list(Filter.ANY, KnowledgeBase.Sort.RANK_IC, 10).get(0).name());
            assertEquals("low", kb.list(Filter.ANY, KnowledgeBase.Sort.SCORE, 10).get(0).name());
            assertEquals(1, kb.list(Filter.ANY, KnowledgeBase.Sort.CREATED, 1).size());
            kb.successByFamily();
            kb.countByStatus();
            assertEquals(0, made.get());
        }
    }

    @Test
    void runsAreSavedUpdatedAndDeletedWithTheirFactors() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            RunRecord run = new RunRecord("r1", "{\"rounds\":5}", "{\"round\":2}", "data1", "2020-01-01",
                    "2024-12-31", 500, "{}", RunStatus.RUNNING, 0.4, 10, 2, 1, 5000, 0.12,
                    Instant.parse("2025-01-01T00:00:00Z"), null);
            kb.saveRun(run);
            assertEquals(run, kb.run("r1").orElseThrow());
            RunRecord done = new RunRecord("r1", run.configJson(), run.stateJson(), "data1", "2020-01-01",
                    "2024-12-31", 500, "{}", RunStatus.FINISHED, 1.0, 20, 4, 1, 9000, 0.2, run.startedAt(),
                    Instant.parse("2025-01-01T01:00:00Z"));
            kb.saveRun(done);
            assertEquals(List.of(done), kb.runs());
            kb.insert(factor("a", "rank(close)", "x").run("r1", 1, 1).build());
            kb.insert(factor("b", "rank(open)", "y").build());
            assertEquals(1, kb.search("x", 10, Filter.ANY.withRun("r1")).size());
            assertEquals(1, kb.deleteRun("r1"));
            assertEquals(1, kb.count());
            assertTrue(kb.runs().isEmpty());
            assertTrue(kb.search("x", 10, Filter.ANY.withRun("r1")).isEmpty());
        }
    }

    @Test
    void renamingADataSetMovesItsFactorsRunsAndTrialsAndSearchesFindThemUnderTheNewKey() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            kb.saveRun(run("r1", "{}", "2025-01-01T00:00:00Z")); // filed under data1
            kb.insert(factor("old", "rank(delta(close, 5))", "momentum").run("r1", 1, 1).build());
            kb.insert(factor("older", "rank(volume)", "attention").build());
            kb.insert(factor("new", "rank(open)", "gap").dataset("digest").build());
            kb.insert(factor("other data", "rank(high)", "x").dataset("data2").build());
            assertTrue(kb.search("momentum", 10, Filter.ANY.withDataset("digest")).size() == 1); // index built
            assertEquals(3, kb.renameDataset("data1", "digest"));
            assertEquals(List.of("old", "older", "new"), kb.list(Filter.ANY.withDataset("digest"),
                    KnowledgeBase.Sort.ID, 10).stream().map(FactorRecord::name).toList());
            assertEquals("digest", kb.run("r1").orElseThrow().dataKey());
            assertEquals(3, kb.trials("digest"));
            assertEquals(0, kb.trials("data1"));
            assertEquals(1, kb.trials("data2"));
            assertEquals(3, kb.search("momentum", 10, Filter.ANY.withDataset("digest")).size());
            assertTrue(kb.search("momentum", 10, Filter.ANY.withDataset("data1")).isEmpty());
            assertEquals(0, kb.renameDataset("data1", "digest"), "done once");
        }
    }

    @Test
    void anImportedFactorsHashIsItsFormulasWhateverTheFileSays() throws Exception {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            kb.insert(factor("stored", "rank(delta(close, 5))", "momentum").build());
            StringWriter json = new StringWriter();
            Exchange.exportJson(kb.list(Filter.ANY, KnowledgeBase.Sort.ID, 10), kb.runs(), json);
            String forged = json.toString().replace(SANDBOX.parse("rank(delta(close, 5))").hash(), "0123456789abcdef");
            assertTrue(forged.contains("0123456789abcdef"));
            // the same factor under a wrong hash: merged with the stored one, not added beside it
            assertEquals(new Exchange.ImportResult(0, 1), Exchange.importJson(kb, new StringReader(forged)));
            assertEquals(1, kb.count());
        }
    }

    @Test
    void anExportMadeBeforeARenameImportsIntoTheRenamedDataSetWithoutCopies() throws Exception {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            kb.saveRun(run("r1", "{}", "2025-01-01T00:00:00Z")); // filed under data1
            kb.insert(factor("old", "rank(delta(close, 5))", "momentum").run("r1", 1, 1).build());
            StringWriter json = new StringWriter();
            Exchange.exportJson(kb.list(Filter.ANY, KnowledgeBase.Sort.ID, 10), kb.runs(), json);
            kb.renameDataset("data1", "path-key");
            kb.renameDataset("path-key", "digest"); // renamed twice: the first key leads to the last
            assertEquals("digest", kb.currentDatasetKey("data1"));
            assertEquals(new Exchange.ImportResult(0, 1), Exchange.importJson(kb, new StringReader(json.toString())));
            assertEquals(1, kb.count());
            assertEquals(1, kb.runs().size());
            assertEquals(1, kb.trials("digest"));
            assertEquals("other", kb.currentDatasetKey("other"));
        }
    }

    @Test
    void aBatchThatFailsPartWayStoresNoneOfItAndCountsNoTrial() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            FactorRecord good = factor("good", "rank(close)", "x").build();
            FactorRecord broken = factor("broken", "rank(open)", "y").status(null, List.of()).build();
            assertThrows(RuntimeException.class, () -> kb.insertAll(List.of(good, broken)));
            assertEquals(0, kb.count());
            assertEquals(0, kb.trials("data1"));
            kb.insert(good); // and the base goes on committing
            assertEquals(1, kb.count());
        }
    }

    private static RunRecord run(String id, String config, String started) {
        return new RunRecord(id, config, "{}", "data1", "2020-01-01", "2024-12-31", 500, "{}", RunStatus.FINISHED, 1.0,
                10, 2, 1, 0, 0, Instant.parse(started), Instant.parse(started).plusSeconds(60));
    }

    @Test
    void anImportedRunWhoseIdIsTakenByAnotherRunComesInUnderANewIdWithItsFactors() throws Exception {
        StringWriter json = new StringWriter();
        try (KnowledgeBase other = KnowledgeBase.open(dir.resolve("other"), HASHING)) {
            other.saveRun(run("r1", "{\"rounds\":9}", "2025-02-01T00:00:00Z"));
            other.insert(factor("theirs", "rank(delta(close, 3))", "y").run("r1", 1, 1).build());
            Exchange.exportJson(other.list(Filter.ANY, KnowledgeBase.Sort.ID, 10), other.runs(), json);
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("here"), HASHING)) {
            RunRecord ours = run("r1", "{\"rounds\":5}", "2025-01-01T00:00:00Z");
            kb.saveRun(ours);
            kb.insert(factor("ours", "rank(close)", "x").run("r1", 1, 1).build());
            assertEquals(new Exchange.ImportResult(1, 0), Exchange.importJson(kb, new StringReader(json.toString())));
            assertEquals(ours, kb.run("r1").orElseThrow());
            assertEquals("{\"rounds\":9}", kb.run("r1-imported").orElseThrow().configJson());
            FactorRecord theirs = kb.list(Filter.ANY.withRun("r1-imported"), KnowledgeBase.Sort.ID, 10).get(0);
            assertEquals("theirs", theirs.name());
            // a second import recognises the renamed run: nothing new
            assertEquals(new Exchange.ImportResult(0, 1), Exchange.importJson(kb, new StringReader(json.toString())));
            assertEquals(2, kb.runs().size());
        }
    }

    @Test
    void importMergesByCanonicalHashWithoutDuplicating() throws Exception {
        StringWriter json = new StringWriter();
        Path source = dir.resolve("a");
        try (KnowledgeBase kb = KnowledgeBase.open(source, HASHING)) {
            long p = kb.insert(factor("p", "rank(close)", "x").build());
            kb.insert(factor("child", "rank(delta(close, 2))", "y").parent(p).stats(stats(0.1), stats(0.2), null)
                    .build());
            Exchange.exportJson(kb.list(Filter.ANY, KnowledgeBase.Sort.ID, 100), json);
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("b"), HASHING)) {
            kb.insert(factor("same as p", "rank(close)", "x").build());
            assertEquals(new Exchange.ImportResult(1, 1), Exchange.importJson(kb, new StringReader(json.toString())));
            assertEquals(new Exchange.ImportResult(0, 2), Exchange.importJson(kb, new StringReader(json.toString())));
            assertEquals(2, kb.count());
            FactorRecord child = kb.list(Filter.ANY, KnowledgeBase.Sort.RANK_IC, 1).get(0);
            assertEquals("child", child.name());
            assertEquals("same as p", kb.get(child.parentId()).orElseThrow().name()); // lineage remapped
        }
    }

    @Test
    void anImportTellsItsProgressAfterEveryFactorAddedOrSkipped() throws Exception {
        StringWriter json = new StringWriter();
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("a"), HASHING)) {
            kb.insert(factor("p", "rank(close)", "x").build());
            kb.insert(factor("q", "rank(volume)", "x").build());
            kb.insert(factor("r", "rank(open)", "x").build());
            Exchange.exportJson(kb.list(Filter.ANY, KnowledgeBase.Sort.ID, 100), json);
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("b"), HASHING)) {
            kb.insert(factor("same as q", "rank(volume)", "x").build());
            List<String> told = new ArrayList<>();
            Exchange.importJson(kb, new StringReader(json.toString()), (done, total) -> told.add(done + "/" + total));
            assertEquals(List.of("1/3", "2/3", "3/3"), told);
        }
    }

    @Test
    void exportWritesJsonCsvAndQlibExpressions() throws Exception {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            kb.insert(factor("mean rev", "Mean($close, 5) / $close", "x,y").stats(null, stats(0.02), null).build());
            kb.insert(factor("cond", "(close > open) ? rank(volume) : -1 * ts_corr(close, volume, 10)", "z").build());
            List<FactorRecord> all = kb.list(Filter.ANY, KnowledgeBase.Sort.ID, 10);
            StringWriter json = new StringWriter();
            Exchange.exportJson(all, json);
            assertEquals(2, FactorJson.MAPPER.readTree(json.toString()).size());
            StringWriter csv = new StringWriter();
            Exchange.exportCsv(all, csv);
            assertTrue(csv.toString().startsWith("id,name,status,formula"));
            assertTrue(csv.toString().contains(",mean rev,accepted,\"Mean($close, 5) / $close\",\"(ts_mean(close, 5) / close)\""));
            StringWriter qlib = new StringWriter();
            Exchange.exportQlib(all, qlib);
            String[] lines = qlib.toString().split("\n");
            assertEquals("mean_rev\t(Mean($close, 5) / $close)", lines[1]);
            assertTrue(lines[2].startsWith("# cond (#2): not exported: rank is cross-sectional"), lines[2]);
        }
    }

    @Test
    void everyLookAtValidIsCountedPerDataSetAndMovesWithARename() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            kb.insert(factor("looked", "rank(close)", "x").stats(stats(0.03), stats(0.02), null).build());
            kb.insert(factor("not looked", "rank(open)", "x").stats(stats(0.01), null, null).build());
            assertEquals(2, kb.trials("data1"));
            assertEquals(1, kb.validLooks("data1"));
            kb.addValidLooks("data1", 8); // a combined signal's looks, which store no factor
            assertEquals(9, kb.validLooks("data1"));
            assertEquals(1, kb.looks("data1").size(), "only stored factors have their evidence listed");
            assertEquals(0.02, kb.looks("data1").get(0).validRankIc(), 1e-15);
            kb.renameDataset("data1", "digest");
            assertEquals(9, kb.validLooks("digest"));
            assertEquals(0, kb.validLooks("data1"));
        }
    }

    @Test
    void aKnowledgeBaseFromBeforeTheGateCountsEveryFactorWithValidStatisticsAsALook() throws Exception {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING, 3)) {
            kb.insert(factor("a", "rank(close)", "x").build());
            kb.insert(factor("b", "rank(open)", "x").build());
            kb.insert(factor("c", "rank(high)", "x").build());
        }
        // as a version that screened on valid stored them
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath() + "/kb", "sa", "");
             Statement s = c.createStatement()) {
            s.execute("UPDATE factors SET valid_stats = '" + FactorJson.write(stats(0.02)) + "' WHERE name <> 'c'");
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            assertEquals(2, kb.validLooks("data1"), "earlier versions screened every trial on valid");
            assertEquals(3, kb.trials("data1"));
        }
    }

    @Test
    void anOlderKnowledgeBaseIsMigratedOnOpen() throws Exception {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING, 1)) {
            assertEquals(1, kb.schemaVersion());
        }
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            assertEquals(4, kb.schemaVersion());
            long id = kb.insert(factor("a", "rank(close)", "x").build());
            assertEquals(1, kb.renameDataset("data1", "digest")); // the newest table is there
            assertEquals("digest", kb.currentDatasetKey("data1"));
            assertEquals(id, kb.search("x", 1, Filter.ANY).get(0).factor().id());
        }
    }

    @Test
    void anImportWhoseStatisticsAreNotAnObjectNamesTheEntryAndTheKey() throws Exception {
        String json = "[{\"id\": 7, \"formula\": \"rank(close)\", \"valid\": \"high\"}]";
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Exchange.importJson(kb, new StringReader(json)));
            assertTrue(e.getMessage().contains("entry 1 (id 7): not a factor record: \"valid\" is not an object"),
                    e.getMessage());
        }
    }

    @Test
    void anImportWithRunsThatAreNotAnArrayIsRefusedSayingSo() throws Exception {
        String json = "{\"format\": \"quantagent-kb\", \"version\": 3, \"runs\": {}, \"factors\": []}";
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Exchange.importJson(kb, new StringReader(json)));
            assertTrue(e.getMessage().contains("\"runs\" of the export is not an array"), e.getMessage());
        }
    }

    @Test
    void anImportedRunWithAnUnreadableTimeNamesTheRunAndTheField() throws Exception {
        String json = "{\"format\": \"quantagent-kb\", \"version\": 3, \"runs\": [{\"id\": \"r1\", "
                + "\"started_at\": \"yesterday\"}], \"factors\": []}";
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Exchange.importJson(kb, new StringReader(json)));
            assertTrue(e.getMessage().contains("run 1: \"started_at\" is \"yesterday\", not a time"), e.getMessage());
        }
    }

    @Test
    void aKnowledgeBaseFromTheFutureIsRefusedWithAClearError() throws Exception {
        KnowledgeBase.open(dir, HASHING).close();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.toAbsolutePath() + "/kb", "sa", "");
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version VALUES (99, 'V99__future.sql', 0)");
        }
        KnowledgeBaseException e = assertThrows(KnowledgeBaseException.class, () -> KnowledgeBase.open(dir, HASHING));
        assertTrue(e.getMessage().contains("schema version 99, newer than this quantagent understands (4)"),
                e.getMessage());
    }

    @Test
    void migrationScriptsSplitIntoStatements() {
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE INDEX i ON a(x)"),
                Migrations.statements("-- a comment; here\nCREATE TABLE a (x INT);\nCREATE INDEX i ON a(x);\n"));
    }

    @Test
    void aSecondProcessOpeningTheSameKnowledgeBaseGetsAClearMessage() throws Exception {
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HASHING)) {
            kb.insert(factor("a", "rank(close)", "x").build());
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SecondOpener.class.getName(), dir.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(3, p.waitFor(), output);
            assertTrue(output.contains("the knowledge base at " + dir.toAbsolutePath().normalize()
                    + " is open in another quantagent process"), output);
        }
    }

    @Test
    void theHashingEmbedderIsDeterministicAndUnitLength() {
        HashingEmbedder e = new HashingEmbedder();
        float[] a = e.embed("volume confirmed momentum");
        assertEquals(384, a.length);
        assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(e.embed("volume confirmed momentum")));
        assertEquals(1.0, Vectors.dot(a, a, 0), 1e-5);
        float[] b = e.embed("momentum confirmed by volume");
        float[] c = e.embed("dividend yield of utilities");
        assertTrue(Vectors.dot(a, b, 0) > Vectors.dot(a, c, 0));
    }

    /** Child process of the locking test: tries to open the knowledge base, prints the error, exits 3. */
    static final class SecondOpener {
        public static void main(String[] args) {
            try (KnowledgeBase kb = KnowledgeBase.open(Path.of(args[0]), HASHING)) {
                System.out.println("opened " + kb.count());
                System.exit(0);
            } catch (KnowledgeBaseException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
