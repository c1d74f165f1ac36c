package dev.quantagent.assistant;

import static dev.quantagent.assistant.Fixture.finding;
import static dev.quantagent.assistant.Fixture.has;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;

import org.junit.jupiter.api.Test;

class MarketTest {

    private static final double EPS = 1e-9;
    private static final long JAN1 = 1_704_067_200L; // 2024-01-01T00:00:00Z, a Monday
    private static final long DAY = 86_400L;

    private static long[] days(int... offsets) {
        long[] t = new long[offsets.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = JAN1 + offsets[i] * DAY;
        }
        return t;
    }

    /** Mon..Fri equity; the benchmark has no Wednesday but a Saturday. */
    private static final double[] EQUITY = {1000, 1020, 1050, 1030.2, 999.294};
    private static final double[] BENCH = {100, 101, 101.505, 99.4749, 98};

    @Test
    void anEquityDayWithoutABenchmarkPriceMergesIntoTheNextInterval() {
        Market m = Market.align(days(0, 1, 2, 3, 4), EQUITY, days(0, 1, 3, 4, 5), BENCH);
        // intervals Mon-Tue, Tue-Thu, Thu-Fri: strategy +2%, +1%, -3%; benchmark +1%, +0.5%, -2%
        assertArrayEquals(new double[] {0.02, 0.01, -0.03}, m.strategy(), EPS);
        assertArrayEquals(new double[] {0.01, 0.005, -0.02}, m.benchmark(), EPS);
        assertEquals(4, m.matchedCount());
        assertArrayEquals(days(2), m.unmatched());
        // in units of 1/6000: strategy deviations 120, 60, -180; benchmark 70, 40, -110
        // cov = 8400 + 2400 + 19800 = 30600, var(b) = 4900 + 1600 + 12100 = 18600, var(s) = 50400
        assertEquals(30600.0 / 18600, m.beta(), 1e-9);
        assertEquals(30600 / Math.sqrt(50400.0 * 18600), m.correlation(), 1e-9);
    }

    @Test
    void dailySeriesStampedAtDifferentHoursAreMatchedByDate() {
        long[] closes = days(0, 1, 2, 3, 4);
        for (int i = 0; i < closes.length; i++) {
            closes[i] += 16 * 3600; // the strategy's curve at 16:00 UTC, the benchmark on dates
        }
        Market m = Market.align(closes, EQUITY, days(0, 1, 3, 4, 5), BENCH);
        assertTrue(m.byDate());
        assertEquals(30600.0 / 18600, m.beta(), 1e-9);
    }

    @Test
    void intradaySeriesAreMatchedOnTheExactTime() {
        long[] hours = {JAN1, JAN1 + 3600, JAN1 + 7200, JAN1 + 10800, JAN1 + 14400};
        long[] bench = {JAN1, JAN1 + 3600, JAN1 + 1800, JAN1 + 10800, JAN1 + 14400}; // no 02:00, a 00:30 instead
        Market m = Market.align(hours, EQUITY, bench, BENCH);
        assertFalse(m.byDate());
        assertArrayEquals(new long[] {JAN1 + 7200}, m.unmatched());
        assertEquals(3, m.intervals());
    }

    private static Fixture withBenchmark(Fixture f, long[] time, double[] price) {
        ArrayNode b = f.doc.putArray("benchmark");
        for (int i = 0; i < time.length; i++) {
            b.addObject().put("time", java.time.Instant.ofEpochSecond(time[i]).toString()).put("price", price[i]);
        }
        return f;
    }

    @Test
    void aBenchmarkFromAnotherPeriodIsRefused() {
        Fixture f = new Fixture("s", "equity", false, new double[] {0.01, 0.01, 0.01, 0.01});
        withBenchmark(f, new long[] {JAN1 - 400 * DAY, JAN1 - 399 * DAY}, new double[] {1, 2});
        assertEquals("test: /benchmark: the benchmark covers 2022-11-27 .. 2022-11-28, the equity curve of \"s\" "
                + "covers 2024-01-01 .. 2024-01-05: the periods do not overlap",
                assertThrows(BacktestFormatException.class, f::backtest).getMessage());
    }

