package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quantagent.knowledge.HashingEmbedder;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.testkit.FakeOpenAi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MineCliTest {

    @TempDir
    Path dir;

    /** Each mining of {@link #mineFor1s} writes its own run folder. */
    private int runFolders;

    private CliRun mine(String... extra) {
        String[] base = {"mine", "--kb", dir.resolve("kb").toString(), "--out", dir.resolve("run").toString(),
            "--rounds", "1", "--candidates-per-round", "4", "--steps-per-factor", "2"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CliRun.of(all);
    }

    @Test
    void aSmallRunOnTheEmbeddedMarketWritesItsRunFolder() throws IOException {
        CliRun r = mine("--json");
        assertEquals(0, r.code(), r.err());
        JsonNode summary = new ObjectMapper().readTree(r.out());
        assertEquals(4, summary.get("ideas").asInt());
        for (String f : new String[] {"pool.json", "pool.csv", "summary.json", "summary.md", "report.html"}) {
            assertTrue(Files.exists(dir.resolve("run").resolve(f)), f);
        }
        assertTrue(r.err().contains("ideas"), r.err());
    }

    @Test
    void aRunFolderFileThatCannotBeWrittenIsNamedAndTheRunResumesToWriteIt() throws Exception {
        Path run = Files.createDirectory(dir.resolve("run"));
        Path pipe = Fifo.make(run.resolve("summary.md"));
        CliRun r = mine();
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: --out " + run + ": cannot write summary.md: it is a named pipe (FIFO), "
                + "not a regular file"), r.err());
        assertTrue(Fifo.isPipe(pipe), "the pipe was replaced");
        String id = r.err().substring(r.err().indexOf("mine --resume ") + 14).split(" ")[0];
        Files.delete(pipe);
        CliRun resumed = mine("--resume", id);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(Files.exists(run.resolve("summary.md")), "the report was written on resume");
        assertTrue(CliRun.of("kb", "--kb", dir.resolve("kb").toString(), "runs").out().contains("finished"));
    }

    @Test
    void aRunFolderThatIsAFileIsRefusedSayingSoBeforeMining() throws Exception {
        Files.writeString(dir.resolve("run"), "not a folder");
        CliRun r = mine();
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: --out " + dir.resolve("run") + ": cannot write there: it is not a folder"),
                r.err());
        assertFalse(r.err().contains("ideas"), "mined before refusing: " + r.err());
    }

    @Test
    void theRunPageItWritesIsWhatReportRunGivesFromTheKnowledgeBase() throws IOException {
        CliRun r = mine();
        assertEquals(0, r.code(), r.err());
        Path folder = dir.resolve("run");
        String written = Files.readString(folder.resolve("report.html"));
        String runId = new ObjectMapper().readTree(folder.resolve("summary.json").toFile()).get("run").asText();
        CliRun again = CliRun.of("report", "--kb", dir.resolve("kb").toString(), "--run", runId, "--format", "html");
        assertEquals(0, again.code(), again.err());
        assertEquals(written, again.out(), "the same page, read back from the knowledge base");
        String verdict = new ObjectMapper().readTree(folder.resolve("summary.json").toFile()).get("verdict")
                .get("text").asText();
        assertTrue(written.contains(dev.quantagent.cli.html.HtmlPage.esc(verdict)), "the verdict on the page");
        CliRun md = CliRun.of("report", "--kb", dir.resolve("kb").toString(), "--run", runId);
        assertTrue(md.out().contains("**Verdict.** " + verdict), md.out());
        JsonNode json = new ObjectMapper().readTree(CliRun.of("report", "--kb", dir.resolve("kb").toString(), "--run",
                runId, "--format", "json").out());
        assertEquals(new ObjectMapper().readTree(folder.resolve("summary.json").toFile()), json.get("summary"));
        if (Files.exists(folder.resolve("pool-signal.html"))) {
            assertTrue(Files.readString(folder.resolve("pool-signal.html")).contains("Is this a factor?"));
        }
        assertTrue(r.out().contains("open " + folder.toAbsolutePath().resolve("report.html")), r.out());
    }

    @Test
    void theKnowledgeBaseListsWhatTheRunTried() {
        assertEquals(0, mine().code());
        CliRun list = CliRun.of("kb", "--kb", dir.resolve("kb").toString(), "list", "--status", "accepted,rejected,invalid");
        assertEquals(0, list.code(), list.err());
        CliRun runs = CliRun.of("kb", "--kb", dir.resolve("kb").toString(), "runs");
        assertTrue(runs.out().contains("finished"), runs.out());
    }

    @Test
    void anUnknownWriterIsABadInput() {
        CliRun r = mine("--writer", "oracle");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("choose offline or llm"), r.err());
    }

    @Test
    void anUnreadableTimeBudgetIsABadInput() {
        CliRun r = mine("--time-budget", "soon");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("90s"), r.err());
    }

    @Test
    void aRunOutOfTimeSaysHowToResumeItWithTheSameOptions() {
        CliRun r = CliRun.of("mine", "--kb", dir.resolve("kb").toString(),
                "--out", dir.resolve("run").toString(), "--rounds", "500",
                "--candidates-per-round", "2", "--steps-per-factor", "1", "--time-budget", "1s", "--cost-bps", "5");
        assertEquals(0, r.code(), r.err());
        String hint = r.err().substring(r.err().indexOf("continue with:"));
        assertTrue(hint.startsWith("continue with: quantagent mine --resume run-"), hint);
        assertTrue(hint.indexOf(" mine ") == hint.lastIndexOf(" mine "), hint); // runnable as printed
        assertTrue(hint.contains("--kb " + dir.resolve("kb")), hint);
        assertTrue(hint.contains("--cost-bps 5"), hint);
        assertTrue(!hint.contains("--time-budget"), hint);
    }

    @Test
    void theResumeHintNeverEchoesTheApiKey() {
        CliRun r = CliRun.of("mine", "--kb", dir.resolve("kb").toString(),
                "--out", dir.resolve("run").toString(), "--rounds", "500",
                "--candidates-per-round", "2", "--steps-per-factor", "1", "--time-budget", "1s", "--api-key",
                "sk-secret-123");
        assertEquals(0, r.code(), r.err());
        String hint = r.err().substring(r.err().indexOf("continue with:"));
        assertTrue(!r.err().contains("sk-secret-123"), r.err());
        assertTrue(hint.lines().findFirst().orElseThrow().endsWith("--kb " + dir.resolve("kb") + " --out "
                + dir.resolve("run") + " --rounds 500 --candidates-per-round 2 --steps-per-factor 1"), hint);
        assertTrue(hint.contains("the --api-key is not repeated above"), hint);
        CliRun joined = CliRun.of("mine", "--kb", dir.resolve("kb2").toString(),
                "--out", dir.resolve("run2").toString(), "--rounds", "500",
                "--candidates-per-round", "2", "--steps-per-factor", "1", "--time-budget", "1s",
                "--api-key=sk-secret-456");
        assertEquals(0, joined.code(), joined.err());
        assertTrue(!joined.err().contains("sk-secret-456"), joined.err());
    }

    @Test
    void aRunFolderThatCannotBeCreatedIsABadInputBeforeTheTestSplitIsUsed() throws IOException {
        Files.writeString(dir.resolve("file"), "not a folder");
        CliRun r = CliRun.of("mine", "--kb", dir.resolve("kb").toString(), "--out",
                dir.resolve("file").resolve("run").toString(), "--rounds", "1", "--candidates-per-round", "2",
                "--steps-per-factor", "1");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out " + dir.resolve("file").resolve("run") + ": cannot write there"), r.err());
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            assertTrue(kb.runs().isEmpty(), "refused before any mining: " + kb.runs());
        }
    }

    @Test
    void aBadThreadCountIsRefusedBeforeAnyRunIsSaved() {
        CliRun r = mine("--threads", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--threads must be between 1 and 256"), r.err());
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            assertTrue(kb.runs().isEmpty(), kb.runs().toString());
        }
    }

    /** A run stopped by its time budget after its first sitting: resumable. */
    private String pausedRun() {
        CliRun first = CliRun.of("mine", "--kb", dir.resolve("kb").toString(),
                "--out", dir.resolve("run").toString(), "--rounds", "1",
                "--candidates-per-round", "100000", "--steps-per-factor", "1", "--time-budget", "1s");
        assertEquals(0, first.code(), first.err());
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            assertEquals(dev.quantagent.knowledge.RunStatus.PAUSED, kb.runs().get(0).status());
            return kb.runs().get(0).id();
        }
    }

    /** A small synthetic market file, mined for a second into the test's knowledge base. */
    private Path minedOnce() {
        Path data = dir.resolve("market.csv");
        assertEquals(0, CliRun.of("data", "synth", "--out", data.toString(), "--assets", "20", "--days", "260")
                .code());
        CliRun first = CliRun.of(mineFor1s(data));
        assertEquals(0, first.code(), first.err());
        return data;
    }

    private String[] mineFor1s(Path data) {
        return new String[] {"mine", "--kb", dir.resolve("kb").toString(), "--out",
                dir.resolve("run-" + ++runFolders).toString(), "--data", data.toString(), "--rounds", "1000",
                "--candidates-per-round", "20", "--steps-per-factor", "1", "--time-budget", "1s"};
    }

    private CliRun resume(String id, String... extra) {
        String[] base = {"mine", "--kb", dir.resolve("kb").toString(),
                "--out", dir.resolve("run").toString(), "--resume", id, "--time-budget", "1s"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return CliRun.of(all);
    }

    @Test
    void resumingWithOtherCostsIsRefusedNamingTheSettingAndTheFlag() {
        String id = pausedRun();
        CliRun r = resume(id, "--cost-bps", "5");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("cost_bps = 10.0") && r.err().contains("--cost-bps 10.0"), r.err());
    }

    @Test
    void aResumeWithoutEvaluationOptionsKeepsTheSettingsTheRunWasMinedWith() {
        CliRun first = CliRun.of("mine", "--kb", dir.resolve("kb").toString(),
                "--out", dir.resolve("run").toString(), "--rounds", "500",
                "--candidates-per-round", "2", "--steps-per-factor", "1", "--time-budget", "1s", "--cost-bps", "5",
                "--horizon", "2", "--splits", "0.5,0.25");
        assertEquals(0, first.code(), first.err());
        String id;
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            id = kb.runs().get(0).id();
        }
        CliRun again = CliRun.of("mine", "--kb", dir.resolve("kb").toString(),
                "--out", dir.resolve("run").toString(), "--resume", id, "--time-budget", "1s");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("resuming run " + id), again.err());
        CliRun other = CliRun.of("mine", "--kb", dir.resolve("kb").toString(),
                "--out", dir.resolve("run").toString(), "--resume", id, "--time-budget", "1s",
                "--splits", "0.6,0.2");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("train_fraction = 0.5") && other.err().contains("--splits"), other.err());
    }

    @Test
    void resumingWithAnotherSearchSettingIsRefusedNamingTheRunsValue() {
        String id = pausedRun();
        CliRun rounds = resume(id, "--rounds", "3");
        assertEquals(2, rounds.code(), rounds.err());
        assertTrue(rounds.err().contains("started with --rounds 1") && rounds.err().contains("--rounds 3 is refused"),
                rounds.err());
        CliRun adjustment = resume(id, "--adjustment", "holm");
        assertEquals(2, adjustment.code(), adjustment.err());
        assertTrue(adjustment.err().contains("started with --adjustment bhy"), adjustment.err());
    }

    @Test
    void poolCsvQuotesEveryText() throws IOException {
        CliRun run = CliRun.of("mine", "--kb", dir.resolve("kb").toString(), "--out", dir.resolve("run").toString(),
                "--rounds", "1", "--candidates-per-round", "10", "--steps-per-factor", "3");
        assertEquals(0, run.code(), run.err());
        List<String> rows = Files.readAllLines(dir.resolve("run").resolve("pool.csv"));
        assertTrue(rows.size() > 1, "the run accepted nothing to write");
        for (String row : rows.subList(1, rows.size())) {
            assertTrue(row.matches("\\d+,\"[^\"]*\",\".*"), row);
        }
    }

    @Test
    void aCsvFieldWithACommaOrAQuoteIsQuoted() {
        assertEquals("\"a,\"\"b\"\"\"", dev.quantagent.cli.render.Cells.csv("a,\"b\""));
    }

    @Test
    void resumingAFinishedRunIsRefusedBeforeItsTestSplitIsLookedAtAgain() {
        assertEquals(0, mine().code());
        long looks = Home.testLooks().count("synthetic-default");
        String id;
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            id = kb.runs().get(0).id();
        }
        CliRun r = mine("--resume", id);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("finished") && r.err().contains("quantagent report --run " + id), r.err());
        assertEquals(looks, Home.testLooks().count("synthetic-default"));
    }

    @Test
    void theSummarySaysHowManyTrialsAndLooksItsEvidenceSurvivedAndGivesAVerdict() throws IOException {
        CliRun r = mine();
        assertEquals(0, r.code(), r.err());
        JsonNode s = new ObjectMapper().readTree(dir.resolve("run").resolve("summary.json").toFile());
        assertTrue(s.path("trials").asLong() >= s.path("run_trials").asLong() && s.path("trials").asLong() > 0);
        assertTrue(s.path("valid_looks").asLong() >= 1, s.toString());
        assertTrue(s.path("elapsed_seconds").asDouble() > 0, s.toString());
        assertTrue(s.path("verdict").path("significant").isBoolean(), s.toString());
        assertFalse(s.path("verdict").path("text").asText().isEmpty());
        assertTrue(s.path("accepted").asInt() > 0, "the embedded market's planted alphas are there to find");
        JsonNode signal = s.path("pool_signal");
        assertTrue(List.of("equal", "ic", "ridge").contains(signal.path("method").asText()), signal.toString());
        for (String split : List.of("train", "valid", "test")) {
            JsonNode x = signal.path("splits").path(split);
            assertTrue(x.path("rank_ic").isNumber() && x.path("rank_ic_tstat_nw").isNumber(), split + ": " + x);
            JsonNode book = x.path("portfolio");
            for (String side : List.of("gross", "net")) {
                for (String key : List.of("annual_excess_return", "information_ratio", "max_drawdown")) {
                    assertTrue(book.path(side).path(key).isNumber(), split + " " + side + " " + key + ": " + book);
                }
            }
            assertTrue(book.path("turnover").isNumber(), book.toString());
        }
        assertEquals(3, s.path("planted").size(), "the embedded market says which planted alphas were found");
        assertTrue(s.path("planted").get(0).path("found").isBoolean());
        assertTrue(s.path("baseline").isNull(), "no baseline was asked for");
        JsonNode pool = new ObjectMapper().readTree(dir.resolve("run").resolve("pool.json").toFile());
        for (JsonNode f : pool) {
            assertTrue(f.path("adjusted_p_value").isNumber() && f.path("p_value").asDouble() <= f.path(
                    "adjusted_p_value").asDouble(), f.toString());
            assertTrue(f.path("deflated_sharpe").path("trials").asLong() >= 1, f.toString());
            assertTrue(f.path("splits").path("test").path("rank_ic").isNumber());
        }
        assertTrue(r.out().contains("verdict: "), r.out());
        assertTrue(r.out().contains("run folder: " + dir.resolve("run").toAbsolutePath()), r.out());
    }

    @Test
    void aSecondRunGivenTheFirstRunsFolderIsRefusedBeforeMining() throws IOException {
        CliRun first = mine();
        assertEquals(0, first.code(), first.err());
        String summary = Files.readString(dir.resolve("run").resolve("summary.json"));
        CliRun second = mine("--seed", "9");
        assertEquals(2, second.code(), second.err());
        assertTrue(second.err().contains("holds run run-"), second.err());
        assertEquals(summary, Files.readString(dir.resolve("run").resolve("summary.json")), "the first report stays");
    }

    @Test
    void aBaselineIsPutThroughTheSameSelectionAndComparedOnTest() throws IOException {
        CliRun r = mine("--baseline", "alpha158");
        assertEquals(0, r.code(), r.err());
        JsonNode b = new ObjectMapper().readTree(dir.resolve("run").resolve("summary.json").toFile()).path("baseline");
        assertEquals("alpha158", b.path("library").asText());
        assertEquals(158, b.path("formulas").asInt());
        assertTrue(b.path("evaluated").asInt() > 100, b.toString());
        assertTrue(b.path("splits").path("test").path("rank_ic").isNumber(), b.toString());
        assertTrue(b.path("splits").path("test").path("portfolio").path("net").path("information_ratio").isNumber());
        assertTrue(r.out().contains("alpha158 baseline"), r.out());
        CliRun bad = mine("--baseline", "alpha42");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--baseline alpha42: choose alpha101 or alpha158"), bad.err());
    }

    @Test
    void aFinishedRunLogsEachLookAtTheTestSplitUnderItsName() throws IOException {
        int before = Files.exists(Home.testLooks().file()) ? Files.readAllLines(Home.testLooks().file()).size() : 0;
        CliRun r = mine();
        assertEquals(0, r.code(), r.err());
        String id;
        int pool;
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            id = kb.runs().get(0).id();
            pool = (int) kb.runs().get(0).accepted();
        }
        assertTrue(pool > 0, "the run accepted nothing, so it looked at nothing");
        List<String> lines = Files.readAllLines(Home.testLooks().file());
        List<String> logged = lines.subList(before, lines.size());
        assertEquals(pool + 1, logged.size(), "each factor and the pool signal: " + logged);
        assertTrue(logged.stream().allMatch(l -> l.endsWith("\tmine " + id)), logged.toString());
        assertTrue(logged.get(pool).contains("\t-\tpool signal ("), logged.get(pool));
        assertTrue(r.err().contains("The test split of this data has now been evaluated"), r.err());
    }

    @Test
    void resumingAnOfflineRunWithTheLlmWriterIsRefusedWithoutAskingForAKey() {
        String id = pausedRun();
        CliRun r = resume(id, "--writer", "llm");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("mined with the offline Writer") && !r.err().contains("API key"), r.err());
    }

    @Test
    void aCorrelationBoundAboveOneIsABadInput() {
        CliRun r = mine("--max-correlation", "2");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--max-correlation 2.0"), r.err());
    }

    @Test
    void aRunStartedInTheSameSecondAsAnotherGetsItsOwnId() {
        assertEquals(0, mine().code());
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            String taken = kb.runs().get(0).id(); // run-yyyyMMdd-HHmmss-PID
            LocalDateTime second = LocalDateTime.parse(taken.substring(4, 19),
                    java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            assertEquals(taken + "-2", MineCommand.runId(kb, second));
        }
    }

    @Test
    void runsStartedInTheSameSecondByTwoProcessesGetTwoIds() {
        try (KnowledgeBase one = KnowledgeBase.open(dir.resolve("one"), HashingEmbedder::new);
             KnowledgeBase two = KnowledgeBase.open(dir.resolve("two"), HashingEmbedder::new)) {
            LocalDateTime second = LocalDateTime.of(2026, 11, 21, 8, 19);
            String first = MineCommand.runId(one, second, 4301);
            assertEquals("run-20261121-081900-4301", first);
            assertTrue(!first.equals(MineCommand.runId(two, second, 4302)), "two processes, one id");
        }
    }

    @Test
    void aRunIdThatIsAPathIsRefusedBeforeAnythingIsOpened() {
        CliRun r = mine("--resume", "../../../../outside");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: --resume: \"../../../../outside\" is not a run id: a run id is 1 to 100 "
                + "letters, digits, '.', '_' and '-'"), r.err());
        assertTrue(!Files.exists(dir.resolve("kb")), "a knowledge base was opened");
    }

    @Test
    void aRunResumesOnACopyOfItsDataButNotOnEditedData() throws IOException {
        Path data = minedOnce();
        String id;
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            id = kb.runs().get(0).id();
        }
        Path moved = Files.createDirectory(dir.resolve("elsewhere")).resolve("copy.csv");
        Files.copy(data, moved);
        Files.setLastModifiedTime(moved, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                + 60_000));
        CliRun copy = resume(id, "--data", moved.toString());
        assertEquals(0, copy.code(), copy.err());
        assertTrue(copy.err().contains("resuming run " + id), copy.err());

        Path edited = dir.resolve("edited.csv");
        List<String> lines = Files.readAllLines(moved);
        Files.write(edited, lines.subList(0, lines.size() - 1));
        CliRun other = resume(id, "--data", edited.toString());
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("mined other data: 20 symbols") && other.err().contains(moved.toString()),
                other.err());
    }

    @Test
    void factorsAndRunsFiledUnderTheFilesPathByAnEarlierVersionAreMovedUnderItsContentKeyAndResume()
            throws IOException {
        Path data = minedOnce();
        String contentKey = dev.quantagent.evaluator.data.PanelCache.contentKey(data);
        String pathKey = dev.quantagent.evaluator.data.PanelCache.key(data);
        String id;
        int factors;
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            id = kb.runs().get(0).id();
            factors = kb.list(dev.quantagent.knowledge.Filter.ANY.withDataset(contentKey), KnowledgeBase.Sort.ID,
                    10_000).size();
            assertTrue(factors > 0);
            kb.renameDataset(contentKey, pathKey); // as an earlier version filed them
        }
        Home.testLooks().log(pathKey, List.of(new dev.quantagent.sandbox.Sandbox(dev.quantagent.sandbox.Limits.DEFAULT)
                .parse("rank(close)")), "eval");
        long looks = Home.testLooks().count(List.of(contentKey, pathKey));
        Files.writeString(Home.cache().resolve(pathKey + ".key"), "0123456789abcdef01234567"); // a stale memo
        CliRun again = resume(id, "--data", data.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains((factors + 1) + " factors and runs of this data were filed under the file's "
                + "path"), again.err());
        assertTrue(again.err().contains("resuming run " + id), again.err());
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            assertTrue(kb.list(dev.quantagent.knowledge.Filter.ANY.withDataset(pathKey), KnowledgeBase.Sort.ID, 10)
                    .isEmpty());
            assertTrue(kb.list(dev.quantagent.knowledge.Filter.ANY.withDataset(contentKey), KnowledgeBase.Sort.ID,
                    10_000).size() > factors, "the resumed run added to them");
            assertEquals(contentKey, kb.run(id).orElseThrow().dataKey());
        }
        assertEquals(0, Home.testLooks().count(pathKey));
        assertEquals(looks, Home.testLooks().count(contentKey));
    }

    @Test
    void noCacheDigestsTheDataAfreshInsteadOfTrustingTheRememberedDigest() throws IOException {
        Path data = minedOnce();
        Path memo = Home.cache().resolve(dev.quantagent.evaluator.data.PanelCache.key(data) + ".key");
        Files.writeString(memo, "0123456789abcdef01234567"); // a stale memo
        String[] mine = mineFor1s(data);
        String[] fresh = java.util.Arrays.copyOf(mine, mine.length + 1);
        fresh[mine.length] = "--no-cache";
        CliRun r = CliRun.of(fresh);
        assertEquals(0, r.code(), r.err());
        String digest = dev.quantagent.evaluator.data.PanelCache.contentKey(data);
        try (KnowledgeBase kb = KnowledgeBase.open(dir.resolve("kb"), HashingEmbedder::new)) {
            assertEquals(List.of(digest, digest), kb.runs().stream().map(run -> run.dataKey()).toList());
        }
        assertEquals(digest, Files.readString(memo).strip(), "the memo is mended");
    }

    @Test
    void resumingFromAKnowledgeBaseThatIsNotThereCreatesNone() {
        CliRun r = mine("--resume", "run-nope");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("there is no knowledge base at"), r.err());
        assertTrue(!Files.exists(dir.resolve("kb")), "the failed resume created a knowledge base");
    }

    @Test
    void resumingAnUnknownRunSaysSo() {
        CliRun r = mine("--resume", "run-nope");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no run run-nope"), r.err());
    }

    @Test
    void aRefusedApiKeyStopsTheRunAtOnceAndTheKeyIsStoredAndPrintedNowhere() throws IOException {
        String key = "sk-live-4Fq9Tz2Wm8Xc1Vb7Nk3Lp6Hd0Js5Ga";
        try (dev.quantagent.testkit.FakeOpenAi server = new dev.quantagent.testkit.FakeOpenAi()) {
            server.reply(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + key + "\"}}", null);
            CliRun r = CliRun.of("mine", "--kb", dir.resolve("kb").toString(), "--out", dir.resolve("run").toString(),
                    "--rounds", "2", "--candidates-per-round", "3", "--threads", "1", "--writer", "llm",
                    "--base-url", server.baseUrl(), "--api-key", key);
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("error: the LLM endpoint refused the request: " + server.baseUrl()
                    + " does not accept the API key"), r.err());
            assertEquals(1, server.requests().size(), "a call after the refusal");
            Path export = dir.resolve("kb.json");
            assertEquals(0, CliRun.of("kb", "--kb", dir.resolve("kb").toString(), "export", "--out",
                    export.toString()).code());
            for (String text : List.of(r.out(), r.err(), Files.readString(export))) {
                for (int i = 0; i + 8 <= key.length(); i++) {
                    assertTrue(!text.contains(key.substring(i, i + 8)), "a piece of the key in: " + text);
                }
            }
        }
    }
}
