package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.knowledge.FactorJson;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.HashingEmbedder;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.RunRecord;
import dev.quantagent.knowledge.RunStatus;
import dev.quantagent.knowledge.Stats;
import dev.quantagent.knowledge.Status;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KbCliTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    @TempDir
    Path dir;

    private final AtomicInteger embeddersMade = new AtomicInteger();
    private long parent;
    private long child;

    private CliRun kb(String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "kb";
        full[1] = "--kb";
        full[2] = dir.resolve("kb").toString();
        System.arraycopy(args, 0, full, 3, args.length);
        return CliRun.of(() -> {
            embeddersMade.incrementAndGet();
            return new HashingEmbedder();
        }, full);
    }

    @BeforeEach
    void fill() {
        Stats s = new Stats(0.01, 0.03, 0.2, 0.3, 2, 0.001, 0.1, 1.2, -0.1, 0.3, 0.99, 200, 4.2, 1.5);
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            kb.saveRun(new RunRecord("run-1", "{}", "{}", "d1", "2020-01-01", "2021-01-01", 10, "{}",
                    RunStatus.FINISHED, 1.0, 2, 1, 0, 100, 0.01, Instant.parse("2025-01-01T00:00:00Z"), null));
            parent = kb.insert(FactorRecord.builder(SANDBOX.parse("rank(delta(close, 5))")).name("momentum")
                    .hypothesis("volume confirmed momentum").run("run-1", 1, 1).dataset("d1")
                    .judge(7.0, "promising; try a volume filter").stats(s, s, null).build());
            child = kb.insert(FactorRecord.builder(SANDBOX.parse("rank(delta(close, 5)) * rank(volume)"))
                    .name("momentum x volume").hypothesis("momentum with volume").parent(parent).run("run-1", 2, 1)
                    .dataset("d1").status(Status.REJECTED, List.of("too correlated with #1"))
                    .judge(4.0, "redundant").build());
            kb.insert(FactorRecord.builder(SANDBOX.parse("Mean($close, 5) / $close")).name("reversal")
                    .hypothesis("mean reversion").dataset("d1").build());
        }
        embeddersMade.set(0);
    }

    @Test
    void listShowsFactorsFilteredAndSortedWithoutLoadingTheModel() throws Exception {
        CliRun r = kb("list", "--status", "accepted", "--sort", "rank_ic");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("momentum") && r.out().contains("reversal"), r.out());
        assertTrue(!r.out().contains("momentum x volume"), r.out());
        CliRun j = kb("list", "--run", "run-1", "--json", "--limit", "1", "--sort", "created");
        assertEquals(1, FactorJson.MAPPER.readTree(j.out()).size());
        assertEquals(0, embeddersMade.get());
        assertEquals(2, kb("list", "--sort", "nonsense").code());
        assertEquals(2, kb("list", "--status", "maybe").code());
    }

    @Test
    void showPrintsEverythingWithLineageAndFeedbackHistory() {
        CliRun r = kb("show", String.valueOf(child));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("too correlated with #1"), r.out());
        assertTrue(r.out().contains("#" + parent + " round 1: promising; try a volume filter"), r.out());
        assertTrue(r.out().contains("#" + child + " round 2: redundant"), r.out());
        assertEquals(2, kb("show", "999").code());
        assertEquals(0, embeddersMade.get());
    }

    @Test
    void statsAndRunsSummariseWithoutLoadingTheModel() {
        CliRun r = kb("stats");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("factors: 3 (accepted 2, rejected 1, invalid 0)"), r.out());
        assertTrue(r.out().contains("time_series"), r.out());
        assertTrue(r.out().contains("trials on data d1: 3"), r.out());
        CliRun runs = kb("runs");
        assertTrue(runs.out().contains("run-1") && runs.out().contains("finished"), runs.out());
        assertEquals(0, embeddersMade.get());
    }

    @Test
    void searchAndSimilarFindSemanticNeighbours() {
        CliRun r = kb("search", "volume-confirmed momentum", "-k", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().findFirst().orElseThrow().contains("momentum"), r.out());
        assertEquals(2, r.out().lines().count());
        CliRun s = kb("similar", String.valueOf(parent), "-k", "1");
        assertEquals(0, s.code(), s.err());
        assertEquals(1, s.out().lines().count());
        assertEquals(2, embeddersMade.get()); // once per command that needs vectors
    }

    @Test
    void aBlankSearchOrANonPositiveKIsABadInputNotACrash() {
        CliRun blank = kb("search", " ");
        assertEquals(2, blank.code(), blank.err());
        assertTrue(blank.err().contains("give a text to search for"), blank.err());
        CliRun k = kb("similar", String.valueOf(parent), "-k", "-1");
        assertEquals(2, k.code(), k.err());
        assertTrue(k.err().contains("-k -1"), k.err());
        assertEquals(0, embeddersMade.get()); // refused before the model loads
    }

    @Test
    void exportThenImportIntoAnotherKnowledgeBaseMergesByHash() throws Exception {
        Path json = dir.resolve("all.json");
        assertEquals(0, kb("export", "--out", json.toString()).code());
        Path qlib = dir.resolve("all.qlib");
        assertEquals(0, kb("export", "--format", "qlib", "--out", qlib.toString()).code());
        assertTrue(Files.readString(qlib).contains("reversal\t(Mean($close, 5) / $close)"));
        Path csv = dir.resolve("all.csv");
        assertEquals(0, kb("export", "--format", "csv", "--out", csv.toString()).code());
        assertEquals(4, Files.readAllLines(csv).size());
        assertEquals(2, kb("export", "--format", "xml", "--out", csv.toString()).code());
        CliRun again = kb("import", json.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("imported 0 factors, skipped 3"), again.out());
        assertEquals(2, kb("import", dir.resolve("missing.json").toString()).code());
    }

    @Test
    void exportToAMissingDirectoryExitsWithTwoNamingTheFile() {
        Path out = dir.resolve("no-such-dir").resolve("all.json");
        CliRun r = kb("export", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: --out " + out + ": cannot write: no such directory"), r.err());
    }

    @Test
    void importSaysOnStandardErrorHowFarItGot() throws Exception {
        Path json = dir.resolve("all.json");
        assertEquals(0, kb("export", "--out", json.toString()).code());
        CliRun r = kb("import", json.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("imported 3/3", r.err().strip());
    }

    @Test
    void importProgressIsPrintedEveryThousandFactorsAndAtTheEnd() {
        assertEquals("imported 1,000/2,500", KbCommand.Import.progress(1000, 2500));
        assertEquals("imported 2,500/2,500", KbCommand.Import.progress(2500, 2500));
        assertEquals(null, KbCommand.Import.progress(999, 2500));
        assertEquals(null, KbCommand.Import.progress(2001, 2500));
    }

    @Test
    void importingADirectoryExitsWithTwo() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("exports"));
        CliRun r = kb("import", folder.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(folder + ": cannot read"), r.err());
    }

    @Test
    void anImportWithOneBadEntryImportsNothingAndNamesTheEntry() throws Exception {
        Path json = dir.resolve("all.json");
        assertEquals(0, kb("export", "--out", json.toString()).code());
        var export = (com.fasterxml.jackson.databind.node.ObjectNode) FactorJson.MAPPER.readTree(json.toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) export.get("factors")).addObject().put("id", 77);
        FactorJson.MAPPER.writeValue(json.toFile(), export);
        Path other = dir.resolve("other");
        assertImportsNothing(other, json, "entry 4 (id 77) has no formula");
    }

    /** Imports {@code json} into {@code other}: refused with {@code message}, no SQL in it, nothing stored. */
    private static void assertImportsNothing(Path other, Path json, String message) {
        CliRun r = CliRun.of("kb", "--kb", other.toString(), "import", json.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertTrue(!r.err().contains("SQL") && !r.err().contains("NULL") && !r.err().contains("Exception"), r.err());
        try (KnowledgeBase kb = KnowledgeBase.open(other, HashingEmbedder::new)) {
            assertEquals(0, kb.lastId(), "nothing stored, no id spent");
            assertTrue(kb.runs().isEmpty(), "a run was stored from an import that failed");
        }
    }

    @Test
    void escapeSequencesInAnImportedNameNeverReachTheTerminal() throws Exception {
        Path json = dir.resolve("all.json");
        assertEquals(0, kb("export", "--out", json.toString()).code());
        var export = (com.fasterxml.jackson.databind.node.ObjectNode) FactorJson.MAPPER.readTree(json.toFile());
        String hostile = "evil\u001b]0;pwned\u0007\u001b[2J\u202eeman";
        ((com.fasterxml.jackson.databind.node.ObjectNode) export.get("factors").get(0)).put("name", hostile)
                .put("hypothesis", hostile);
        FactorJson.MAPPER.writeValue(json.toFile(), export);
        Path other = dir.resolve("other");
        assertEquals(0, CliRun.of("kb", "--kb", other.toString(), "import", json.toString()).code());
        for (String[] cmd : new String[][] {{"list"}, {"show", "1"}, {"search", "evil"}}) {
            String[] full = new String[cmd.length + 3];
            full[0] = "kb";
            full[1] = "--kb";
            full[2] = other.toString();
            System.arraycopy(cmd, 0, full, 3, cmd.length);
            CliRun r = CliRun.of(HashingEmbedder::new, full);
            assertEquals(0, r.code(), r.err());
            String shown = r.out() + r.err();
            assertTrue(!shown.contains("\u001b") && !shown.contains("\u0007") && !shown.contains("\u202e"),
                    String.join(" ", cmd) + ": " + shown);
            assertTrue(shown.contains("evil\\u001B]0;pwned\\u0007\\u001B[2J\\u202Eeman"),
                    String.join(" ", cmd) + ": " + shown);
        }
    }

    @Test
    void anImportedTimeBeyondTheYear9999OrARunTextWiderThanItsColumnIsRefusedNamingTheEntry() throws Exception {
        Path json = dir.resolve("all.json");
        assertEquals(0, kb("export", "--out", json.toString()).code());
        String[][] cases = {
            {"factors", "created_at", "+1000000000-01-01T00:00:00Z", "entry 1 (id 1): not a factor record: "
                    + "\"created_at\" is \"+1000000000-01-01T00:00:00Z\", not a time such as 2024-01-31T12:00:00Z"},
            {"runs", "started_at", "+1000000000-01-01T00:00:00Z", "run 1: \"started_at\" is "
                    + "\"+1000000000-01-01T00:00:00Z\", not a time such as 2024-01-31T12:00:00Z"},
            {"runs", "data_from", "x".repeat(41), "run 1: \"data_from\" is longer than 40 characters"},
            {"runs", "splits", "{\"train\": \"" + "y".repeat(4000) + "\"}",
                "run 1: \"splits\" is longer than 4000 characters"}};
        for (String[] c : cases) {
            var export = (com.fasterxml.jackson.databind.node.ObjectNode) FactorJson.MAPPER.readTree(json.toFile());
            ((com.fasterxml.jackson.databind.node.ObjectNode) export.get(c[0]).get(0)).put(c[1], c[2]);
            Path bad = dir.resolve("bad.json");
            FactorJson.MAPPER.writeValue(bad.toFile(), export);
            assertImportsNothing(dir.resolve("other-" + c[1]), bad, c[3]);
        }
    }

    @Test
    void anEntryWithAHugeIdIsNamedByItsFirstCharactersOnly() throws Exception {
        Path json = dir.resolve("all.json");
        assertEquals(0, kb("export", "--out", json.toString()).code());
        var export = (com.fasterxml.jackson.databind.node.ObjectNode) FactorJson.MAPPER.readTree(json.toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) export.get("factors").get(0)).put("id", "7".repeat(100_000));
        FactorJson.MAPPER.writeValue(json.toFile(), export);
        CliRun r = CliRun.of("kb", "--kb", dir.resolve("other").toString(), "import", json.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("entry 1 (id " + "7".repeat(40) + "...)"), r.err());
        assertTrue(r.err().length() < 2000, r.err().length() + " characters");
    }

    @Test
    void aKnowledgeBasePathWithASemicolonIsRefusedAndCreatesNothing() throws Exception {
        Path json = dir.resolve("all.json");
        assertEquals(0, kb("export", "--out", json.toString()).code());
        Path odd = dir.resolve("odd;TRACE_LEVEL_FILE=3");
        CliRun r = CliRun.of("kb", "--kb", odd.toString(), "import", json.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("the knowledge base path " + odd + " contains ';'"), r.err());
        try (var files = Files.list(dir)) {
            assertEquals(List.of("all.json", "kb"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "a database or trace file was made beside it");
        }
    }

    @Test
    void readingAKnowledgeBaseThatIsNotThereIsABadInputAndCreatesNothing() {
        Path typo = dir.resolve("kbb");
        for (String[] cmd : new String[][] {{"list"}, {"runs"}, {"stats"}, {"show", "1"}}) {
            String[] full = new String[cmd.length + 3];
            full[0] = "kb";
            full[1] = "--kb";
            full[2] = typo.toString();
            System.arraycopy(cmd, 0, full, 3, cmd.length);
            CliRun r = CliRun.of(full);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("no knowledge base at " + typo), r.err());
        }
        CliRun report = CliRun.of("report", "--kb", typo.toString(), "--run", "run-1");
        assertEquals(2, report.code(), report.err());
        assertTrue(!Files.exists(typo), "a read created the directory");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 8, 12})
    void aTruncatedDatabaseFileIsRefusedByEveryCommandAndLeftByteForByte(int kilobytes) throws Exception {
        Path file = dir.resolve("kb").resolve("kb.mv.db");
        byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(file), kilobytes << 10);
        Files.write(file, cut);
        Path json = dir.resolve("export.json");
        Files.writeString(json, "[]");
        for (String[] cmd : new String[][] {{"list"}, {"stats"}, {"runs"}, {"show", "1"}, {"export", "--out",
            dir.resolve("x.json").toString()}, {"import", json.toString()}}) {
            CliRun r = kb(cmd);
            assertEquals(2, r.code(), String.join(" ", cmd) + ": " + r.err());
            assertTrue(r.err().startsWith("error: the knowledge base file " + file + " is damaged ("), r.err());
            assertTrue(r.err().contains("it was left as it is: restore it from a backup, or move it away"), r.err());
            assertArrayEquals(cut, Files.readAllBytes(file), String.join(" ", cmd) + " changed the file");
        }
        CliRun report = CliRun.of("report", "--kb", dir.resolve("kb").toString(), "--run", "run-1");
        assertEquals(2, report.code(), report.err());
        CliRun mine = CliRun.of("mine", "--kb", dir.resolve("kb").toString(), "--rounds", "1",
                "--candidates-per-round", "1", "--out", dir.resolve("run").toString());
        assertEquals(2, mine.code(), mine.err());
        assertArrayEquals(cut, Files.readAllBytes(file), "mine changed the file");
        try (var files = Files.list(dir.resolve("kb"))) {
            assertEquals(List.of(file), files.toList(), "nothing is added beside it");
        }
    }

    @Test
    void anImportedRunWhoseSettingsAFactorReportCouldNotReadIsRefused() throws Exception {
        Path json = dir.resolve("bad-run.json");
        Files.writeString(json, "{\"format\": \"quantagent-kb\", \"version\": 3, \"runs\": [{\"id\": \"r9\", "
                + "\"config\": \"{\\\"evaluation\\\": {\\\"valid_from\\\": \\\"abc\\\"}}\"}], \"factors\": []}");
        CliRun r = CliRun.of("kb", "--kb", dir.resolve("other").toString(), "import", json.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("run 1 (id r9): its stored settings cannot be read as a run's"), r.err());
    }

    @Test
    void aFactorReportOnARunWithDamagedSettingsIsABadInputNotACrash() {
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            kb.saveRun(new RunRecord("run-1", "{not json", "{}", "d1", "2020-01-01", "2021-01-01", 10, "{}",
                    RunStatus.FINISHED, 1.0, 2, 1, 0, 100, 0.01, Instant.parse("2025-01-01T00:00:00Z"), null));
        }
        CliRun r = CliRun.of("report", "--kb", dir.resolve("kb").toString(), "--factor", String.valueOf(parent));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: run run-1 in the knowledge base: its stored settings cannot be read"),
                r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }

    @Test
    void importingAMissingFileCreatesNoKnowledgeBase() {
        Path fresh = dir.resolve("fresh");
        CliRun r = CliRun.of("kb", "--kb", fresh.toString(), "import", dir.resolve("missing.json").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(!Files.exists(fresh), "the failed import created a knowledge base");
    }

    @Test
    void deleteNeedsYes() {
        CliRun no = kb("delete", "--run", "run-1");
        assertEquals(2, no.code());
        assertTrue(no.err().contains("add --yes"), no.err());
        CliRun yes = kb("delete", "--run", "run-1", "--yes");
        assertEquals(0, yes.code(), yes.err());
        assertTrue(yes.out().contains("deleted run run-1 and its 2 factors"), yes.out());
        assertEquals(2, kb("delete", "--run", "nope", "--yes").code());
    }
}