    @Test
    void aBenchmarkWhoseTimesNeverLineUpIsRefused() {
        Backtest bt = new Fixture("s", "equity", false, new double[] {0.01, 0.01, 0.01, 0.01}).backtest();
        // hourly curve at :00, hourly benchmark at :30: both intraday, so matched on exact times, and none agree
        long[] curve = {JAN1, JAN1 + 3600, JAN1 + 7200, JAN1 + 10800, JAN1 + 14400};
        Backtest hourly = new Backtest("h", "t", bt.assetClass(), JAN1, JAN1 + 14400, bt.statedMetrics(), bt.trades(),
                curve, EQUITY, null, null, null, 1, 1, 1, Double.NaN, false, bt.origin());
        long[] bench = {JAN1 + 1800, JAN1 + 5400, JAN1 + 9000, JAN1 + 12600};
        String m = assertThrows(BacktestFormatException.class, () -> hourly.withBenchmark(
                new Backtest.Series("bench.csv", bench, new double[] {1, 2, 3, 4}, null))).getMessage();
        assertEquals("bench.csv: the benchmark (2024-01-01T00:30:00Z .. 2024-01-01T03:30:00Z) and the equity curve of "
                + "\"h\" (2024-01-01 .. 2024-01-01T04:00:00Z) share 0 times with a positive price, 4 needed "
                + "(3 intervals); benchmark times look like 2024-01-01T00:30:00Z, equity times like 2024-01-01", m);
    }

    // ---------------------------------------------------------------- regimes

    // benchmark and strategy returns of 10 intervals, worked by hand with a 2-interval window (see below)
    private static final double[] B = {0.01, 0.01, 0.01, 0.03, -0.01, -0.02, -0.02, -0.06, 0.02, 0.02};
    private static final double[] S = {0.00, 0.01, 0.01, 0.02, 0.01, 0.005, -0.005, -0.04, -0.03, 0.01};

    private static long[] handTimes() {
        long[] t = new long[B.length + 1];
        for (int i = 0; i < t.length; i++) {
            t[i] = JAN1 + i * DAY;
        }
        return t;
    }

    private static double[] compound(double start, double[] r) {
        double[] x = new double[r.length + 1];
        x[0] = start;
        for (int i = 1; i < x.length; i++) {
            x[i] = x[i - 1] * (1 + r[i - 1]);
        }
        return x;
    }

    /** The hand-worked table with a 2-day window. */
    private static List<Report.Regime> handWorked() {
        long[] t = handTimes();
        double[] p = compound(100, B);
        return MarketRegimes.of(Market.align(t, compound(1000, S), t, p), t, p, 2);
    }

    @Test
    void regimesComeFromTheTrailingTrendAndVolatilityAgainstTheirMedian() {
        // window 2: trend = log(1+b[k-1]) + log(1+b[k]); vol = |b[k] - b[k-1]| / sqrt(2)
        // k: 1 (.01,.01) up, 0 | 2 up, 0 | 3 (.01,.03) up, .0141 | 4 (.03,-.01) up (+.0195), .0283
        //    5 (-.01,-.02) down, .0071 | 6 down, 0 | 7 (-.02,-.06) down, .0283 | 8 (-.06,.02) down, .0566 | 9 up, 0
        // sorted vols 0,0,0,0,.0071,.0141,.0283,.0283,.0566: median .0071; high is strictly above it
        // so bull / low: k 1, 2, 9; bull / high: 3, 4; bear / low: 5, 6; bear / high: 7, 8
        List<Report.Regime> g = handWorked();
        assertEquals(List.of(3, 2, 2, 2), g.subList(0, 4).stream().map(Report.Regime::periods).toList());
    }

