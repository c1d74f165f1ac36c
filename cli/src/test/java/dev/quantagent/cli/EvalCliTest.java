package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCliTest {

    @TempDir
    static Path dir;

    static Path data;

    @BeforeAll
    static void writeData() throws IOException {
        StringBuilder sb = new StringBuilder("date,symbol,open,high,low,close,volume\n");
        Random r = new Random(3);
        java.time.LocalDate day = java.time.LocalDate.of(2021, 1, 4);
        double[] p = new double[12];
        java.util.Arrays.fill(p, 100);
        for (int t = 0; t < 200; t++) {
            while (day.getDayOfWeek().getValue() > 5) {
                day = day.plusDays(1);
            }
            for (int a = 0; a < 12; a++) {
                double o = p[a];
                p[a] *= Math.exp(0.02 * r.nextGaussian());
                sb.append(day).append(",S").append(a).append(',').append(o).append(',')
                        .append(Math.max(o, p[a]) * 1.01).append(',').append(Math.min(o, p[a]) * 0.99).append(',')
                        .append(p[a]).append(',').append(1000 + r.nextInt(1000)).append('\n');
            }
            day = day.plusDays(1);
        }
        data = dir.resolve("prices.csv");
        Files.writeString(data, sb);
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** The first asset of the data alone: one coin, as chapter 63 backtests one. */
    private static Path oneAsset() throws IOException {
        Path one = dir.resolve("one.csv");
        if (!Files.exists(one)) {
            StringBuilder sb = new StringBuilder();
            for (String line : Files.readAllLines(data)) {
                if (line.startsWith("date") || line.contains(",S0,")) {
                    sb.append(line).append('\n');
                }
            }
            Files.writeString(one, sb);
        }
        return one;
    }

    @Test
    void aSingleAssetIsEvaluatedInTimeAndSaysSo() throws IOException {
        CliRun r = run("eval", "--no-cache", "--data", oneAsset().toString(), "-ts_sum(returns, 5)");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("evaluation: in time, on each asset's own forward return: the data has 1 asset "
                + "with a label on a median date, too few to rank across (cross-sectional statistics need 10)"),
                r.out());
        assertTrue(r.out().contains("ic (in time)") && r.out().contains("sign: sharpe net / gross")
                && r.out().contains("buy and hold: annual_return"), r.out());
        assertFalse(r.out().contains("rank_icir"), "no table of dashes");
        JsonNode j = new ObjectMapper().readTree(run("eval", "--data", oneAsset().toString(), "--json",
                "-ts_sum(returns, 5)").out());
        assertEquals("time_series", j.get("evaluation").asText());
        JsonNode train = j.get("time_series").get("train");
        assertEquals(1, train.get("assets").asInt());
        assertTrue(train.get("ic").isNumber() && train.get("sign_position").get("net").get("sharpe").isNumber());
        assertEquals("S0", train.get("by_asset").get(0).get("symbol").asText());
        assertEquals(0, j.get("splits").get("train").get("n_dates").asInt(), "the cross-section, as it is");
    }

    @Test
    void evalPrintsATablePerFormulaForTrainAndValidOnly() {
        CliRun r = run("eval", "--no-cache", "--data", data.toString(), "rank(delta(close, 3))");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rank_ic"), r.out());
        assertTrue(r.out().contains("train       valid"), r.out());
        assertFalse(r.out().contains("test\n"), r.out());
        assertTrue(r.out().contains("(sealed)"), r.out());
    }

    @Test
    void evalWithJsonUsesTheDocumentedKeys() throws IOException {
        CliRun r = run("eval", "--no-cache", "--json", "--data", data.toString(), "-ts_sum(returns, 5)");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("(-1 * ts_sum(returns, 5))", j.get("canonical").asText());
        JsonNode train = j.get("splits").get("train");
        for (String key : new String[] {"ic", "rank_ic", "icir", "rank_icir", "ic_tstat", "ic_tstat_nw", "ic_positive_ratio",
            "quantile_returns", "long_short", "annual_return", "annual_volatility", "sharpe", "sortino", "calmar",
            "max_drawdown", "turnover", "win_rate", "profit_factor", "rank_autocorrelation", "coverage",
            "n_dates", "rank_ic_by_year", "regimes", "rank_ic_tstat_nw", "annual_return_gross", "sharpe_gross",
            "folds"}) {
            assertTrue(train.has(key), key);
        }
        assertFalse(j.get("splits").has("test"));
    }

    @Test
    void evalWithBooksAddsThePortfoliosOfTrainAndValidBeforeAndAfterCosts() throws IOException {
        CliRun r = run("eval", "--no-cache", "--json", "--books", "--topk", "3", "--data", data.toString(),
                "-ts_sum(returns, 5)");
        assertEquals(0, r.code(), r.err());
        JsonNode splits = new ObjectMapper().readTree(r.out()).path("splits");
        assertFalse(splits.has("test"), "books never unseal the test split");
        for (String s : new String[] {"train", "valid"}) {
            JsonNode topk = splits.path(s).path("portfolio");
            assertEquals("topk_dropout", topk.path("kind").asText());
            assertTrue(topk.path("description").asText().startsWith("top 3,"), topk.toString());
            assertTrue(topk.path("net").path("information_ratio").isNumber(), topk.toString());
            assertTrue(topk.path("gross").path("annual_excess_return").asDouble()
                    >= topk.path("net").path("annual_excess_return").asDouble(), "costs only take away");
            assertEquals(4, splits.path(s).path("long_short_by_holding").size());
            assertTrue(splits.path(s).path("buffered_long_short").path("net").path("sharpe").isNumber());
        }
    }

    @Test
    void aBadFormulaIsReportedWithoutStoppingTheOthersAndExitsTwo() throws IOException {
        CliRun r = run("eval", "--no-cache", "--json", "--data", data.toString(), "rank(close", "rank(volume)");
        assertEquals(2, r.code());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length);
        assertFalse(new ObjectMapper().readTree(lines[0]).get("ok").asBoolean());
        assertTrue(new ObjectMapper().readTree(lines[1]).has("splits"));
    }

    @Test
    void inspectDescribesTheDataFile() throws IOException {
        CliRun r = run("data", "inspect", "--json", data.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(200, j.get("dates").asInt());
        assertEquals(12, j.get("assets").asInt());
        assertEquals(252.0, j.get("periods_per_year").asDouble());
        assertEquals(0, j.get("ohlc_violations").asInt());
        assertEquals(0, j.get("dates_missing_inside").asInt());
    }

    @Test
    void inspectNamesTheSymbolsAGroupFileLeavesWithoutAGroup() throws IOException {
        Path groups = dir.resolve("groups.csv");
        Files.writeString(groups, "symbol,sector\nS0,Tech\nS1,Energy\n");
        CliRun r = run("data", "inspect", "--json", "--groups", groups.toString(), data.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(10, j.get("symbols_without_group").get("sector").asInt());
        assertEquals(5, j.get("examples").get("no sector").size());
    }

    @Test
    void withoutDataEvalUsesTheEmbeddedSyntheticMarketAndFindsAPlantedAlpha() throws IOException {
        CliRun r = run("eval", "--json", "-ts_sum(returns, 5)");
        assertEquals(0, r.code(), r.err());
        double rankIc = new ObjectMapper().readTree(r.out()).get("splits").get("valid").get("rank_ic").asDouble();
        assertTrue(rankIc > 0.02, "planted reversal rank IC " + rankIc);
    }

    @Test
    void dataWithoutACloseColumnIsAUsageError() throws IOException {
        Path noClose = dir.resolve("no-close.csv");
        Files.writeString(noClose, "date,symbol,volume\n2021-01-04,A,1\n2021-01-05,A,2\n2021-01-06,A,3\n");
        CliRun r = run("eval", "--no-cache", "--data", noClose.toString(), "rank(volume)");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: evaluation needs a 'close' column"), r.err());
    }

    @Test
    void noCacheIsAnOptionOfEveryCommandThatReadsData() {
        Path out = dir.resolve("values.csv");
        CliRun values = run("values", "--no-cache", "--data", data.toString(), "--out", out.toString(), "close");
        assertEquals(0, values.code(), values.err());
        CliRun report = run("report", "--no-cache", "--data", data.toString(), "--formula", "rank(close)");
        assertEquals(0, report.code(), report.err());
    }

    @Test
    void badSplitsAreAUsageError() {
        CliRun r = run("eval", "--no-cache", "--data", data.toString(), "--splits", "0.9,0.2", "rank(close)");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("split"), r.err());
    }

    @Test
    void aHorizonLongerThanASplitIsAUsageErrorNotACrash() {
        CliRun r = run("eval", "--horizon", "500", "close");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: labels 501 periods long (delay + horizon) leave no date of"), r.err());
        assertTrue(!r.err().contains("Exception"), r.err());
    }

    @Test
    void aBareGroupingIsRefusedByCheckAndEvalAndTheOtherFormulasStillEvaluated() {
        CliRun check = run("check", "IndClass.sector");
        assertEquals(2, check.code(), check.err());
        CliRun r = run("eval", "IndClass.sector", "close");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("IndClass.sector is a grouping, not a factor"), r.err());
        assertTrue(r.out().contains("close"), r.out());
    }
}
