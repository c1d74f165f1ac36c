package dev.quantagent.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class EvaluationTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    /** Random walks on business days, with gaps, a late starter, and a signal that predicts the next return. */
    static Panel market(int dates, int assets, long seed) {
        Random r = new Random(seed);
        long[] ds = new long[dates];
        long day = 1_577_836_800L; // 2020-01-01, a Wednesday
        for (int t = 0; t < dates; t++) {
            while (java.time.Instant.ofEpochSecond(day).atOffset(java.time.ZoneOffset.UTC).getDayOfWeek()
                    .getValue() > 5) {
                day += 86_400;
            }
            ds[t] = day;
            day += 86_400;
        }
        String[] syms = new String[assets];
        double[] close = new double[dates * assets];
        double[] signal = new double[dates * assets];
        double[] coarse = new double[dates * assets];
        for (int a = 0; a < assets; a++) {
            syms[a] = "A" + a;
            double p = 50 + a;
            double next = r.nextGaussian();
            for (int t = 0; t < dates; t++) {
                int i = a * dates + t;
                double noise = r.nextGaussian();
                p *= Math.exp(0.01 * (0.3 * next + noise));
                next = r.nextGaussian();
                boolean missing = (a == 3 && t < dates / 4) || r.nextDouble() < 0.02;
                close[i] = missing ? Double.NaN : p;
                signal[i] = missing || r.nextDouble() < 0.03 ? Double.NaN : next + 0.5 * r.nextGaussian();
                coarse[i] = Double.isNaN(signal[i]) ? Double.NaN : Math.round(signal[i]); // many ties
            }
        }
        return Panel.builder(ds, syms).field("close", close).field("signal", signal).field("coarse", coarse).build();
    }

    /** The market with its closes rounded to multiples of {@code tick} dollars, so that many returns tie. */
    private static Panel onATickGrid(Panel p, double tick) {
        double[] close = p.column("close").clone();
        for (int i = 0; i < close.length; i++) {
            close[i] = Math.rint(close[i] / tick) * tick;
        }
        String[] symbols = new String[p.assetCount()];
        for (int a = 0; a < symbols.length; a++) {
            symbols[a] = p.symbol(a);
        }
        long[] dates = new long[p.dateCount()];
        for (int t = 0; t < dates.length; t++) {
            dates[t] = p.date(t);
        }
        return Panel.builder(dates, symbols).field("close", close).field("signal", p.column("signal")).build();
    }

    static double[][] byDate(double[] assetMajor, int dates, int assets) {
        double[][] out = new double[dates][assets];
        for (int a = 0; a < assets; a++) {
            for (int t = 0; t < dates; t++) {
                out[t][a] = assetMajor[a * dates + t];
            }
        }
        return out;
    }

    private static void assertMatchesReference(String formula, EvaluationConfig config) {
        assertMatchesReference(market(300, 40, 11), formula, config);
    }

    private static void assertMatchesReference(Panel p, String formula, EvaluationConfig config) {
        Evaluation ev = Evaluation.prepare(p, config);
        Factor f = SANDBOX.parse(formula);
        Evaluation.Workspace ws = ev.workspace();
        double[] values = ws.values(f).clone();
        FactorReport report = ev.evaluate(f, ws);
        double[] labels = Labels.forwardReturns(p, config.horizon(), config.delay());
        for (Split s : new Split[] {Split.TRAIN, Split.VALID}) {
            ReferenceStatistics ref = ReferenceStatistics.of(byDate(values, 300, 40), byDate(labels, 300, 40),
                    ev.splits().from(s), ev.splits().to(s), config.quantiles(), config.horizon(), config.costBps());
            SplitStatistics st = report.splits().get(s);
            String what = formula + " " + s;
            assertEquals(ref.ic, st.ic(), 1e-12, what + " ic");
            assertEquals(ref.rankIc, st.rankIc(), 1e-12, what + " rank_ic");
            assertEquals(ref.icir, st.icir(), 1e-10, what + " icir");
            assertEquals(ref.icTstat, st.icTstat(), 1e-9, what + " ic_tstat");
            assertEquals(ref.icTstatNeweyWest, st.icTstatNeweyWest(), 1e-9, what + " ic_tstat_nw");
            assertEquals(ref.rankIcTstatNeweyWest, st.rankIcTstatNeweyWest(), 1e-9, what + " rank_ic_tstat_nw");
            assertEquals(ref.nDates, st.nDates(), what + " n_dates");
            for (int k = 0; k < config.quantiles(); k++) {
                assertEquals(ref.quantileReturns[k], st.quantileReturns()[k], 1e-14, what + " quantile " + k);
            }
            assertEquals(ref.longShort, st.longShort(), 1e-14, what + " long_short");
            assertEquals(ref.turnover, st.turnover(), 1e-12, what + " turnover");
            assertEquals(ref.autocorrelation, st.rankAutocorrelation(), 1e-12, what + " autocorrelation");
            assertEquals(ref.coverage, st.coverage(), 1e-15, what + " coverage");
            double[] net = ref.net.stream().mapToDouble(Double::doubleValue).toArray();
            PortfolioMetrics expected = PortfolioMetrics.of(net, 0, net.length,
                    ev.frequency().periodsPerYear() / config.horizon());
            assertEquals(expected, st.portfolio(), what + " portfolio");
        }
    }

    @Test
    void statisticsMatchAnIndependentComputation() {
        assertMatchesReference("signal", EvaluationConfig.DEFAULT);
    }

    @Test
    void statisticsMatchWithHeavyTiesInTheFactor() {
        assertMatchesReference("coarse", EvaluationConfig.DEFAULT);
    }

    @Test
    void statisticsMatchWithTiedLabelsWhereSomeLabelledAssetsHaveNoFactorValue() {
        // closes on a whole-dollar grid: many returns of exactly 0 and other equal returns; the signal is missing for
        // about 3% of the labelled cells, so the label ranks are taken over a subset of the assets on most dates
        assertMatchesReference(onATickGrid(market(300, 40, 11), 1), "signal", EvaluationConfig.DEFAULT);
    }

    @Test
    void labelRanksOverASubsetHaveTheBitsOfRankingThatSubsetAfresh() {
        // whole-dollar closes: runs of tied returns (dozens at exactly 0), pairs and singletons, on every date
        Panel ticks = onATickGrid(market(300, 40, 11), 10);
        Evaluation ev = Evaluation.prepare(ticks, EvaluationConfig.DEFAULT);
        double[] labels = Labels.forwardReturns(ticks, 1, 1);
        int assets = ticks.assetCount();
        int dates = ticks.dateCount();
        Random r = new Random(3);
        dev.quantagent.sandbox.CrossSectionalRanks ranks = new dev.quantagent.sandbox.CrossSectionalRanks(assets);
        int compared = 0;
        for (int t = 0; t < dates; t++) {
            double[] present = new double[assets];
            double[] expected = new double[assets];
            int valid = 0;
            for (int a = 0; a < assets; a++) {
                double y = labels[a * dates + t];
                boolean kept = y == y && r.nextDouble() < 0.7;
                present[a] = kept ? 1 : Double.NaN;
                expected[a] = kept ? y : Double.NaN;
                valid += kept ? 1 : 0;
            }
            if (valid < 2) {
                continue;
            }
            ranks.rankInPlace(expected, 0, assets);
            double[] got = new double[assets];
            ev.labelRanksWhere(t, present, valid, got);
            for (int a = 0; a < assets; a++) {
                assertEquals(Double.doubleToRawLongBits(expected[a]), Double.doubleToRawLongBits(got[a]),
                        "date " + t + ", asset " + a + ": " + expected[a] + " against " + got[a]);
            }
            compared++;
        }
        assertTrue(compared > 250, "dates compared: " + compared);
    }

    @Test
    void statisticsMatchWithALongerHorizonAndNoDelay() {
        assertMatchesReference("-signal", EvaluationConfig.DEFAULT.withHorizon(3).withDelay(0).withQuantiles(4));
    }

    @Test
    void aSignalIsWorthlessOnceItIsOnePeriodLate() {
        Panel p = market(400, 60, 5);
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT); // trade at the next close
        double late = ev.evaluate(SANDBOX.parse("signal"), ev.workspace()).splits().get(Split.VALID).rankIc();
        assertTrue(Math.abs(late) < 0.05, "rank IC one period late: " + late);
    }

    @Test
    void aPredictiveSignalHasAPositiveRankIcAndAnUninformativeOneDoesNot() {
        Panel p = market(400, 60, 5);
        // the market's signal at t drives the return from close t to close t + 1: a delay-0 label
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT.withDelay(0));
        Evaluation.Workspace ws = ev.workspace();
        double good = ev.evaluate(SANDBOX.parse("signal"), ws).splits().get(Split.VALID).rankIc();
        double none = ev.evaluate(SANDBOX.parse("rank(close)"), ws).splits().get(Split.VALID).rankIc();
        assertTrue(good > 0.15, "rank IC of the planted signal: " + good);
        assertTrue(Math.abs(none) < 0.05, "rank IC of price level: " + none);
    }

    @Test
    void thePerfectFactorHasRankIcOneAndTheInverseMinusOne() {
        Panel p = market(120, 30, 9);
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT.withDelay(0));
        Evaluation.Workspace ws = ev.workspace();
        // with delay 0 and horizon 1 the label is delay(close, -1) / close - 1; the formula language cannot look
        // ahead, so feed the label itself as values
        double[] label = Labels.forwardReturns(p, 1, 0);
        Factor f = SANDBOX.parse("close");
        assertEquals(1.0, ev.evaluate(f, label, ws).splits().get(Split.TRAIN).rankIc(), 1e-12);
        double[] inverse = label.clone();
        for (int i = 0; i < inverse.length; i++) {
            inverse[i] = -inverse[i];
        }
        assertEquals(-1.0, ev.evaluate(f, inverse, ws).splits().get(Split.TRAIN).rankIc(), 1e-12);
    }

    @Test
    void theSearchApiNeverReportsTheTestSplit() {
        Evaluation ev = Evaluation.prepare(market(100, 10, 1), EvaluationConfig.DEFAULT);
        FactorReport r = ev.evaluate(SANDBOX.parse("signal"), ev.workspace());
        assertFalse(r.splits().containsKey(Split.TEST));
        assertEquals(0, ev.testLooks());
    }

    @Test
    void everyLookAtTheTestSplitIsCounted() {
        Evaluation ev = Evaluation.prepare(market(100, 10, 1), EvaluationConfig.DEFAULT);
        Evaluation.SealedTest test = ev.unsealTest();
        assertTrue(test.evaluate(SANDBOX.parse("signal"), ev.workspace()).splits().containsKey(Split.TEST));
        test.evaluate(SANDBOX.parse("-signal"), ev.workspace());
        assertEquals(2, ev.testLooks());
    }

    @Test
    void factorCorrelationOfAFactorWithItselfIsOneAndWithItsNegationMinusOne() {
        Panel p = market(100, 20, 2);
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT);
        Evaluation.Workspace ws = ev.workspace();
        double[] a = ws.values(SANDBOX.parse("signal")).clone();
        double[] b = ws.values(SANDBOX.parse("-signal")).clone();
        assertEquals(1.0, ev.factorCorrelation(a, a, Split.TRAIN, ws), 1e-12);
        assertEquals(-1.0, ev.factorCorrelation(a, b, Split.TRAIN, ws), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ev.factorCorrelation(a, b, Split.TEST, ws));
    }

    @Test
    void correlationFromStoredRanksEqualsCorrelationFromValues() {
        Panel p = market(200, 30, 4);
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT);
        Evaluation.Workspace ws = ev.workspace();
        double[] a = ws.values(SANDBOX.parse("signal")).clone();
        double[] b = ws.values(SANDBOX.parse("ts_mean(coarse, 3)")).clone(); // different coverage and many ties
        double direct = ev.factorCorrelation(a, b, Split.VALID, ws);
        double stored = ev.factorCorrelation(ev.splitRanks(a, Split.VALID, ws), ev.splitRanks(b, Split.VALID, ws), ws);
        assertEquals(direct, stored, 1e-14);
        assertTrue(Math.abs(direct) > 0.1, "a real correlation: " + direct);
    }

    @Test
    void quantileBucketsSteppedWithoutDivisionEqualTheDividedFormula() {
        for (int n = 2; n <= 600; n++) {
            for (int q = 2; q <= 20; q++) {
                int[] table = new int[n];
                Evaluation.bucketOfPosition(table, n, q);
                for (int less = 0; less < n; less++) {
                    int divided = Math.max(1, (less * q + n - 2) / (n - 1)) - 1;
                    assertEquals(divided, table[less], "n=" + n + " q=" + q + " less=" + less);
                }
            }
        }
    }

    @Test
    void evaluationNeedsClosePrices() {
        Panel p = Panel.builder(new long[] {0, 86400}, new String[] {"A"}).field("open", new double[] {1, 2}).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Evaluation.prepare(p, EvaluationConfig.DEFAULT));
        assertTrue(e.getMessage().contains("'close'"));
    }

    /**
     * Four assets growing 0, 1, 2 and 3% a day, and a factor that ranks them right on even dates and upside down on
     * odd ones: rank IC alternates +1 and -1, the 2-quantile book earns +2% and -2% before costs and flips entirely
     * at every rebalance.
     */
    @Test
    void theSeriesOfAnAlternatingFactorAreKnownByHand() {
        int dates = 40;
        long[] ds = new long[dates];
        double[] close = new double[dates * 4];
        double[] signal = new double[dates * 4];
        for (int t = 0; t < dates; t++) {
            ds[t] = 1_609_459_200L + 86_400L * t; // from 2021-01-01, every day
            for (int a = 0; a < 4; a++) {
                close[a * dates + t] = Math.pow(1 + 0.01 * a, t);
                signal[a * dates + t] = t % 2 == 0 ? a : -a;
            }
        }
        Panel p = Panel.builder(ds, new String[] {"A", "B", "C", "D"}).field("close", close).field("signal", signal)
                .build();
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT.withQuantiles(2)); // 10 bps a side
        SplitStatistics train = ev.evaluate(SANDBOX.parse("signal"), ev.workspace()).splits().get(Split.TRAIN);
        SplitStatistics.Series s = train.series();
        // train is dates 0..23 less the purge of 2: 22 dates, the first on 2021-01-01
        assertEquals(22, s.rankIc().length);
        assertEquals(1_609_459_200L, s.icTime()[0]);
        assertEquals(1_609_459_200L + 21 * 86_400L, s.icTime()[21]);
        assertEquals(1.0, s.rankIc()[0], 1e-12);
        assertEquals(-1.0, s.rankIc()[1], 1e-12);
        assertEquals(-1.0, s.ic()[21], 1e-12);
        // costs: 2 units of notional bought at first (0.2%), 4 traded at each flip (0.4%)
        assertEquals(22, s.netReturn().length);
        assertEquals(0.02 - 0.002, s.netReturn()[0], 1e-12);
        assertEquals(-0.02 - 0.004, s.netReturn()[1], 1e-12);
        assertEquals(0.02 - 0.004, s.netReturn()[2], 1e-12);
        assertTrue(Double.isNaN(s.turnover()[0]), "the first book is bought, not turned over");
        assertEquals(1.0, s.turnover()[1], 1e-12);
        assertEquals(s.icTime()[5], s.rebalanceTime()[5]);
        // the means are the statistics
        assertEquals(0.0, train.rankIc(), 1e-12);
        assertEquals(1.0, train.turnover(), 1e-12);
        double growth = 1;
        for (double r : s.netReturn()) {
            growth *= 1 + r;
        }
        assertEquals(growth - 1, train.portfolio().totalReturn(), 1e-12);
    }

    /**
     * The folds are the split's dates cut in three equal consecutive parts, the last delay + horizon dates of the
     * first two left out: their means are those of the reference's rank IC series over the same dates.
     */
    @Test
    void theFoldsAreThreePurgedConsecutivePartsOfTheSplit() {
        Panel p = market(300, 40, 11);
        EvaluationConfig config = EvaluationConfig.DEFAULT.withHorizon(3);
        Evaluation ev = Evaluation.prepare(p, config);
        Evaluation.Workspace ws = ev.workspace();
        double[] values = p.column("signal");
        SplitStatistics train = ev.evaluate("signal", values, ws, Split.TRAIN).splits().get(Split.TRAIN);
        int from = ev.splits().from(Split.TRAIN);
        int to = ev.splits().to(Split.TRAIN);
        double[][] f = byDate(values, 300, 40);
        double[][] y = byDate(Labels.forwardReturns(p, 3, 1), 300, 40);
        int purge = 1 + 3;
        assertEquals(SplitStatistics.FOLDS, train.folds().size());
        for (int k = 0; k < 3; k++) {
            int start = from + (to - from) * k / 3;
            int end = from + (to - from) * (k + 1) / 3 - (k < 2 ? purge : 0);
            ReferenceStatistics ref = ReferenceStatistics.of(f, y, start, end, 5, 3, 10);
            SplitStatistics.Fold fold = train.folds().get(k);
            assertEquals(ref.rankIc, fold.rankIc(), 1e-12, "fold " + k);
            assertEquals(ref.rankIcTstatNeweyWest, fold.rankIcTstatNeweyWest(), 1e-9, "fold " + k);
            assertEquals(ref.nDates, fold.dates(), "fold " + k);
        }
    }

    @Test
    void aWorkspaceInUseByOneThreadIsRefusedToAnother() throws Exception {
        Panel p = market(300, 40, 11);
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT);
        Evaluation.Workspace ws = ev.workspace();
        double[] values = p.column("signal");
        ws.enter(); // this thread is inside it
        try {
            AtomicReference<Throwable> seen = new AtomicReference<>();
            Thread other = new Thread(() -> {
                try {
                    ev.splitRanks(values, Split.TRAIN, ws);
                } catch (Throwable t) {
                    seen.set(t);
                }
            });
            other.start();
            other.join();
            assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
            ev.splitRanks(values, Split.TRAIN, ws); // its own thread may go on
        } finally {
            ws.exit();
        }
        Thread after = new Thread(() -> ev.splitRanks(values, Split.TRAIN, ws));
        after.start();
        after.join(); // free again
    }
}