    @Test
    void eachRegimeGetsItsShareOfTimeReturnsPerTradingDayAndInAllAndShareOfLosses() {
        List<Report.Regime> g = handWorked();
        Report.Regime bullLow = g.get(0);
        assertEquals("bull / low vol", bullLow.name());
        assertEquals(MarketRegimes.TREND_VOL, bullLow.group());
        assertEquals(3.0 / 9, bullLow.share(), EPS);
        assertEquals(3, bullLow.days());
        // k = 1, 2, 9: the strategy makes 1% on each of its 3 days; the benchmark 1%, 1% and 2%
        assertEquals(0.01, bullLow.strategyDaily(), EPS);
        assertEquals(1.01 * 1.01 * 1.01 - 1, bullLow.strategyTotal(), EPS);
        assertEquals(Math.cbrt(1.01 * 1.01 * 1.02) - 1, bullLow.benchmarkDaily(), EPS);
        assertEquals(1.01 * 1.01 * 1.02 - 1, bullLow.benchmarkTotal(), EPS);
        assertEquals(0, bullLow.shareOfLosses(), EPS);
        Report.Regime bearLow = g.get(2);
        assertEquals(1.005 * 0.995 - 1, bearLow.strategyTotal(), EPS);
        assertEquals(Math.sqrt(1.005 * 0.995) - 1, bearLow.strategyDaily(), EPS);
        assertEquals(0.005 / 0.075, bearLow.shareOfLosses(), EPS); // losses: .005 here, .04 + .03 in bear / high
        Report.Regime bearHigh = g.get(3);
        assertEquals(2.0 / 9, bearHigh.share(), EPS);
        assertEquals(0.96 * 0.97 - 1, bearHigh.strategyTotal(), EPS);
        assertEquals(Math.sqrt(0.96 * 0.97) - 1, bearHigh.strategyDaily(), EPS);
        assertEquals(0.94 * 1.02 - 1, bearHigh.benchmarkTotal(), EPS); // k = 7, 8
        assertEquals(-0.035, bearHigh.meanReturn(), EPS);
        assertEquals(0.07 / 0.075, bearHigh.shareOfLosses(), EPS);
        // losses per interval: 0.07 / 2 here against 0.005 / 7 in the other 7 intervals
        assertEquals((0.07 / 2) / (0.005 / 7), bearHigh.lossIntensity(), 1e-6);
        assertFalse(bearHigh.flagged(), "2 trading days: too thin to call out");
    }

    @Test
    void adxIsAHundredInAStraightTrendAndLowWhenPricesGoNowhere() {
        // close-only bars: a straight rise has +DM = TR every day and no -DM, so +DI = 100, -DI = 0, DX = ADX = 100
        int n = 60;
        double[] up = new double[n];
        double[] flat = new double[n];
        for (int i = 0; i < n; i++) {
            up[i] = 100 + i;
            flat[i] = 100 + (i % 2); // up one, down one: +DM and -DM balance, DX near 0
        }
        double[] adx = MarketRegimes.adx(up, up, up, 14);
        assertTrue(Double.isNaN(adx[26]), "ADX needs 2 x 14 bars");
        assertEquals(100, adx[27], EPS);
        assertEquals(100, adx[n - 1], EPS);
        double[] ranging = MarketRegimes.adx(flat, flat, flat, 14);
        assertTrue(ranging[n - 1] < MarketRegimes.RANGING, "ADX " + ranging[n - 1]);
    }

    @Test
    void aShortVolatilityStrategyIsCalledOutInTurbulentBearMarkets() {
        // 3 cycles of 90 calm days (benchmark +0.5% / -0.1%) and 30 turbulent ones (-3.5% / +2.5%); the strategy
        // earns 0.1% a day when calm and loses 2% / makes 0.5% when turbulent
        double[] b = new double[360];
        double[] s = new double[360];
        double[] even = new double[360];
        for (int i = 0; i < 360; i++) {
            boolean turbulent = i % 120 >= 90;
            b[i] = turbulent ? (i % 2 == 0 ? -0.035 : 0.025) : (i % 2 == 0 ? 0.005 : -0.001);
            s[i] = turbulent ? (i % 2 == 0 ? -0.02 : 0.005) : 0.001;
            even[i] = i % 4 == 3 ? -0.0025 : 0.001; // losses spread evenly over time; a believable Sharpe
        }
        Report shortVol = analyzeAgainst(s, b);
        Report.Finding f = finding(shortVol, "regime_losses");
        assertTrue(f.detail().contains("bear / high vol (trend / volatility): "), f.detail());
        assertTrue(flagged(shortVol).contains("bear / high vol"), flagged(shortVol).toString());
        assertTrue(shortVol.recommendations().stream().anyMatch(r -> r.title().equals("Cut exposure in "
                + shortVol.problem().name())));

        Report steady = analyzeAgainst(even, b);
        assertFalse(has(steady, "regime_losses"), steady.findings().toString());
        assertNull(steady.problem());
        assertTrue(steady.strengths().stream().anyMatch(x -> x.startsWith("Makes money in every market regime")),
                steady.strengths().toString());
    }

    private static List<String> flagged(Report r) {
        return r.regimes().stream().filter(Report.Regime::flagged).map(Report.Regime::name).toList();
    }

