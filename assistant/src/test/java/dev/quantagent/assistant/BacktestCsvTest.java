package dev.quantagent.assistant;

import static dev.quantagent.assistant.Fixture.finding;
import static dev.quantagent.assistant.Fixture.has;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.assistant.Backtest.AssetClass;
import dev.quantagent.assistant.Backtest.Trade;
import dev.quantagent.assistant.Report.Severity;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class BacktestCsvTest {

    private static final double EPS = 1e-9;
    private static final long JAN1 = 1_704_067_200L; // 2024-01-01T00:00:00Z, a Monday
    private static final long DAY = 86_400L;

    private static BacktestCsv.Meta meta(String assetClass, double capital) {
        return new BacktestCsv.Meta("csv", "test", AssetClass.valueOf(assetClass), null, null, null, 1, 1, 1,
                Double.NaN, false, capital);
    }

    private static Backtest read(String trades, String equity) {
        return BacktestCsv.read(trades, "trades.csv", equity, "equity.csv", meta("EQUITY", Double.NaN));
    }

    private static String error(String trades, String equity) {
        return assertThrows(BacktestFormatException.class, () -> read(trades, equity)).getMessage();
    }

    private static final String EQUITY = "date,equity\n2024-01-01,1000\n2024-01-02,1010\n2024-01-03,1005\n";

    @Test
    void aTradesAndEquityPairGivesTheSameMetricsAsTheSameBacktestInJson() {
        // the five-point curve of AnalysisTest: 100 -> 110 -> 99 -> 108.9 -> 119.79 (x100), Mon..Fri
        Fixture f = new Fixture("five", "equity", false, new double[] {0.10, -0.10, 0.10, 0.10})
                .trade(0, 0.10).trade(1, -0.11).trade(3, 0.10);
        Report json = f.analyze();
        Report csv = Analyzer.analyze(read(f.tradesCsv(), f.equityCsv()), 0, null);
        assertEquals(json.metrics().values(), csv.metrics().values());
        assertEquals(0.1979, csv.metrics().totalReturn(), EPS);
        assertEquals(200.0 / 110, csv.metrics().profitFactor(), EPS);
        assertEquals(0.75, csv.metrics().exposure(), EPS);
        assertEquals(codes(json), codes(csv));
        assertEquals(json.score(), csv.score(), EPS);
    }

    private static List<String> codes(Report r) {
        return r.findings().stream().map(Report.Finding::code).collect(Collectors.toList());
    }

    @Test
    void headerAliasesAnyCaseAndAByteOrderMarkAreAccepted() {
        Backtest bt = read("\uFEFFEntry_Date, Exit_Date ,Ticker,SIDE,Qty,Net_PnL,Return_Pct,Notes\n"
                + "2024-01-01,2024-01-02,AAA,Buy,10,25,2.5,first\n"
                + "2024-01-02,2024-01-03,BBB,sell,4,-8,-0.8,\"a, quoted note\"\n", EQUITY);
        Trade a = bt.trades().get(0);
        assertEquals(new Trade(JAN1, JAN1 + DAY, "AAA", 1, Double.NaN, Double.NaN, 10, 25, 0.025, Double.NaN), a);
        Trade b = bt.trades().get(1);
        assertEquals(-1, b.direction());
        assertEquals(-0.008, b.ret(), EPS);
        assertEquals("BBB", b.symbol());
    }

    @Test
    void timesMayBeDatesDateTimesOrEpochSecondsAndMilliseconds() {
        Backtest bt = read(null, "time,value\n2024-01-01,1\n2024-01-02T00:00:00Z,2\n2024-01-03 00:00:00,3\n"
                + "1704326400,4\n1704412800000,5\n2024-01-06T02:00:00+02:00,6\n");
        assertArrayEquals(new long[] {JAN1, JAN1 + DAY, JAN1 + 2 * DAY, JAN1 + 3 * DAY, JAN1 + 4 * DAY,
            JAN1 + 5 * DAY}, bt.equityTime());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, bt.equity());
    }

    @Test
    void aMissingReturnIsDerivedFromThePrices() {
        Backtest bt = read("entry_time,exit_time,direction,entry_price,exit_price,pnl,return\n"
                + "2024-01-01,2024-01-02,short,100,90,10,\n", EQUITY);
        assertEquals(0.10, bt.trades().get(0).ret(), EPS); // a short from 100 to 90 makes 10%
    }

    @Test
    void thePeriodIsTheEquityCurvesSpanWhenNotStated() {
        Backtest bt = read(null, EQUITY);
        assertEquals(JAN1, bt.periodStart());
        assertEquals(JAN1 + 2 * DAY, bt.periodEnd());
    }

    @Test
    void anEquityCurveAloneHasNoTradeStatisticsAndItsGradeIsCappedAtB() {
        // 250 weekdays alternating +0.55% / -0.40%: Sharpe about 2.5 (excellent, 40 points), max drawdown 0.4%
        // (conservative, 25 points): 65 of 65 curve points scale to 100, which would be an A
        StringBuilder eq = new StringBuilder("date,equity\n");
        double e = 10_000;
        java.time.LocalDate d = java.time.LocalDate.of(2024, 1, 1);
        for (int i = 0; i <= 250; i++) {
            while (d.getDayOfWeek().getValue() > 5) {
                d = d.plusDays(1);
            }
            e *= i == 0 ? 1 : i % 2 == 1 ? 1.0055 : 0.996;
            eq.append(d).append(',').append(e).append('\n');
            d = d.plusDays(1);
        }
        Report r = Analyzer.analyze(read(null, eq.toString()), 0, null);
        assertEquals("excellent", r.sharpeBand().label());
        assertEquals("conservative", r.drawdownBand().label());
        assertEquals(100, r.score(), EPS);
        assertEquals("B", r.grade());
        assertEquals(Severity.INFO, finding(r, "no_trades").severity());
        assertFalse(has(r, "too_few_trades"));
        Map<String, Double> v = r.metrics().values();
        for (String key : List.of("trade_count", "win_rate", "profit_factor", "expectancy", "exposure",
                "longest_losing_streak")) {
            assertTrue(Double.isNaN(v.get(key)), key + " is n/a without trades, got " + v.get(key));
        }
        assertTrue(r.summary().contains("no trade list"), r.summary());
    }

    @Test
    void tradesAloneBuildADailyCurveFromTheCapitalAndTheRealisedPnl() {
        // Mon 10:00 -> Tue 15:00 makes 100; Wed 10:00 -> Thu 20:00 loses 55; no weekend trade: weekdays only
        String trades = "entry_time,exit_time,side,pnl,return\n"
                + "2024-01-01T10:00:00Z,2024-01-02T15:00:00Z,long,100,0.1\n"
                + "2024-01-03T10:00:00Z,2024-01-04T20:00:00Z,long,-55,-0.05\n";
        Backtest bt = BacktestCsv.read(trades, "trades.csv", null, null, meta("EQUITY", 1000));
        // each midnight: the capital plus what was closed by then; the last is the first midnight after the last exit
        assertArrayEquals(new long[] {JAN1, JAN1 + DAY, JAN1 + 2 * DAY, JAN1 + 3 * DAY, JAN1 + 4 * DAY},
                bt.equityTime());
        assertArrayEquals(new double[] {1000, 1000, 1100, 1100, 1045}, bt.equity());
        Report r = Analyzer.analyze(bt, 0, null);
        assertEquals(0.045, r.metrics().totalReturn(), EPS);
        assertEquals(-0.05, r.metrics().maxDrawdown(), EPS);
        assertEquals(Severity.LOW, finding(r, "equity_from_trades").severity());
    }

    @Test
    void aCurveBuiltFromTradesKeepsWeekendsWhenATradeTouchesOne() {
        // Friday noon to Saturday noon: Fri, Sat and Sun midnights
        String trades = "entry_time,exit_time,side,pnl,return\n2024-01-05T12:00:00Z,2024-01-06T12:00:00Z,long,10,0.01\n";
        Backtest bt = BacktestCsv.read(trades, "trades.csv", null, null, meta("CRYPTO", 500));
        assertArrayEquals(new long[] {JAN1 + 4 * DAY, JAN1 + 5 * DAY, JAN1 + 6 * DAY}, bt.equityTime());
        assertArrayEquals(new double[] {500, 500, 510}, bt.equity());
    }

    @Test
    void tradesWithoutAnEquityCurveOrACapitalAreRefused() {
        String m = assertThrows(BacktestFormatException.class, () -> BacktestCsv.read(
                "entry_time,exit_time,side,pnl,return\n2024-01-01,2024-01-02,long,1,0.01\n", "trades.csv", null, null,
                meta("EQUITY", Double.NaN))).getMessage();
        assertTrue(m.startsWith("trades.csv: no equity curve: give the starting capital"), m);
    }

    @Test
    void aMissingRequiredColumnNamesTheHeaderAndTheAcceptedNames() {
        assertEquals("trades.csv:1: no P&L column: the header is [entry_time, exit_time, side, return], accepted "
                + "names for the P&L are pnl, net_pnl, profit, realized_pnl (case-insensitive)",
                error("entry_time,exit_time,side,return\n2024-01-01,2024-01-02,long,0.01\n", EQUITY));
    }

    @Test
    void anUnknownDirectionNamesTheFileLineAndColumn() {
        // the blank line still counts, so the line is the one an editor shows
        assertEquals("trades.csv:4: column 3 (side) is not a direction: \"sideways\"; expected long, short, buy or "
                + "sell", error("entry_time,exit_time,side,pnl,return\n2024-01-01,2024-01-02,long,1,0.01\n\n"
                + "2024-01-02,2024-01-03,sideways,1,0.01\n", EQUITY));
    }

    @Test
    void aNonNumericCellNamesTheFileLineAndColumn() {
        assertEquals("equity.csv:3: column 2 (equity) is not a number: \"1,010\"",
                error(null, "date,equity\n2024-01-01,1000\n2024-01-02,\"1,010\"\n"));
    }

    @Test
    void anUnreadableTimeNamesTheFileLineAndColumn() {
        assertEquals("equity.csv:3: column 1 (date) is not a time: \"yesterday\"; expected an ISO date (2024-01-02), "
                + "date-time (2024-01-02T14:00:00Z) or epoch seconds",
                error(null, "date,equity\n2024-01-01,1000\nyesterday,1010\n"));
    }

    @Test
    void aRowWithTheWrongNumberOfCellsIsRefused() {
        assertEquals("trades.csv:3: expected 5 cells as in the header, found 4",
                error("entry_time,exit_time,side,pnl,return\n2024-01-01,2024-01-02,long,1,0.01\n"
                        + "2024-01-02,2024-01-03,long,1\n", EQUITY));
    }

    @Test
    void anEmptyPnlCellIsRefused() {
        assertEquals("trades.csv:2: column 4 (pnl) is empty: every trade needs its P&L",
                error("entry_time,exit_time,side,pnl,return\n2024-01-01,2024-01-02,long,,0.01\n", EQUITY));
    }

    @Test
    void aTradeWithoutReturnOrPricesIsRefused() {
        assertEquals("trades.csv:2: no return column (return, ret, return_pct) and no entry and exit prices "
                + "(entry_price, exit_price) to derive the return from",
                error("entry_time,exit_time,side,pnl\n2024-01-01,2024-01-02,long,5\n", EQUITY));
    }

    @Test
    void anEquityCurveOfOneRowIsRefused() {
        assertEquals("equity.csv: an equity curve needs at least 2 rows, got 1",
                error(null, "date,equity\n2024-01-01,1000\n"));
    }

    @Test
    void anEmptyFileIsRefused() {
        assertEquals("equity.csv:1: the file is empty, expected a header row such as date,equity", error(null, ""));
    }

    @Test
    void aColumnNamedTwiceIsRefusedAsAmbiguous() {
        assertEquals("equity.csv:1: columns 2 and 3 of the header are both named 'equity'",
                error(null, "date,equity,Equity\n2024-01-01,1,2\n2024-01-02,1,2\n"));
    }

    @Test
    void tradesThatMissTheEquityCurveAreRefusedAsAnotherBacktest() {
        assertEquals("trades.csv: no trade falls within the equity curve of equity.csv: the trades run 2023-01-02 .. "
                + "2023-01-05, the curve 2024-01-01 .. 2024-01-03 (files of different backtests?)",
                error("entry_time,exit_time,side,pnl,return\n2023-01-02,2023-01-05,long,1,0.01\n", EQUITY));
    }

    @Test
    void aGapOfAQuarterOfTheGainIsAHighConcernASmallerOneMedium() {
        // the curve gains 5 on 1000: high above max(2% of 1000, 25% of 5) = 20, medium above max(10, 0.5) = 10
        Report large = Analyzer.analyze(read("entry_time,exit_time,side,pnl,return\n"
                + "2024-01-01,2024-01-02,long,50,0.05\n", EQUITY), 0, null);
        assertEquals(Report.Severity.HIGH, finding(large, "pnl_vs_equity").severity());
        Report medium = Analyzer.analyze(read("entry_time,exit_time,side,pnl,return\n"
                + "2024-01-01,2024-01-02,long,20,0.02\n", EQUITY), 0, null);
        assertEquals(Report.Severity.MEDIUM, finding(medium, "pnl_vs_equity").severity());
        assertTrue(medium.recommendations().stream().anyMatch(x -> x.title().startsWith("Reconcile")));
    }

    @Test
    void tradesWhosePnlDoesNotAddUpToTheCurvesGainAreAFinding() {
        // the curve gains 5 (1000 -> 1005); the one trade closed within it makes 50
        Report r = Analyzer.analyze(read("entry_time,exit_time,side,pnl,return\n2024-01-01,2024-01-02,long,50,0.05\n",
                EQUITY), 0, null);
        assertTrue(finding(r, "pnl_vs_equity").detail().startsWith("The trades closed within the curve make 50.00 "
                + "but the curve gains 5.00, a gap of 45.00 (900% of the gain, 4.5% of the starting equity)"),
                finding(r, "pnl_vs_equity").detail());
        Report ok = Analyzer.analyze(read("entry_time,exit_time,side,pnl,return\n2024-01-01,2024-01-02,long,5,0.005\n",
                EQUITY), 0, null);
        assertFalse(has(ok, "pnl_vs_equity"));
    }

    @Test
    void aBenchmarkColumnInTheEquityFileIsTheBacktestsOwnBenchmark() {
        Backtest bt = read(null, "date,equity,benchmark\n2024-01-01,100,50\n2024-01-02,102,51\n2024-01-03,101,\n"
                + "2024-01-04,103,52\n2024-01-05,104,53\n");
        assertArrayEquals(new long[] {JAN1, JAN1 + DAY, JAN1 + 3 * DAY, JAN1 + 4 * DAY}, bt.benchmarkTime());
        assertArrayEquals(new double[] {50, 51, 52, 53}, bt.benchmarkPrice());
    }

    @Test
    void aBenchmarkCsvTakesTheAdjustedCloseAndSkipsEmptyPrices() {
        Backtest.Series s = BacktestCsv.benchmark("Date,Open,Close,Adj_Close\n2024-01-01,1,10,9\n2024-01-02,1,11,\n"
                + "2024-01-03,1,12,11\n", "spx.csv", null);
        assertArrayEquals(new long[] {JAN1, JAN1 + 2 * DAY}, s.time());
        assertArrayEquals(new double[] {9, 11}, s.price());
        assertArrayEquals(new long[] {2, 4}, s.lines());
    }

    @Test
    void aLongPanelBenchmarkGivesTheChosenSymbolsClose() {
        String panel = "date,symbol,close,volume\n2024-01-01,AAA,10,5\n2024-01-01,SPY,400,9\n2024-01-02,SPY,404,9\n"
                + "2024-01-02,AAA,11,5\n";
        Backtest.Series s = BacktestCsv.benchmark(panel, "panel.csv", "spy");
        assertEquals("panel.csv (SPY)", s.source());
        assertArrayEquals(new long[] {JAN1, JAN1 + DAY}, s.time());
        assertArrayEquals(new double[] {400, 404}, s.price());
        assertEquals("panel.csv: holds 2 symbols; choose the benchmark among them (--benchmark-symbol): AAA, SPY",
                assertThrows(BacktestFormatException.class, () -> BacktestCsv.benchmark(panel, "panel.csv", null))
                        .getMessage());
    }

    @Test
    void aNonPositiveBenchmarkPriceNamesTheFileLineAndColumn() {
        assertEquals("spx.csv:3: column 2 (close) is not a positive price: \"0\"",
                assertThrows(BacktestFormatException.class, () -> BacktestCsv.benchmark(
                        "date,close\n2024-01-01,10\n2024-01-02,0\n", "spx.csv", null)).getMessage());
    }
}
