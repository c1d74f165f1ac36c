package dev.quantagent.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class TearSheetsTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);
    private static final Panel MARKET = EvaluationTest.market(300, 40, 11);

    /** close[t + delay + h] / close[t + delay] - 1 where every close in between is present, else NaN. */
    private static double[][] forward(Panel p, int delay, int h) {
        double[] close = p.column("close");
        int dates = p.dateCount();
        double[][] y = new double[dates][p.assetCount()];
        for (int t = 0; t < dates; t++) {
            for (int a = 0; a < p.assetCount(); a++) {
                y[t][a] = Double.NaN;
                if (t + delay + h >= dates) {
                    continue;
                }
                boolean all = true;
                for (int k = t + delay; k <= t + delay + h; k++) {
                    all &= !Double.isNaN(close[a * dates + k]);
                }
                if (all) {
                    y[t][a] = close[a * dates + t + delay + h] / close[a * dates + t + delay] - 1;
                }
            }
        }
        return y;
    }

    @Test
    void everyHoldingPeriodMatchesAPlainReferenceOnItsOwnForwardReturns() {
        Evaluation ev = Evaluation.prepare(MARKET, EvaluationConfig.DEFAULT);
        Factor f = SANDBOX.parse("signal");
        Evaluation.Workspace ws = ev.workspace();
        double[] values = ws.values(f).clone();
        FactorReport report = ev.evaluate(f, ws);
        double[][] fx = EvaluationTest.byDate(values, 300, 40);
        for (Split s : new Split[] {Split.TRAIN, Split.VALID}) {
            TearSheet sheet = TearSheets.of(ev, values, s, report);
            int next = s == Split.TRAIN ? ev.splits().validStart() : ev.splits().testStart();
            for (TearSheet.Horizon h : sheet.horizons()) {
                // dates whose h-bar return ends before the next split starts
                int last = Math.min(ev.splits().to(s), next - 1 - h.bars());
                ReferenceStatistics ref = ReferenceStatistics.of(fx, forward(MARKET, 1, h.bars()), ev.splits().from(s),
                        last, 5, h.bars(), 0);
                String what = s + " held " + h.bars();
                assertEquals(ref.nDates, h.dates(), what);
                assertEquals(ref.rankIc, h.rankIc(), 1e-12, what);
                assertEquals(ref.ic, h.ic(), 1e-12, what);
                assertEquals(ref.rankIcTstatNeweyWest, h.rankIcTstat(), 1e-9, what);
                for (int k = 0; k < 5; k++) {
                    double perBar = Math.pow(1 + ref.quantileReturns[k], 1.0 / h.bars()) - 1;
                    assertEquals(perBar, h.meanByQuantile()[k], 1e-12, what + " quantile " + k);
                }
            }
            // the evaluation's own horizon is its statistics'
            assertEquals(report.splits().get(s).rankIc(), sheet.horizons().get(0).rankIc(), 1e-12);
        }
    }

    @Test
    void cumulativeReturnsByQuantileCompoundEachQuantilesReturnAgainstTheMean() {
        // 5 assets and 5 quantiles: each quantile holds one asset, the one with that rank of the signal
        int n = 12;
        long[] days = new long[n];
        double[][] closes = new double[5][n];
        double[] close = new double[5 * n];
        double[] signal = new double[5 * n];
        for (int t = 0; t < n; t++) {
            days[t] = 1_577_836_800L + 86_400L * t;
            for (int a = 0; a < 5; a++) {
                closes[a][t] = 10 * (a + 1) + ((a * 5 + t * 7) % 11) - 5;
                close[a * n + t] = closes[a][t];
                signal[a * n + t] = (a * 7 + t * 3) % 5; // a different order each day
            }
        }
        Panel p = Panel.builder(days, new String[] {"A", "B", "C", "D", "E"}).field("close", close)
                .field("signal", signal).build();
        Evaluation ev = Evaluation.prepare(p, new EvaluationConfig(1, 0, 0, 5, 0.5, 0.25, null, null, null));
        double[] values = SANDBOX.evaluator(p).evaluate(SANDBOX.parse("signal")).clone();
        FactorReport report = ev.evaluate(SANDBOX.parse("signal"), ev.workspace());
        TearSheet sheet = TearSheets.of(ev, values, Split.TRAIN, report);
        double[] growth = {1, 1, 1, 1, 1};
        List<double[]> expected = new ArrayList<>();
        for (int t = ev.splits().from(Split.TRAIN); t < ev.splits().to(Split.TRAIN); t++) {
            double mean = 0;
            double[] r = new double[5];
            for (int a = 0; a < 5; a++) {
                r[a] = closes[a][t + 1] / closes[a][t] - 1; // delay 0: the next bar's return
                mean += r[a] / 5;
            }
            for (int a = 0; a < 5; a++) {
                growth[(int) signal[a * n + t]] *= 1 + r[a] - mean;
            }
            expected.add(growth.clone());
        }
        assertEquals(expected.size(), sheet.cumulative().time().length);
        for (int i = 0; i < expected.size(); i++) {
            for (int k = 0; k < 5; k++) {
                assertEquals(expected.get(i)[k], sheet.cumulative().byQuantile()[k][i], 1e-14, "date " + i + " q" + k);
            }
        }
    }

    @Test
    void theIcDistributionHasScipysMomentsAndANormalQqLine() {
        double[] ic = {0.1, -0.05, 0.2, 0.0, 0.15, -0.1, 0.05, 0.3};
        TearSheet.IcDistribution d = TearSheets.icDistribution(ic);
        // scipy.stats.skew(x) and scipy.stats.kurtosis(x), both biased (their defaults)
        assertEquals(0.2371387141524122, d.skew(), 1e-14);
        assertEquals(-0.976915974145891, d.kurtosis(), 1e-14);
        assertEquals(0.08125, d.mean(), 1e-15);
        assertEquals(0.1334634781503914, d.std(), 1e-15);
        assertEquals(8, d.observed().length);
        assertEquals(-0.1, d.observed()[0]);
        // the median position of 8 points is between the 4th and 5th: symmetric theoretical quantiles around the mean
        assertEquals(d.mean(), (d.theoretical()[3] + d.theoretical()[4]) / 2, 1e-12);
        assertEquals(8, java.util.Arrays.stream(d.counts()).sum());
    }

    @Test
    void percentilesInterpolateAsNumpy() {
        double[] sorted = {1, 1, 2, 3, 4, 5, 6, 9};
        assertEquals(1.0, TearSheets.percentile(sorted, 0.01), 1e-12); // numpy.percentile(..., 1)
        assertEquals(8.79, TearSheets.percentile(sorted, 0.99), 1e-12);
    }

    @Test
    void aPerBarRateCompoundsToTheHoldingPeriodsReturn() {
        assertEquals(0.01, TearSheets.perBar(Math.pow(1.01, 5) - 1, 5), 1e-15);
        assertEquals(-0.02, TearSheets.perBar(-0.02, 1));
        assertTrue(Double.isNaN(TearSheets.perBar(-1.5, 5)));
    }

    @Test
    void theRankIcByGroupIsTheRankIcOverTheGroupsAssetsAlone() {
        String[] symbols = new String[40];
        String[] sector = new String[40];
        for (int a = 0; a < 40; a++) {
            symbols[a] = MARKET.symbol(a);
            sector[a] = a < 25 ? "big" : "small";
        }
        long[] days = new long[300];
        for (int t = 0; t < 300; t++) {
            days[t] = MARKET.date(t);
        }
        Panel p = Panel.builder(days, symbols).field("close", MARKET.column("close"))
                .field("signal", MARKET.column("signal")).grouping("sector", sector).build();
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT);
        double[] values = SANDBOX.evaluator(p).evaluate(SANDBOX.parse("signal")).clone();
        FactorReport report = ev.evaluate(SANDBOX.parse("signal"), ev.workspace());
        TearSheet.GroupBreakdown groups = TearSheets.of(ev, values, Split.TRAIN, report).groups();
        assertEquals("sector", groups.grouping());
        assertEquals(List.of("big", "small"), groups.groups().stream().map(TearSheet.GroupIc::group).toList());
        double[][] f = EvaluationTest.byDate(values, 300, 40);
        double[][] y = EvaluationTest.byDate(Labels.forwardReturns(p, 1, 1), 300, 40);
        for (TearSheet.GroupIc g : groups.groups()) {
            int lo = g.group().equals("big") ? 0 : 25;
            int hi = g.group().equals("big") ? 25 : 40;
            double[][] fg = new double[300][];
            double[][] yg = new double[300][];
            for (int t = 0; t < 300; t++) {
                fg[t] = java.util.Arrays.copyOfRange(f[t], lo, hi);
                yg[t] = java.util.Arrays.copyOfRange(y[t], lo, hi);
            }
            ReferenceStatistics ref = ReferenceStatistics.of(fg, yg, 0, ev.splits().to(Split.TRAIN), 5, 1, 0);
            assertEquals(ref.rankIc, g.rankIc(), 1e-12, g.group());
            assertEquals(ref.nDates, g.dates(), g.group());
        }
    }

    @Test
    void theTestSplitNeedsTheHandleOfItsOneLook() {
        Evaluation ev = Evaluation.prepare(MARKET, EvaluationConfig.DEFAULT);
        double[] values = SANDBOX.evaluator(MARKET).evaluate(SANDBOX.parse("signal")).clone();
        FactorReport report = ev.evaluate(SANDBOX.parse("signal"), ev.workspace());
        assertThrows(IllegalArgumentException.class, () -> TearSheets.of(ev, values, Split.TEST, report));
        Evaluation.SealedTest test = ev.unsealTest();
        FactorReport all = test.evaluate(SANDBOX.parse("signal"), ev.workspace());
        TearSheet sheet = TearSheets.ofTest(ev, values, test, all);
        assertEquals(Split.TEST, sheet.split());
        assertEquals(all.splits().get(Split.TEST).nDates(), java.util.Arrays.stream(sheet.icDistribution().counts())
                .sum());
    }

    private static double[] sortedCopy(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c;
    }
}