    @Test
    void aRegimeThatHoldsTheLossesIsFlaggedThoughAnotherHasTheWorstMeanReturn() {
        // 2x long a market of 4 cycles: 40 calm rising days, 20 calm falling days (-0.3% a day) and 20 turbulent
        // falling days (-4% / +3.5%). The calm fall has the worst mean return (-0.6% a day for the strategy) but
        // small losses; the turbulent fall loses less on average (-0.5%) yet holds most of the losses (8% days).
        double[] b = new double[320];
        double[] s = new double[320];
        for (int i = 0; i < b.length; i++) {
            int d = i % 80;
            b[i] = d < 40 ? (i % 2 == 0 ? 0.005 : 0.003) : d < 60 ? (i % 2 == 0 ? -0.0031 : -0.0029)
                    : (i % 2 == 0 ? -0.04 : 0.035);
            s[i] = 2 * b[i];
        }
        Report r = analyzeAgainst(s, b);
        Report.Regime bearLow = r.regimes().get(2);
        Report.Regime bearHigh = r.regimes().get(3);
        assertTrue(bearLow.meanReturn() < bearHigh.meanReturn(), "planted: the calm fall has the worst mean: "
                + bearLow + " vs " + bearHigh);
        assertFalse(bearLow.flagged(), bearLow.toString());
        assertTrue(bearHigh.flagged(), bearHigh.toString());
        Report.Finding f = finding(r, "regime_losses");
        assertTrue(f.detail().contains("bear / high vol (trend / volatility): " + String.format(
                java.util.Locale.ROOT, "%.1f%% of the time but %.1f%% of the losses", 100 * bearHigh.share(),
                100 * bearHigh.shareOfLosses())), f.detail());
        assertTrue(f.detail().contains("the strategy " + Formats.dailyPct(bearHigh.strategyDaily()) + " a trading day "
                + "there, " + Formats.pct(bearHigh.strategyTotal()) + " in all"), f.detail());
        assertTrue(f.detail().contains("at least 10 trading days") && f.detail().contains("1.5x as fast"),
                "the threshold and the minimum are stated: " + f.detail());
        assertTrue(r.checklist().stream().anyMatch(c -> c.item().equals("Tested across market regimes")
                && c.status().equals("warn")));
    }

