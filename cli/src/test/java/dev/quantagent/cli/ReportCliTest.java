package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quantagent.cli.html.PageChecks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCliTest {

    @TempDir
    static Path dir;

    static String runId;
    static long acceptedId;

    @BeforeAll
    static void mine() throws IOException {
        CliRun r = CliRun.of("mine", "--kb", dir.resolve("kb").toString(), "--out", dir.resolve("run").toString(),
                "--rounds", "1", "--candidates-per-round", "4", "--steps-per-factor", "2", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode summary = new ObjectMapper().readTree(r.out());
        runId = summary.get("run").asText();
        acceptedId = summary.get("pool").get(0).get("id").asLong();
    }

    private static CliRun report(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "report";
        all[1] = "--kb";
        all[2] = dir.resolve("kb").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return CliRun.of(all);
    }

    @Test
    void aRunReportListsThePoolWithValidAndTestStatistics() throws IOException {
        CliRun r = report("--run", runId);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("# Mining run " + runId) && r.out().contains("Status **finished**"), r.out());
        assertTrue(r.out().contains("| " + acceptedId + " |"), r.out());
        JsonNode j = new ObjectMapper().readTree(report("--run", runId, "--format", "json").out());
        assertTrue(j.get("pool").get(0).has("test"), "the finished run's pool carries test statistics");
    }

    @Test
    void aFactorReportRecomputesItsStatisticsAndShowsItsLineage() throws IOException {
        CliRun r = report("--factor", String.valueOf(acceptedId));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("# Factor #" + acceptedId), r.out());
        assertTrue(r.out().contains("rank_ic") && r.out().contains("rank IC by year"), r.out());
        assertTrue(r.out().contains("Recorded test statistics"), r.out());
        assertTrue(r.out().contains("## Lineage"), r.out());
        JsonNode j = new ObjectMapper().readTree(report("--factor", String.valueOf(acceptedId), "--format", "json")
                .out());
        assertTrue(j.get("splits").has("valid") && !j.get("splits").has("test"));
        assertTrue(j.has("stored_test"));
    }

    @Test
    void aFactorReportInHtmlIsOneSelfContainedPageWithoutTestCharts() throws IOException {
        Path page = dir.resolve("factor.html");
        CliRun r = report("--factor", String.valueOf(acceptedId), "--format", "html", "--out", page.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(page);
        PageChecks.assertSelfContained(html);
        assertTrue(html.contains("<h1>Factor #" + acceptedId), html.substring(0, 2000));
        assertTrue(html.contains("Recorded test statistics"), "the pool was tested when the run finished");
        JsonNode data = PageChecks.chartData(html);
        assertEquals(2, data.get("splits").size(), "train and valid only");
        assertTrue(data.get("ic").get("rank_ic").size() > 100, "a rank IC a day");
    }

    @Test
    void aRunReportInHtmlChartsThePoolAndTheRounds() throws IOException {
        CliRun r = report("--run", runId, "--format", "html");
        assertEquals(0, r.code(), r.err());
        PageChecks.assertSelfContained(r.out());
        JsonNode data = PageChecks.chartData(r.out());
        JsonNode j = new ObjectMapper().readTree(report("--run", runId, "--format", "json").out());
        assertEquals(j.get("pool").size(), data.get("pool").get("labels").size());
        assertEquals(1, data.get("rounds").get("labels").size(), "one round was mined");
        assertTrue(report("--run", runId, "--format", "pdf").err().contains("choose md, json or html"));
    }

    @Test
    void aFormulaOutsideTheKnowledgeBaseGetsTheSamePageWithoutLineage() throws IOException {
        CliRun r = CliRun.of("report", "--formula", "-ts_sum(returns, 5)", "--format", "html");
        assertEquals(0, r.code(), r.err());
        PageChecks.assertSelfContained(r.out());
        assertTrue(r.out().contains("not a knowledge-base record") && !r.out().contains("<h2>Lineage"), "no lineage");
        JsonNode data = PageChecks.chartData(r.out());
        assertEquals(2, data.get("splits").size(), "train and valid only");
        // the same statistics as eval gives for it
        JsonNode viaEval = new ObjectMapper().readTree(CliRun.of("eval", "-ts_sum(returns, 5)", "--json").out());
        JsonNode viaReport = new ObjectMapper().readTree(CliRun.of("report", "--formula", "-ts_sum(returns, 5)",
                "--format", "json").out());
        assertEquals(viaEval.get("splits"), evalKeys(viaReport));
    }

    @Test
    void aFactorReportRecomputesWithTheSettingsItsRunWasMinedWith() throws IOException {
        Path kb = dir.resolve("kb-settings");
        CliRun mined = CliRun.of("mine", "--kb", kb.toString(), "--out", dir.resolve("run-settings").toString(),
                "--rounds", "1", "--candidates-per-round", "2", "--steps-per-factor", "1", "--horizon", "3",
                "--cost-bps", "40", "--quantiles", "4", "--json");
        assertEquals(0, mined.code(), mined.err());
        JsonNode tested = new ObjectMapper().readTree(CliRun.of("kb", "--kb", kb.toString(), "list", "--status", "accepted,rejected", "--json").out());
        JsonNode first = tested.get(0);
        String id = first.get("id").asText();
        String formula = first.get("formula").asText();

        JsonNode j = new ObjectMapper().readTree(CliRun.of("report", "--kb", kb.toString(), "--factor", id,
                "--format", "json").out());
        assertTrue(j.get("settings").asText().startsWith("--horizon 3 --delay 1 --cost-bps 40 --quantiles 4"),
                j.get("settings").asText());
        JsonNode same = new ObjectMapper().readTree(CliRun.of("eval", "--horizon", "3", "--cost-bps", "40",
                "--quantiles", "4", "--json", formula).out());
        assertEquals(same.get("splits"), evalKeys(j));
        JsonNode defaults = new ObjectMapper().readTree(CliRun.of("eval", "--json", formula).out());
        assertTrue(!defaults.get("splits").equals(evalKeys(j)), "the default settings give other statistics");

        // an option given to report overrides the run's setting
        JsonNode cheaper = new ObjectMapper().readTree(CliRun.of("report", "--kb", kb.toString(), "--factor", id,
                "--cost-bps", "0", "--format", "json").out());
        assertTrue(cheaper.get("settings").asText().contains("--horizon 3 --delay 1 --cost-bps 0 "),
                cheaper.get("settings").asText());

        // exported and imported elsewhere, the factor keeps its run and so its settings
        Path json = dir.resolve("settings-export.json");
        assertEquals(0, CliRun.of("kb", "--kb", kb.toString(), "export", "--out", json.toString()).code());
        Path elsewhere = dir.resolve("kb-imported");
        CliRun imported = CliRun.of("kb", "--kb", elsewhere.toString(), "import", json.toString());
        assertEquals(0, imported.code(), imported.err());
        JsonNode there = new ObjectMapper().readTree(CliRun.of("kb", "--kb", elsewhere.toString(), "list", "--status",
                "accepted,rejected", "--json").out());
        String newId = null;
        for (JsonNode x : there) {
            if (x.get("formula").asText().equals(formula)) {
                newId = x.get("id").asText();
            }
        }
        JsonNode again = new ObjectMapper().readTree(CliRun.of("report", "--kb", elsewhere.toString(), "--factor",
                newId, "--format", "json").out());
        assertEquals(j.get("settings"), again.get("settings"));
        assertEquals(j.get("splits"), again.get("splits"));
    }

    @Test
    void aFactorWhoseRunIsNotInTheKnowledgeBaseSaysItsStatisticsUseTheDefaults() throws IOException {
        Path json = dir.resolve("factors-only.json");
        try (var kb = dev.quantagent.knowledge.KnowledgeBase.open(dir.resolve("kb"),
                dev.quantagent.knowledge.HashingEmbedder::new); var w = Files.newBufferedWriter(json)) {
            dev.quantagent.knowledge.Exchange.exportJson(List.of(kb.get(acceptedId).orElseThrow()), w);
        }
        Path elsewhere = dir.resolve("kb-no-runs");
        assertEquals(0, CliRun.of("kb", "--kb", elsewhere.toString(), "import", json.toString()).code());
        CliRun r = CliRun.of("report", "--kb", elsewhere.toString(), "--factor", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("is not in this knowledge base, so these are the defaults"), r.out());
    }

    /** A report's statistics per split as eval gives them: without the tear sheet and the portfolios. */
    private static JsonNode evalKeys(JsonNode report) {
        com.fasterxml.jackson.databind.node.ObjectNode splits = report.get("splits").deepCopy();
        splits.forEach(s -> ((com.fasterxml.jackson.databind.node.ObjectNode) s).remove(List.of("tear_sheet",
                "portfolio", "buffered_long_short", "long_short_by_holding")));
        return splits;
    }

    @Test
    void aFormulaReportAnswersWhetherItIsAFactorInEveryFormat() throws IOException {
        JsonNode j = new ObjectMapper().readTree(CliRun.of("report", "--formula", "-ts_sum(returns, 5)", "--format",
                "json").out());
        assertEquals("yes", j.get("answer").get("is_factor").asText(), j.get("answer").toString());
        JsonNode holding = j.get("splits").get("valid").get("tear_sheet").get("holding_periods");
        assertEquals(List.of(1, 5, 10, 20), List.of(holding.get(0).get("bars").asInt(), holding.get(1).get("bars")
                .asInt(), holding.get(2).get("bars").asInt(), holding.get(3).get("bars").asInt()));
        assertEquals("sector", j.get("splits").get("train").get("tear_sheet").get("rank_ic_by_group").get("grouping")
                .asText());
        assertEquals(4, j.get("splits").get("train").get("long_short_by_holding").size());
        String md = CliRun.of("report", "--formula", "-ts_sum(returns, 5)").out();
        assertTrue(md.contains("**Is this a factor?** Yes: "), md);
        assertTrue(md.contains("## Holding periods") && md.contains("## Returns by quantile")
                && md.contains("## Factor values by quantile") && md.contains("## Rank IC by sector"), md);
    }

    @Test
    void aFormulaOnASingleAssetIsReportedInTime() throws IOException {
        Path one = dir.resolve("one-asset.csv.gz");
        assertEquals(0, CliRun.of("data", "synth", "--assets", "1", "--out", one.toString()).code());
        JsonNode j = new ObjectMapper().readTree(CliRun.of("report", "--data", one.toString(), "--formula",
                "-ts_sum(returns, 5)", "--format", "json").out());
        assertEquals("time_series", j.get("evaluation").asText());
        assertTrue(j.get("answer").get("text").asText().contains("IC in time"), j.get("answer").toString());
        assertTrue(j.get("time_series").get("valid").get("zscore_position").get("net").get("sharpe").isNumber());
        String md = CliRun.of("report", "--data", one.toString(), "--formula", "-ts_sum(returns, 5)").out();
        assertTrue(md.contains("Evaluation: in time, on each asset's own forward return: the data has 1 asset"), md);
    }

    @Test
    void aFormulaReportTakesTheEvaluationOptionsOfEval() throws IOException {
        JsonNode viaEval = new ObjectMapper().readTree(CliRun.of("eval", "--horizon", "5", "--splits", "0.5,0.3",
                "--json", "rank(close)").out());
        JsonNode viaReport = new ObjectMapper().readTree(CliRun.of("report", "--formula", "rank(close)",
                "--horizon", "5", "--splits", "0.5,0.3", "--format", "json").out());
        assertEquals(viaEval.get("splits"), evalKeys(viaReport));
        CliRun bad = CliRun.of("report", "--formula", "rank(close)", "--splits", "0.5");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--splits takes two values"), bad.err());
    }

    @Test
    void evaluationOptionsOnARunReportAreBadInputRatherThanIgnored() {
        CliRun r = report("--run", runId, "--cost-bps", "5");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("go with --factor or --formula"), r.err());
    }

    @Test
    void dataOptionsOnARunReportAreBadInputRatherThanIgnored() {
        CliRun r = report("--run", runId, "--data", dir.resolve("nonexistent.csv").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--data and --groups go with --factor or --formula"), r.err());
    }

    /** A file in dir with 28 days of one column for two assets, A rising and B falling. */
    private Path twoAssets(String name, String column) throws IOException {
        StringBuilder sb = new StringBuilder("date,symbol," + column + "\n");
        for (int d = 1; d <= 28; d++) {
            sb.append(String.format("2020-02-%02d,A,%d\n2020-02-%02d,B,%d\n", d, 100 + d, d, 200 - d));
        }
        return Files.writeString(dir.resolve(name), sb);
    }

    @Test
    void aMissingGroupsFileIsNamedWithTheReasonInWords() throws IOException {
        Path data = twoAssets("g.csv", "close");
        Path groups = dir.resolve("no-groups.csv");
        CliRun r = CliRun.of("report", "--formula", "rank(close)", "--data", data.toString(), "--groups",
                groups.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: " + groups + ": cannot read: no such file"), r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }

    @Test
    void aFormulaThatDoesNotParseIsBadInput() {
        CliRun r = CliRun.of("report", "--formula", "rank(close");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("column 11: expected ',' or ')'"), r.err());
    }

    @Test
    void aFactorOfOtherDataAsksForThatData() throws IOException {
        Path other = dir.resolve("other.csv");
        Files.writeString(other, "date,symbol,close\n2020-01-02,A,1\n2020-01-03,A,2\n");
        CliRun r = report("--factor", String.valueOf(acceptedId), "--data", other.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("other data"), r.err());
    }

    @Test
    void aFactorReportOnAMissingDataFileExitsWithTwoNamingIt() {
        Path missing = dir.resolve("missing.csv");
        CliRun r = report("--factor", String.valueOf(acceptedId), "--data", missing.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: --data " + missing + ": no such file"), r.err());
    }

    @Test
    void aFormulaReportOnDataWithoutACloseColumnExitsWithTwo() throws IOException {
        Path noClose = twoAssets("no-close.csv", "volume");
        CliRun r = CliRun.of("report", "--formula", "rank(volume)", "--data", noClose.toString(), "--no-cache");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: evaluation needs a 'close' column"), r.err());
    }

    @Test
    void aReportToAnOutFileInAMissingDirectoryExitsWithTwoNamingIt() {
        Path out = dir.resolve("no-such-dir").resolve("run.md");
        CliRun r = report("--run", runId, "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: --out " + out + ": cannot write: no such directory"), r.err());
    }

    @Test
    void unknownIdsAndMissingTargetsAreBadInput() {
        assertEquals(2, report("--factor", "99999").code());
        assertTrue(report("--run", "run-nope").err().contains("no run run-nope"));
        assertEquals(2, report().code());
    }
}
