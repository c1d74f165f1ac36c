package dev.quantagent.assistant;

import static dev.quantagent.assistant.Fixture.finding;
import static dev.quantagent.assistant.Fixture.has;
import static dev.quantagent.assistant.Fixture.noisy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quantagent.assistant.Report.Severity;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class AnalysisTest {

    private static final double EPS = 1e-9;

    @Test
    void aFivePointCurveGivesTheHandWorkedMetrics() {
        // 100 -> 110 -> 99 -> 108.9 -> 119.79 on Mon..Fri: returns +10%, -10%, +10%, +10%
        Fixture f = new Fixture("five", "equity", false, new double[] {0.10, -0.10, 0.10, 0.10})
                .trade(0, 0.10).trade(1, -0.11).trade(3, 0.10);
        Metrics m = f.analyze().metrics();
        assertEquals(252, m.periodsPerYear());
        assertEquals(0.1979, m.totalReturn(), EPS);
        // mean 0.05, sample sd 0.1 -> Sharpe 0.5 * sqrt(252)
        assertEquals(0.5 * Math.sqrt(252), m.sharpe(), EPS);
        assertEquals(0.1 * Math.sqrt(252), m.volatility(), EPS);
        // downside rms = sqrt(0.01 / 4) = 0.05 -> Sortino = 0.05 * 252 / (0.05 * sqrt(252))
        assertEquals(Math.sqrt(252), m.sortino(), EPS);
        assertEquals(-0.10, m.maxDrawdown(), EPS);
        assertEquals(-0.10, m.avgDrawdown(), EPS);
        assertEquals(3, m.longestDrawdownDays(), EPS); // peak Tue, back above it Fri
        assertEquals(2, m.recoveryDays(), EPS); // trough Wed, recovered Fri
        // 5th percentile of {-0.1, 0.1, 0.1, 0.1}: -0.1 + 0.15 * 0.2 = -0.07; 95th: 0.1
        assertEquals(-0.07, m.var95(), EPS);
        assertEquals(0.1 / 0.07, m.tailRatio(), EPS);
        assertEquals(3, m.tradeCount());
        assertEquals(2.0 / 3, m.winRate(), EPS);
        assertEquals(200.0 / 110, m.profitFactor(), EPS);
        assertEquals(100, m.avgWin(), EPS);
        assertEquals(-110, m.avgLoss(), EPS);
        assertEquals(90.0 / 3, m.expectancy(), EPS);
        assertEquals(1, m.avgTradeDays(), EPS);
        assertEquals(0.75, m.exposure(), EPS); // Mon-Wed and Thu-Fri of Mon-Fri
        assertEquals(1, m.longestLosingStreak());
        assertEquals(m.annualReturn() / 0.1, m.calmar(), 1e-6);
    }

    @Test
    void theFivePointCurveGivesTheChaptersExtraMetricsWorkedByHand() {
        Fixture f = new Fixture("five", "equity", false, new double[] {0.10, -0.10, 0.10, 0.10})
                .trade(0, 0.10).trade(1, -0.11).trade(3, 0.10);
        Metrics m = f.analyze().metrics();
        assertEquals(100.0 / 110, m.winLossRatio(), EPS); // average win 100, average loss -110
        assertEquals(3, m.avgRecoveryDays(), EPS); // one drawdown: peak Tuesday, back above it Friday
        // traded value: quantity 10 at 100 in, 10 x exit price out: 1000 + 1100, 1000 + 890, 1000 + 1100 = 6,090;
        // mean equity (10,000 + 11,000 + 9,900 + 10,890 + 11,979) / 5 = 10,753.8 over 4 days of 365.25
        assertEquals(6090 / 10753.8 / (4 / 365.25), m.turnover(), 1e-9);
        // scipy: SR 0.5, skew -1.1547, kurtosis 2.3333; norm.cdf(0.5 sqrt(3) / sqrt(1 + 0.57735 + 0.08333))
        assertEquals(0.7492169731438867, m.psr(), 1e-12);
    }

    @Test
    void zeroCostsAreAConcernNeverAStrength() {
        Fixture costed = new Fixture("costed", "equity", false, noisy(250, 0.0008, 0.01, 12)).trades(40);
        Report withCosts = costed.analyze();
        assertTrue(withCosts.strengths().stream().anyMatch(s -> s.startsWith("The edge survives 3x")));
        Report free = costed.set("fees_bps", 0.0).set("slippage_bps", 0.0).analyze();
        Report.Finding f = finding(free, "costs_zero");
        assertEquals(Severity.MEDIUM, f.severity());
        // trades: 3 in 5 win 2%, 2 lose 1%: a mean of 0.8% before costs, so the edge is gone above 0.8% a round trip
        assertTrue(f.detail().contains("the edge is gone at a round trip above 0.800% (40.0 bps a side)"), f.detail());
        assertEquals(0.008, free.breakevenCost(), 1e-12);
        assertTrue(free.strengths().stream().noneMatch(s -> s.contains("costs") || s.contains("fees")),
                free.strengths().toString());
        assertTrue(free.costs().isEmpty(), "no multiple of zero tests anything");
        // cost points: 10 for surviving 3x, 5 for unknown costs, and the medium finding costs 5 more
        assertEquals(withCosts.score() - 10, free.score(), EPS);
        assertTrue(free.checklist().stream().anyMatch(c -> c.item().equals("Robust to costs")
                && c.status().equals("fail") && c.note().startsWith("costs set to zero")));
    }

    @Test
    void aMakerTakerScheduleGivesTheFeePerSideAndAnOptimisticShareIsSaid() {
        Fixture f = new Fixture("maker", "crypto", true, noisy(200, 0.001, 0.01, 3)).trades(40);
        f.doc.remove("fees_bps");
        f.set("maker_fee_bps", 2.0).set("taker_fee_bps", 5.0).set("maker_share", 0.8);
        Report r = f.analyze();
        assertEquals(0.8 * 2 + 0.2 * 5, r.backtest().feesBps(), EPS); // 2.6 bps a side
        assertEquals(2 * (2.6 + 1) / 1e4, r.costs().get(0).roundTripCost(), 1e-12);
        assertTrue(finding(r, "maker_share_optimistic").detail().startsWith("80% of the fills are taken as maker"));
        Fixture taker = new Fixture("taker", "crypto", true, noisy(200, 0.001, 0.01, 3)).trades(40);
        taker.doc.remove("fees_bps");
        taker.set("taker_fee_bps", 5.0);
        assertEquals(5, taker.backtest().feesBps(), EPS, "only a taker fee: every fill is taker");
        taker.set("fees_bps", 5.0);
        assertTrue(assertThrows(BacktestFormatException.class, taker::backtest).getMessage().contains("/fees_bps"));
    }

    @Test
    void aGradeFCurveWithANinetySixPercentDrawdownIsToldNotToTradeIt() {
        // a 2x levered market that rises, then falls 4% a day for 80 days: the equity loses 96%
        double[] r = new double[200];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < 120 ? 2 * (i % 2 == 0 ? 0.012 : -0.006) : -0.04;
        }
        Fixture f = new Fixture("levered", "crypto", true, r).trades(40).set("leverage", 2.0).set("funding", 1.0);
        Report rep = f.analyze();
        assertTrue(rep.metrics().maxDrawdown() < -0.95, "planted: " + rep.metrics().maxDrawdown());
        assertEquals("F", rep.grade());
        assertEquals("do not trade", rep.sizing().tier());
        assertTrue(rep.sizing().guidance().startsWith("Do not trade it: grade F"), rep.sizing().guidance());
        assertTrue(rep.sizing().guidance().contains("(half the equity or more)"), rep.sizing().guidance());
        assertEquals(0, rep.sizing().maxPosition()[1], 0);
    }

    @Test
    void sizingFollowsTheChaptersTableCappedByGradeAndDrawdown() {
        Report.Sizing good = Report.Sizing.row(1, "good", false, List.of());
        assertEquals(0.10, good.maxPosition()[0], EPS);
        assertEquals(0.15, good.maxPosition()[1], EPS);
        assertEquals(0.25, good.portfolioRisk()[0], EPS);
        assertEquals(0.30, good.portfolioRisk()[1], EPS);
        assertEquals(1.5, good.leverage()[1], EPS);
        assertTrue(good.guidance().startsWith("Max position 10–15% of the portfolio per trade, max portfolio risk "
                + "25–30%, leverage 1–1.5x"), good.guidance());
        Report.Sizing capped = Report.Sizing.row(0, "excellent", true, List.of("grade C"));
        assertTrue(capped.guidance().startsWith("Max position 5–10% of the portfolio per trade, max portfolio risk "
                + "15–20%, leverage 1x: the chapter's row for an acceptable Sharpe (the Sharpe is excellent); grade C."),
                capped.guidance());
    }

    @Test
    void theExampleWhoseOutOfSampleCollapsesIsToPaperTradeDespiteItsExcellentSharpe() throws Exception {
        try (java.io.InputStream in = AnalysisTest.class.getResourceAsStream("/backtests/btc-trend-v1.1.json")) {
            Report r = Analyzer.analyze(Backtest.parse(new String(in.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8), "example"), 0, null);
            assertEquals("excellent", r.sharpeBand().label());
            assertTrue(has(r, "overfitting"));
            assertEquals("paper trade", r.sizing().tier());
            assertTrue(r.sizing().guidance().contains("the out-of-sample part collapses"), r.sizing().guidance());
        }
    }

    @Test
    void fundingIsChargedFromTheRatesAtEverySettlementAPositionHoldsAndShownAsAMonthlyRate() {
        Fixture f = new Fixture("perp", "crypto", true, noisy(60, 0.001, 0.01, 4));
        f.trade(0, 0.01).trade(3, 0.01).trade(10, 0.01);
        com.fasterxml.jackson.databind.node.ArrayNode ts = (com.fasterxml.jackson.databind.node.ArrayNode)
                f.doc.get("trades");
        // A: long 10 at 100 (value 1,000) from day 0 00:00 to day 2 00:00: settlements 08, 16, 00, 08, 16, 00 = 6
        ((com.fasterxml.jackson.databind.node.ObjectNode) ts.get(0)).put("symbol", "BTCUSDT")
                .put("exit_time", f.days.get(2).toString());
        // B: short, value 1,000, day 3 04:00 to 20:00: the 08:00 and 16:00 settlements, received as a short
        ((com.fasterxml.jackson.databind.node.ObjectNode) ts.get(1)).put("symbol", "BTCUSDT")
                .put("direction", "short").put("entry_time", f.days.get(3) + "T04:00:00Z")
                .put("exit_time", f.days.get(3) + "T20:00:00Z");
        // C: a symbol the rates do not have
        ((com.fasterxml.jackson.databind.node.ObjectNode) ts.get(2)).put("symbol", "ETHUSDT");
        String csv = "funding_time,symbol,funding_rate,funding_interval_hours\n"
                + java.util.stream.IntStream.range(0, 3 * 20).mapToObj(k -> java.time.Instant.ofEpochSecond(
                        f.days.get(0).toEpochDay() * 86_400 + 8 * 3600L * k) + ",BTCUSDT,0.00010000,8\n")
                .collect(java.util.stream.Collectors.joining()) + "2024-01-01T00:00:00Z,SOLUSDT,0.0003,8\n";
        Backtest bt = f.backtest().withFundingRates(BacktestCsv.fundingRates(csv, "rates.csv"));
        Report r = Analyzer.analyze(bt, 0, null);
        // 1,000 x 0.0001 x 6 paid, less 1,000 x 0.0001 x 2 received
        assertEquals(0.6 - 0.2, r.funding().total(), 1e-12);
        assertEquals(8, r.funding().settlements());
        assertEquals(1, r.funding().unmatched());
        assertEquals(List.of("ETHUSDT"), r.funding().missing());
        double meanEquity = Arrays.stream(bt.equity()).average().orElseThrow();
        double months = 60 / 365.25 * 12;
        assertEquals(0.4 / meanEquity / months, r.metrics().fundingMonthly(), 1e-15);
        Report.Finding left = finding(r, "funding_not_included");
        assertTrue(left.detail().startsWith("From rates.csv, the 2 trades charged would have paid 0.40 in funding "
                + "over 8 settlements"), left.detail());
        assertTrue(left.detail().contains("(1 trades without rates or a position value: ETHUSDT)"), left.detail());
        Report stated = Analyzer.analyze(f.set("funding", 0.4).backtest().withFundingRates(
                BacktestCsv.fundingRates(csv, "rates.csv")), 0, null);
        assertFalse(has(stated, "funding_not_included") || has(stated, "funding_mismatch"),
                stated.findings().toString());
        Report mismatch = Analyzer.analyze(f.set("funding", 2.0).backtest().withFundingRates(
                BacktestCsv.fundingRates(csv, "rates.csv")), 0, null);
        assertTrue(finding(mismatch, "funding_mismatch").detail().endsWith("the backtest states 2.00."));
    }

    @Test
    void tooManyParametersForTheTradesAFragileNeighbourhoodAndManyTrialsAreModelRisks() {
        Fixture f = new Fixture("tuned", "equity", false, noisy(250, 0.0008, 0.01, 12)).trades(40);
        f.set("parameters", f.doc.objectNode().put("fast", 20).put("slow", 50).put("atr", 2.5).put("stop", 3)
                .put("filter", 0.2));
        Report r = f.analyze();
        // 40 trades over 5 parameters: 8 a parameter, below 10 (above 5: medium)
        assertEquals(Severity.MEDIUM, finding(r, "parameters_vs_data").severity());
        assertTrue(finding(r, "parameters_vs_data").detail().startsWith("5 tuned parameters (fast, slow, atr, stop, "
                + "filter) fitted on 40 trades: 8.0 trades a parameter"));
        double sharpe = r.metrics().sharpe();
        com.fasterxml.jackson.databind.node.ArrayNode sens = f.doc.putArray("sensitivity");
        sens.addObject().put("parameter", "fast").put("value", 15).put("sharpe", 0.9 * sharpe);
        sens.addObject().put("parameter", "fast").put("value", 25).put("sharpe", 0.3 * sharpe);
        Report fragile = f.analyze();
        assertTrue(finding(fragile, "parameter_fragile").detail().contains("1 of 2 tested neighbours keep less than "
                + "50% of it: fast = 25"), finding(fragile, "parameter_fragile").detail());
        f.set("trials", 1000);
        Report snooped = f.analyze();
        assertTrue(has(snooped, "data_snooping") || snooped.strengths().stream().anyMatch(
                s -> s.startsWith("Survives the data-snooping test")));
        assertTrue(snooped.checklist().stream().anyMatch(c -> c.item().equals("Data snooping bias mitigated")
                && c.note().startsWith("1000 trials, deflated Sharpe")));
    }

    @Test
    void theLuckySharpeOfManyTrialsIsTheExpectedMaximumOfNormalsScaledByTheEstimatorsError() {
        // Bailey & Lopez de Prado (2014): E[max of N] ~ (1 - g) Z(1 - 1/N) + g Z(1 - 1/(N e)), g = Euler's constant;
        // scipy: norm.ppf(1 - 1/100) = 2.3263478740408408, norm.ppf(1 - 1/(100 e)) = 2.6802104449668875
        double z = (1 - 0.5772156649015329) * 2.3263478740408408 + 0.5772156649015329 * 2.6802104449668875;
        double sd = Math.sqrt((1 + 0.1 * 0.1 / 2) / (252 - 1));
        assertEquals(sd * z, Stats.luckySharpe(100, 0.1, 252), 1e-9);
    }

    @Test
    void positionsLargeAgainstTheDailyVolumeAreALiquidityRisk() {
        Fixture f = new Fixture("big", "equity", false, noisy(250, 0.0008, 0.01, 12)).trades(40);
        f.set("adv", 20_000.0); // positions of 1,000 (10 at 100): 5% of the daily traded value
        Report r = f.analyze();
        assertEquals(Severity.MEDIUM, finding(r, "liquidity").severity());
        assertTrue(finding(r, "liquidity").detail().startsWith("The largest position is 1000.00, 5.0% of the average "
                + "daily traded value"));
        assertFalse(has(f.set("adv", 1e7).analyze(), "liquidity"));
    }

    @Test
    void theWorstDrawdownsFollowQuantstatsDrawdownDetails() {
        // 100, 110, 99, 108.9, 119.79 on Mon..Fri: under water Wed and Thu; quantstats' drawdown_details gives
        // start 2024-01-03, valley 2024-01-03, end 2024-01-04, days (end - start).days + 1 = 2, max drawdown -10%
        Report r = new Fixture("five", "equity", false, new double[] {0.10, -0.10, 0.10, 0.10}).trade(0, 0.1)
                .analyze();
        Panels.Drawdown d = r.panels().drawdowns().get(0);
        assertEquals(1, r.panels().drawdowns().size());
        assertEquals("2024-01-03", Formats.time(d.start()));
        assertEquals("2024-01-03", Formats.time(d.valley()));
        assertEquals("2024-01-04", Formats.time(d.end()));
        assertEquals("2024-01-05", Formats.time(d.recovery()));
        assertEquals(2, d.days(), EPS);
        assertEquals(-0.10, d.depth(), EPS);
        // a curve that ends under water has no recovery, and the deepest episode comes first
        long[] t = {0, 86_400, 2 * 86_400, 3 * 86_400, 4 * 86_400, 5 * 86_400};
        List<Panels.Drawdown> two = Panels.drawdowns(t, new double[] {100, 95, 100, 120, 90, 100}, 5);
        assertEquals(-0.25, two.get(0).depth(), EPS);
        assertEquals(-1, two.get(0).recovery());
        assertEquals(-0.05, two.get(1).depth(), EPS);
    }

    @Test
    void rollingSharpeAndVolatilityMatchAWindowComputedByHand() {
        // window 3 over 0.01, -0.02, 0.03, 0.01: windows (0.01, -0.02, 0.03) and (-0.02, 0.03, 0.01)
        double[] r = {0.01, -0.02, 0.03, 0.01};
        double[][] sv = Panels.rolling(r, r, 3, 252);
        // first window: mean 0.006667, sample sd sqrt(((0.003333)^2 + (0.026667)^2 + (0.023333)^2) / 2) = 0.025166
        double sd1 = Math.sqrt((Math.pow(0.01 - 0.02 / 3, 2) + Math.pow(-0.02 - 0.02 / 3, 2)
                + Math.pow(0.03 - 0.02 / 3, 2)) / 2);
        assertEquals(0.025166114784235834, sd1, 1e-15); // numpy: np.std([.01, -.02, .03], ddof=1)
        assertEquals(0.02 / 3 / sd1 * Math.sqrt(252), sv[0][0], 1e-12);
        assertEquals(sd1 * Math.sqrt(252), sv[1][0], 1e-12);
        double sd2 = Math.sqrt((Math.pow(-0.02 - 0.02 / 3, 2) + Math.pow(0.03 - 0.02 / 3, 2)
                + Math.pow(0.01 - 0.02 / 3, 2)) / 2);
        assertEquals(0.02 / 3 / sd2 * Math.sqrt(252), sv[0][1], 1e-12);
        // beta of s = 2b + noise-free offset is 2 in every window
        double[] beta = Panels.rollingBeta(new double[] {0.021, -0.039, 0.061, 0.021}, r, 3);
        assertEquals(2, beta[0], 1e-12);
        assertEquals(2, beta[1], 1e-12);
        // 126 trading days: 126 bars of a weekday curve, 3,024 of an hourly 24/7 one, a quarter of a short curve
        assertEquals(126, Panels.windowPeriods(252, 1000));
        assertEquals(126 * 24, Panels.windowPeriods(8760, 20_000));
        assertEquals(50, Panels.windowPeriods(365, 200));
    }

    @Test
    void theRiskFreeRateLowersSharpe() {
        Backtest bt = new Fixture("rf", "equity", false, noisy(300, 0.0005, 0.01, 1)).trades(40).backtest();
        double s0 = Analyzer.analyze(bt, 0, null).metrics().sharpe();
        double s4 = Analyzer.analyze(bt, 0.04, null).metrics().sharpe();
        assertTrue(s4 < s0, s4 + " vs " + s0);
    }

    @Test
    void annualisationIsInferredFromTheCurveSpacing() {
        assertEquals(252, new Fixture("a", "equity", false, noisy(30, 0, 0.01, 1)).analyze().metrics()
                .periodsPerYear());
        assertEquals(365, new Fixture("a", "crypto", true, noisy(30, 0, 0.01, 1)).analyze().metrics()
                .periodsPerYear());
        long[] hourly = new long[50];
        for (int i = 0; i < hourly.length; i++) {
            hourly[i] = 1_700_000_000L + 3600L * i;
        }
        assertEquals(8760, Metrics.periodsPerYear(hourly), EPS);
    }

    @Test
    void aLookAheadSmoothCurveIsFlaggedAsSuspicious() {
        double[] r = new double[250];
        for (int i = 0; i < r.length; i++) {
            r[i] = 0.001 + (i % 2 == 0 ? 0.0002 : -0.0002); // up every day, barely any noise
        }
        Report rep = new Fixture("smooth", "equity", false, r).trades(60).analyze();
        assertEquals("suspicious", rep.sharpeBand().label());
        assertEquals(Severity.CRITICAL, finding(rep, "suspicious_smoothness").severity());
        assertTrue(rep.grade().compareTo("D") >= 0, "a critical finding caps the grade at D: " + rep.grade());
    }

    @Test
    void twelveTradesGetTheTooFewTradesFinding() {
        Report rep = new Fixture("few", "equity", false, noisy(250, 0.0008, 0.01, 2)).trades(12).analyze();
        assertEquals(Severity.HIGH, finding(rep, "too_few_trades").severity());
        Report enough = new Fixture("many", "equity", false, noisy(250, 0.0008, 0.01, 2)).trades(30).analyze();
        assertFalse(has(enough, "too_few_trades"));
    }

    @Test
    void anOutOfSampleCollapseGetsTheOverfittingFinding() {
        double[] r = new double[400];
        System.arraycopy(noisy(200, 0.002, 0.01, 3), 0, r, 0, 200);
        System.arraycopy(noisy(200, -0.001, 0.01, 4), 0, r, 200, 200);
        Fixture f = new Fixture("overfit", "equity", false, r).trades(60);
        f.set("in_sample_end", f.days.get(200).toString());
        Report rep = f.analyze();
        assertTrue(has(rep, "overfitting"), rep.findings().toString());
        assertEquals(200, rep.halves().isPeriods());
        assertTrue(rep.halves().isSharpe() > 1 && rep.halves().oosSharpe() < 0, rep.halves().toString());
    }

    @Test
    void aStableStrategyHoldsUpOutOfSample() {
        Fixture f = new Fixture("stable", "equity", false, noisy(400, 0.001, 0.01, 5)).trades(60);
        f.set("in_sample_end", f.days.get(200).toString());
        Report rep = f.analyze();
        assertFalse(has(rep, "overfitting"), rep.halves().toString());
    }

    @Test
    void tenTimesLeveragedCryptoWithATradeThatLostFifteenPercentWouldBeLiquidated() {
        double[] r = noisy(365, 0.001, 0.001, 6);
        Fixture f = new Fixture("perp", "crypto", true, r).trades(60).trade(100, -0.15); // the price fell 15%
        f.set("leverage", 10.0);
        f.set("funding", 5.0);
        Report rep = f.analyze();
        assertEquals(Severity.CRITICAL, finding(rep, "liquidation_risk").severity());
        assertTrue(rep.checklist().stream().anyMatch(c -> c.area().equals("crypto")
                && c.item().equals("Liquidation scenarios modelled") && c.status().equals("fail")));
        Fixture unlevered = new Fixture("spot", "crypto", true, r).trades(60);
        assertFalse(has(unlevered.analyze(), "liquidation_risk"));
    }

    @Test
    void anAccountThatFellFifteenPercentAtTenTimesLeverageSawTheMarketMoveOnePointFive() {
        // the curve is the account's equity: its 15% fall is the leverage times a 1.5% move, far from liquidation
        double[] r = noisy(365, 0.001, 0.001, 6);
        r[100] = -0.15;
        Fixture f = new Fixture("perp", "crypto", true, r).trades(60);
        f.set("leverage", 10.0);
        f.set("funding", 5.0);
        Report rep = f.analyze();
        assertEquals(-0.15, rep.metrics().maxDrawdown(), 0.01);
        assertFalse(has(rep, "liquidation_risk"), rep.findings().toString());
    }

    @Test
    void leveragedCryptoWithoutFundingGetsTheFundingFinding() {
        Fixture f = new Fixture("perp", "crypto", true, noisy(100, 0.001, 0.01, 7)).trades(40);
        f.set("leverage", 2.0);
        f.set("type", "perpetual futures");
        assertTrue(has(f.analyze(), "funding_not_stated"));
    }

    @Test
    void aCostFragileStrategyLosesItsEdgeAtTwiceTheCosts() {
        Fixture f = new Fixture("fragile", "equity", false, noisy(250, 0.0004, 0.005, 8));
        for (int i = 0; i < 40; i++) {
            f.trade(i * 5, i % 2 == 0 ? 0.004 : -0.002); // mean +0.1% per trade
        }
        f.set("fees_bps", 5.0).set("slippage_bps", 5.0); // round trip 0.2%
        Report rep = f.analyze();
        assertEquals(Severity.HIGH, finding(rep, "cost_fragile").severity());
        assertTrue(rep.costs().get(0).edgeSurvives());
        assertFalse(rep.costs().get(1).edgeSurvives());
        assertEquals(-0.001, rep.costs().get(1).meanTradeReturn(), EPS);
        Report cheap = f.set("fees_bps", 0.5).set("slippage_bps", 0.5).analyze();
        assertFalse(has(cheap, "cost_fragile"), "0.02% a round trip: survives 3x");
    }

    @Test
    void missingCostsAreAFinding() {
        Fixture f = new Fixture("gross", "equity", false, noisy(100, 0.001, 0.01, 9)).trades(40);
        f.doc.remove("fees_bps");
        f.doc.remove("slippage_bps");
        Report rep = f.analyze();
        assertTrue(has(rep, "costs_not_stated"));
        assertTrue(rep.costs().isEmpty());
    }

    @Test
    void lossesAllOnMondaysGetTheWeekdayClusteringFinding() {
        // 50 weekdays from Monday 2024-01-01: day index i is a Monday when i % 5 == 0
        Fixture f = new Fixture("monday", "equity", false, noisy(60, 0.001, 0.01, 10));
        for (int i = 0; i < 50; i++) {
            f.trade(i, i % 5 == 0 ? -0.01 : 0.01);
        }
        Report rep = f.analyze();
        assertTrue(finding(rep, "loss_clustering_weekday").detail().contains("Monday"));
        assertEquals(10, rep.lossesBy().get("weekday_losses")[0], EPS);

        Fixture spread = new Fixture("spread", "equity", false, noisy(60, 0.001, 0.01, 10));
        for (int i = 0; i < 50; i++) {
            spread.trade(i, i % 5 == i / 5 % 5 ? -0.01 : 0.01); // one loss per weekday per 5 weeks
        }
        assertFalse(has(spread.analyze(), "loss_clustering_weekday"));
    }

    @Test
    void theLongestLosingStreakIsCountedAndReported() {
        Fixture f = new Fixture("streak", "equity", false, noisy(100, 0.001, 0.01, 11));
        for (int i = 0; i < 40; i++) {
            f.trade(i * 2, i >= 10 && i < 17 ? -0.01 : 0.02);
        }
        Report rep = f.analyze();
        assertEquals(7, rep.metrics().longestLosingStreak());
        assertEquals(Severity.LOW, finding(rep, "losing_streak").severity());
    }

    @Test
    void dataQualityProblemsAreFindingsNotErrors() {
        Fixture f = new Fixture("dq", "equity", false, new double[] {0.1, -0.1, 0.1, 0.1}).trade(0, 0.1);
        f.set("metrics", f.doc.objectNode().put("sharpe", 3.5).put("total_return", 0.1979));
        f.set("universe_fixed", true);
        Report rep = f.analyze();
        assertTrue(finding(rep, "data_stated_metrics_mismatch").detail().contains("sharpe"));
        assertFalse(finding(rep, "data_stated_metrics_mismatch").detail().contains("total_return"));
        assertTrue(has(rep, "survivorship"));
        assertFalse(has(rep, "data_equity_nonpositive"));

        ((com.fasterxml.jackson.databind.node.ObjectNode) f.doc.get("equity_curve").get(2)).put("equity", 0.0);
        assertEquals(Severity.CRITICAL, finding(f.analyze(), "data_equity_nonpositive").severity());

        Fixture late = new Fixture("late", "equity", false, noisy(10, 0, 0.01, 1)).trade(0, 0.01);
        late.set("period", late.doc.objectNode().put("start", "2024-01-02").put("end", "2024-01-31"));
        assertTrue(finding(late.analyze(), "data_outside_period").detail().contains("/trades/0"));
    }

    @Test
    void gradeBoundariesFollowTheDocumentedScore() {
        assertEquals("A", Interpretation.grade(85, false, false));
        assertEquals("B", Interpretation.grade(84.9, false, false));
        assertEquals("B", Interpretation.grade(70, false, false));
        assertEquals("C", Interpretation.grade(69.9, false, false));
        assertEquals("C", Interpretation.grade(55, false, false));
        assertEquals("D", Interpretation.grade(54.9, false, false));
        assertEquals("D", Interpretation.grade(40, false, false));
        assertEquals("F", Interpretation.grade(39.9, false, false));
        assertEquals("D", Interpretation.grade(100, true, false), "a critical finding caps the grade at D");
        assertEquals("F", Interpretation.grade(10, true, false));
        assertEquals("B", Interpretation.grade(100, false, true), "a high finding caps the grade at B");
        assertEquals("C", Interpretation.grade(60, false, true));
        Interpretation.Band good = Interpretation.sharpe(1.5, Backtest.AssetClass.EQUITY);
        Interpretation.Band conservative = Interpretation.drawdown(-0.05, Backtest.AssetClass.EQUITY);
        assertEquals(34 + 25 + 15 + 10 + 10, Interpretation.score(good, conservative, 2, 30, 3, 0, 0), EPS);
        assertEquals(34 + 25 + 15 + 5 + 10 - 15, Interpretation.score(good, conservative, 2, 15, 3, 1, 1), EPS);
    }

    @Test
    void cryptoHasAHigherSharpeBarAndAWiderDrawdownBand() {
        assertEquals("good", Interpretation.sharpe(1.2, Backtest.AssetClass.EQUITY).label());
        assertEquals("acceptable", Interpretation.sharpe(1.2, Backtest.AssetClass.CRYPTO).label());
        assertEquals("high risk", Interpretation.drawdown(-0.35, Backtest.AssetClass.EQUITY).label());
        assertEquals("aggressive", Interpretation.drawdown(-0.35, Backtest.AssetClass.CRYPTO).label());
        assertEquals("suspicious", Interpretation.sharpe(3.2, Backtest.AssetClass.EQUITY).label());
        assertEquals("excellent", Interpretation.sharpe(3.2, Backtest.AssetClass.CRYPTO).label());
    }

    @Test
    void theWinRateProfitFactorMatrixNamesTheProfile() {
        assertTrue(Interpretation.profile(0.3, 2.5).startsWith("trend-following"));
        assertTrue(Interpretation.profile(0.8, 0.7).startsWith("picking up pennies"));
        assertTrue(Interpretation.profile(0.7, 1.2).startsWith("mean-reversion"));
    }

    @Test
    void aBenchmarkGivesBetaAndCorrelation() {
        double[] r = noisy(100, 0.0005, 0.01, 13);
        Fixture f = new Fixture("beta", "equity", false, r).trades(40);
        com.fasterxml.jackson.databind.node.ArrayNode b = f.doc.putArray("benchmark");
        double price = 50;
        for (int i = 0; i < f.days.size(); i++) {
            price *= i == 0 ? 1 : 1 + r[i - 1] / 2; // half the strategy's moves: beta 2, correlation 1
            b.addObject().put("time", f.days.get(i).toString()).put("price", price);
        }
        Metrics m = f.analyze().metrics();
        assertEquals(2, m.beta(), 1e-2);
        assertEquals(1, m.correlation(), 1e-3);
    }

    @Test
    void badDocumentsNameTheFieldOrTradeIndex() {
        Fixture f = new Fixture("bad", "equity", false, noisy(10, 0, 0.01, 1)).trades(5);
        ((com.fasterxml.jackson.databind.node.ObjectNode) f.doc.get("trades").get(3)).remove("pnl");
        BacktestFormatException e = assertThrows(BacktestFormatException.class, f::backtest);
        assertTrue(e.getMessage().contains("/trades/3/pnl"), e.getMessage());

        Fixture g = new Fixture("bad", "stocks", false, noisy(10, 0, 0.01, 1));
        assertTrue(assertThrows(BacktestFormatException.class, g::backtest).getMessage().contains("/asset_class"));
        Fixture h = new Fixture("bad", "equity", false, noisy(10, 0, 0.01, 1));
        ((com.fasterxml.jackson.databind.node.ObjectNode) h.doc.get("equity_curve").get(4)).put("time", "yesterday");
        assertTrue(assertThrows(BacktestFormatException.class, h::backtest).getMessage()
                .contains("/equity_curve/4/time"));
        assertNotNull(Backtest.parse(new Fixture("ok", "equity", false, noisy(3, 0, 0.01, 1)).json(), "t"));
    }

    @Test
    void intradayLossesAtOneHourGetTheHourClusteringFindingAndHourlyAnnualisation() {
        com.fasterxml.jackson.databind.node.ObjectNode doc = new ObjectMapper().createObjectNode();
        doc.put("strategy", "hourly").put("asset_class", "crypto").put("fees_bps", 1);
        doc.putObject("period").put("start", "2024-01-01").put("end", "2024-01-12");
        java.time.LocalDateTime t0 = java.time.LocalDateTime.of(2024, 1, 1, 0, 0);
        com.fasterxml.jackson.databind.node.ArrayNode curve = doc.putArray("equity_curve");
        double[] r = noisy(250, 0.0001, 0.002, 16);
        double e = 1000;
        for (int i = 0; i <= r.length; i++) {
            e *= i == 0 ? 1 : 1 + r[i - 1];
            curve.addObject().put("time", t0.plusHours(i) + "Z").put("equity", e);
        }
        com.fasterxml.jackson.databind.node.ArrayNode trades = doc.putArray("trades");
        for (int i = 0; i < 40; i++) {
            java.time.LocalDateTime entry = t0.plusDays(i / 4).plusHours(new int[] {3, 10, 15, 20}[i % 4]);
            boolean loss = entry.getHour() == 10;
            trades.addObject().put("entry_time", entry + "Z").put("exit_time", entry.plusHours(2) + "Z")
                    .put("direction", "short").put("pnl", loss ? -5 : 3).put("return", loss ? -0.005 : 0.003);
        }
        Report rep = Analyzer.analyze(Backtest.parse(doc.toString(), "hourly"), 0, null);
        assertEquals(8760, rep.metrics().periodsPerYear(), EPS);
        assertTrue(finding(rep, "loss_clustering_hour").detail().contains("10:00 UTC"), rep.findings().toString());
    }

    /** An hourly crypto backtest whose trades enter at the given hours with the given outcomes. */
    private static Report hourlyTrades(int[] hour, boolean[] loses) {
        com.fasterxml.jackson.databind.node.ObjectNode doc = new ObjectMapper().createObjectNode();
        doc.put("strategy", "hours").put("asset_class", "crypto").put("fees_bps", 1).put("slippage_bps", 1);
        doc.putObject("period").put("start", "2024-01-01").put("end", "2024-03-01");
        java.time.LocalDateTime t0 = java.time.LocalDateTime.of(2024, 1, 1, 0, 0);
        com.fasterxml.jackson.databind.node.ArrayNode curve = doc.putArray("equity_curve");
        double[] r = noisy(24 * 60, 0.0001, 0.002, 16);
        double e = 10_000;
        for (int i = 0; i <= r.length; i++) {
            e *= i == 0 ? 1 : 1 + r[i - 1];
            curve.addObject().put("time", t0.plusHours(i) + "Z").put("equity", e);
        }
        com.fasterxml.jackson.databind.node.ArrayNode trades = doc.putArray("trades");
        for (int i = 0; i < hour.length; i++) {
            java.time.LocalDateTime entry = t0.plusDays(i % 59).plusHours(hour[i]);
            trades.addObject().put("entry_time", entry + "Z").put("exit_time", entry.plusMinutes(30) + "Z")
                    .put("direction", "long").put("pnl", loses[i] ? -5 : 6).put("return", loses[i] ? -0.005 : 0.006);
        }
        return Analyzer.analyze(Backtest.parse(doc.toString(), "hours"), 0, null);
    }

    @Test
    void lossesMovedToOneHourAreAClusterEvenWhenMostTradesLose() {
        // 400 trades, 328 losses (82%): 312 trades at 13:00 UTC, all losing; the other 88 spread over the day lose 16
        int[] hour = new int[400];
        boolean[] loses = new boolean[400];
        for (int i = 0; i < 400; i++) {
            hour[i] = i < 312 ? 13 : (i % 23 < 13 ? i % 23 : i % 23 + 1); // every hour but 13
            loses[i] = i < 312 || i < 328;
        }
        Report.Finding f = finding(hourlyTrades(hour, loses), "loss_clustering_hour");
        // a loss rate of 100% at 13:00 against 16 / 88 = 18% elsewhere; the share test (loss rate 1.5x the overall
        // 82%) could never fire
        assertTrue(f.detail().startsWith("13:00 UTC: 312 of the 328 losses (95%) on 78% of the trades; 100% of its "
                + "312 trades lose against 18% of the other 88"), f.detail());
        assertTrue(f.detail().contains("at least 5 losses, loses 1.5x as often as the other trades, with a one-sided "
                + "Fisher p below 0.05 / 24"), f.detail());
    }

    @Test
    void aLossRateThatIsTheSameAtEveryHourIsNoCluster() {
        // 82% of trades lose at every hour: no hour is worse than the others
        int[] hour = new int[480];
        boolean[] loses = new boolean[480];
        for (int i = 0; i < 480; i++) {
            hour[i] = i % 24;
            loses[i] = (i / 24) % 10 < 8 || (i / 24) % 50 == 9; // 41 of 50 rounds lose at every hour
        }
        Report r = hourlyTrades(hour, loses);
        assertTrue(r.metrics().winRate() < 0.2, "most trades lose: " + r.metrics().winRate());
        assertFalse(has(r, "loss_clustering_hour"), r.findings().toString());
        assertFalse(has(r, "loss_clustering_weekday"), r.findings().toString());
    }

    @Test
    void fundingThatEatsTheProfitIsAFinding() {
        Fixture f = new Fixture("funded", "crypto", true, noisy(100, 0.001, 0.01, 17)).trades(40);
        f.set("type", "perpetual").set("leverage", 2.0).set("funding", 200.0); // P&L 240 net, 440 before funding
        assertEquals(Severity.MEDIUM, finding(f.analyze(), "funding_heavy").severity());
    }

    @Test
    void tradesThatNearlyAllWinHugelyMakeTheLookAheadFindingCriticalThoughHalfThePeriodsAreFlat() {
        double[] r = new double[300];
        int moved = 0;
        for (int i = 0; i < r.length; i++) {
            // out of the market half the time; of the moving periods 7 in 10 rise: no 90%-up curve
            r[i] = i % 2 == 0 ? 0.0 : moved++ % 10 < 7 ? 0.01 : -0.002;
        }
        Fixture f = new Fixture("peek", "crypto", true, r);
        for (int i = 0; i < 40; i++) {
            f.trade(1 + 7 * i, i < 38 ? 0.02 : -0.001); // 95% won, profit factor 380
        }
        Report rep = f.analyze();
        assertEquals(Severity.CRITICAL, finding(rep, "suspicious_smoothness").severity());
        assertEquals(List.of(), rep.strengths());
        assertTrue(rep.grade().startsWith("D") || rep.grade().startsWith("F"), rep.grade());
    }

    @Test
    void aMissingStretchOfTheCurveIsAFindingThatSaysWhere() {
        Fixture f = new Fixture("gappy", "crypto", true, noisy(300, 0.001, 0.01, 8)).trades(40);
        com.fasterxml.jackson.databind.node.ArrayNode curve =
                (com.fasterxml.jackson.databind.node.ArrayNode) f.doc.get("equity_curve");
        for (int i = 160; i > 100; i--) {
            curve.remove(i); // 2024-04-11 .. 2024-06-09 are missing
        }
        Report.Finding gap = finding(f.analyze(), "data_gap");
        assertEquals(Severity.HIGH, gap.severity());
        assertTrue(gap.detail().startsWith("No point between 2024-04-10 and 2024-06-10 (61 days"), gap.detail());
        assertFalse(has(new Fixture("whole", "crypto", true, noisy(300, 0.001, 0.01, 8)).trades(40).analyze(),
                "data_gap"));
    }

    @Test
    void aTradeReturnDerivedFromPricesIsGrossSoTheCostTableTakesOneRoundTripOffIt() {
        Fixture given = new Fixture("net", "crypto", true, noisy(300, 0.001, 0.01, 9)).trades(60);
        Fixture derived = new Fixture("gross", "crypto", true, noisy(300, 0.001, 0.01, 9)).trades(60);
        for (JsonNode t : derived.doc.get("trades")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) t).remove("return");
        }
        // trades: 3 in 5 win 2%, 2 lose 1%: a mean of 0.8%; fees 1 + slippage 1 bps a side: a 0.04% round trip
        assertEquals(0.008, given.analyze().costs().get(0).meanTradeReturn(), 1e-12);
        assertEquals(0.008 - 0.0004, derived.analyze().costs().get(0).meanTradeReturn(), 1e-12);
        assertEquals(0.008 - 0.0008, derived.analyze().costs().get(1).meanTradeReturn(), 1e-12);
    }

    @Test
    void inAndOutOfSampleSharpesAreOnExcessReturnsLikeTheHeadlineSharpe() {
        double[] r = noisy(300, 0.001, 0.01, 10);
        Fixture f = new Fixture("rf", "crypto", true, r).trades(40);
        f.set("in_sample_end", f.days.get(200).toString()); // returns 0..199 end in sample
        Report rep = Analyzer.analyze(f.backtest(), 0.05, null);
        double perPeriod = Math.pow(1.05, 1 / 365.0) - 1;
        double mean = 0;
        for (int i = 0; i < 200; i++) {
            mean += (r[i] - perPeriod) / 200;
        }
        double ss = 0;
        for (int i = 0; i < 200; i++) {
            ss += (r[i] - perPeriod - mean) * (r[i] - perPeriod - mean);
        }
        double sharpe = mean / Math.sqrt(ss / 199) * Math.sqrt(365);
        assertEquals(sharpe, rep.halves().isSharpe(), 1e-9);
    }

    @Test
    void aCollapseAfterNoInSampleEdgeIsDecayNotOverfitting() {
        double[] r = new double[300];
        for (int i = 0; i < r.length; i++) {
            // in sample a Sharpe of about 0.2, out of sample below zero
            r[i] = i < 200 ? (i % 2 == 0 ? 0.0102 : -0.010) : (i % 2 == 0 ? 0.010 : -0.0102);
        }
        Fixture f = new Fixture("noedge", "crypto", true, r).trades(40);
        f.set("in_sample_end", f.days.get(200).toString());
        Report rep = f.analyze();
        assertTrue(rep.halves().isSharpe() > 0 && rep.halves().isSharpe() < 0.5, rep.halves().toString());
        assertFalse(has(rep, "overfitting"), rep.findings().toString());
        assertTrue(finding(rep, "is_oos_decay").detail().contains("little in-sample edge"));
    }

    @Test
    void aTradeEnteredAndLeftOnTheSameDayHoldsItsDay() {
        Fixture f = new Fixture("intraday", "equity", true, noisy(100, 0.001, 0.01, 11));
        for (int i = 0; i < 10; i++) {
            f.trade(5 * i, 0.01);
        }
        for (JsonNode t : f.doc.get("trades")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) t).put("exit_time", t.get("entry_time").asText());
        }
        assertEquals(10 / 100.0, f.analyze().metrics().exposure(), 1e-12); // 10 days of 100
    }

    @Test
    void aCurveThatNeverMovesIsOneFindingAndNoStrength() {
        Report rep = new Fixture("idle", "equity", false, new double[120]).analyze();
        assertTrue(has(rep, "flat_curve"), rep.findings().toString());
        assertFalse(has(rep, "low_sharpe"), rep.findings().toString());
        assertEquals(List.of(), rep.strengths());
        assertTrue(rep.summary().contains("Sharpe n/a (undefined)"), rep.summary());
    }
}