    @Test
    void hourlyRegimesAreClassifiedOnTradingDaysNotHours() {
        // 100 days of hours: the market rises 0.02% an hour for 50 days, then falls as fast, with a little noise
        int hours = 100 * 24;
        double[] b = new double[hours];
        java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < hours; i++) {
            b[i] = (i < hours / 2 ? 0.0002 : -0.0002) + 0.0005 * rnd.nextGaussian();
        }
        long[] t = new long[hours + 1];
        for (int i = 0; i < t.length; i++) {
            t[i] = JAN1 + 3600L * i;
        }
        double[] p = compound(100, b);
        double[] s = new double[hours];
        for (int i = 0; i < hours; i++) {
            s[i] = 2 * b[i];
        }
        Market m = Market.align(t, compound(1000, s), t, p);
        List<Report.Regime> g = MarketRegimes.of(m, t, p, 20);
        // a 20-day window turns bearish 10 days after the top (day 60); 20 hours would turn within a day of it
        int bull = g.get(0).periods() + g.get(1).periods();
        int bear = g.get(2).periods() + g.get(3).periods();
        assertEquals(80 * 24 + 1, bull + bear, "days 20 to 99 are classified, every hour of them, and day 100's 00:00");
        assertTrue(Math.abs(bull - 40 * 24) <= 48, "bull from day 20 to about day 60: " + bull + " hours");
        for (Report.Regime x : g) {
            // per trading day, not per hour nor compounded to a year: 2x a 0.02%-an-hour drift is about 1% a day
            assertTrue(x.periods() == 0 || Math.abs(x.strategyDaily()) < 0.02, x.toString());
            assertTrue(x.periods() == 0 || Math.abs(x.days() - x.periods() / 24.0) <= 1, x.toString());
        }
        assertEquals(List.of(), MarketRegimes.of(m, t, p, 60), "100 days cannot warm up and fill 2 x 60");
    }

    @Test
    void aRegimeReadsTheSamePerTradingDayOnHourlyAndOnDailyBars() {
        // 80 days; every hour of a day moves by the 24th root of that day's move, so the 23:00 closes are the same
        // on both clocks. The trend and volatility regimes come from those closes alone (ADX also reads the hourly
        // highs and lows), so their figures must agree: 24 times the intervals, the same days and returns.
        int days = 80;
        java.util.Random rnd = new java.util.Random(7);
        double[] dailyB = new double[days];
        double[] dailyS = new double[days];
        double[] hourlyB = new double[24 * days];
        double[] hourlyS = new double[24 * days];
        for (int d = 0; d < days; d++) {
            dailyB[d] = 0.03 * rnd.nextGaussian() * (d % 30 < 10 ? 2 : 1);
            dailyS[d] = 2 * dailyB[d];
            for (int h = 0; h < 24; h++) {
                hourlyB[24 * d + h] = Math.pow(1 + dailyB[d], 1.0 / 24) - 1;
                hourlyS[24 * d + h] = Math.pow(1 + dailyS[d], 1.0 / 24) - 1;
            }
        }
        long close = JAN1 + 23 * 3600L;
        long[] dailyT = new long[days + 1];
        long[] hourlyT = new long[24 * days + 1];
        for (int i = 0; i < hourlyT.length; i++) {
            hourlyT[i] = close + 3600L * i;
        }
        for (int d = 0; d <= days; d++) {
            dailyT[d] = close + d * DAY;
        }
        double[] dp = compound(100, dailyB);
        double[] hp = compound(100, hourlyB);
        List<Report.Regime> daily = MarketRegimes.of(Market.align(dailyT, compound(1000, dailyS), dailyT, dp),
                dailyT, dp, 20);
        List<Report.Regime> hourly = MarketRegimes.of(Market.align(hourlyT, compound(1000, hourlyS), hourlyT, hp),
                hourlyT, hp, 20);
        for (int x = 0; x < 7; x++) { // trend / volatility and volatility percentile
            Report.Regime d = daily.get(x);
            Report.Regime h = hourly.get(x);
            assertEquals(24 * d.periods(), h.periods(), h.name());
            assertEquals(d.days(), h.days(), h.name());
            assertEquals(d.periods(), d.days(), d.name());
            assertEquals(d.strategyDaily(), h.strategyDaily(), 1e-12, h.name());
            assertEquals(d.strategyTotal(), h.strategyTotal(), 1e-12, h.name());
            assertEquals(d.benchmarkDaily(), h.benchmarkDaily(), 1e-12, h.name());
        }
    }

    @Test
    void aWeeklyIntervalSpansTheTradingDaysOfItsWeek() {
        // a weekday benchmark for 40 weeks and a curve marked each Friday that makes 1% a week: 5 trading days a week
        int weeks = 40;
        List<Long> bt = new java.util.ArrayList<>();
        for (int d = 0; d < 7 * weeks; d++) {
            if (d % 7 < 5) {
                bt.add(JAN1 + d * DAY); // Monday to Friday
            }
        }
        long[] benchT = bt.stream().mapToLong(Long::longValue).toArray();
        double[] benchP = new double[benchT.length];
        for (int i = 0; i < benchP.length; i++) {
            benchP[i] = 100 * Math.exp(0.01 * Math.sin(i / 3.0) + 0.001 * i);
        }
        long[] fridays = new long[weeks];
        double[] equity = new double[weeks];
        for (int w = 0; w < weeks; w++) {
            fridays[w] = JAN1 + (7L * w + 4) * DAY;
            equity[w] = 1000 * Math.pow(1.01, w);
        }
        List<Report.Regime> g = MarketRegimes.of(Market.align(fridays, equity, benchT, benchP), benchT, benchP, 20);
        int periods = 0;
        for (Report.Regime x : g.subList(0, 4)) {
            periods += x.periods();
            assertEquals(5 * x.periods(), x.days(), x.toString());
            if (x.periods() > 0) {
                assertEquals(Math.pow(1.01, 1.0 / 5) - 1, x.strategyDaily(), EPS, x.toString());
                assertEquals(Math.pow(1.01, x.periods()) - 1, x.strategyTotal(), EPS, x.toString());
            }
        }
        assertTrue(periods > 20, "weeks 5 to 40 are classified: " + periods);
    }

    private static Report analyzeAgainst(double[] strategy, double[] benchmark) {
        Fixture f = new Fixture("regimes", "crypto", true, strategy).trades(40);
        long[] t = new long[f.days.size()];
        double[] p = new double[t.length];
        p[0] = 100;
        for (int i = 0; i < t.length; i++) {
            t[i] = f.days.get(i).toEpochDay() * DAY;
            p[i] = i == 0 ? 100 : p[i - 1] * (1 + benchmark[i - 1]);
        }
        return withBenchmark(f, t, p).analyze();
    }
}
