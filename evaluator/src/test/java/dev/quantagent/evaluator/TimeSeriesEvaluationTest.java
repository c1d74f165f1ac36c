package dev.quantagent.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The time-series evaluation of one asset, recomputed plainly: a random walk of 400 daily closes and a signal that
 * knows a third of the next return, with a few gaps.
 */
class TimeSeriesEvaluationTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);
    private static final int DATES = 400;

    private static Panel oneAsset() {
        Random r = new Random(3);
        long[] days = new long[DATES];
        double[] close = new double[DATES];
        double[] signal = new double[DATES];
        double p = 100;
        double next = r.nextGaussian();
        for (int t = 0; t < DATES; t++) {
            days[t] = 1_577_836_800L + 86_400L * t;
            close[t] = p;
            // the close of t+1 moves with `next`, drawn at t: known at t, it predicts the return from t+1 to t+2
            // only through its persistence, so make it persistent
            p *= Math.exp(0.01 * (0.3 * next + r.nextGaussian()));
            signal[t] = t % 37 == 5 ? Double.NaN : next + 0.5 * r.nextGaussian();
            next = 0.9 * next + 0.44 * r.nextGaussian();
        }
        return Panel.builder(days, new String[] {"BTCUSDT"}).field("close", close).field("signal", signal).build();
    }

    private static final Panel PANEL = oneAsset();
    private static final Evaluation EV = Evaluation.prepare(PANEL, EvaluationConfig.DEFAULT);
    private static final double[] VALUES = SANDBOX.evaluator(PANEL).evaluate(SANDBOX.parse("signal")).clone();

    private static TimeSeriesEvaluation.SplitResult train() {
        return TimeSeriesEvaluation.evaluate(EV, "signal", "signal", "h", VALUES).splits().get(Split.TRAIN);
    }

    /** Pairs of factor and label over train's dates where both exist. */
    private static List<double[]> pairs() {
        double[] labels = Labels.forwardReturns(PANEL, 1, 1);
        List<double[]> out = new ArrayList<>();
        for (int t = EV.splits().from(Split.TRAIN); t < EV.splits().to(Split.TRAIN); t++) {
            if (!Double.isNaN(VALUES[t]) && !Double.isNaN(labels[t])) {
                out.add(new double[] {VALUES[t], labels[t]});
            }
        }
        return out;
    }

    private static double pearson(List<double[]> xy) {
        double mx = 0;
        double my = 0;
        for (double[] p : xy) {
            mx += p[0] / xy.size();
            my += p[1] / xy.size();
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (double[] p : xy) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
            syy += (p[1] - my) * (p[1] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    /** Average ranks, counted the slow way. */
    private static List<double[]> ranked(List<double[]> xy) {
        List<double[]> out = new ArrayList<>();
        for (double[] p : xy) {
            double[] r = new double[2];
            for (int k = 0; k < 2; k++) {
                int less = 0;
                int equal = 0;
                for (double[] q : xy) {
                    less += q[k] < p[k] ? 1 : 0;
                    equal += q[k] == p[k] ? 1 : 0;
                }
                r[k] = less + (equal + 1) / 2.0;
            }
            out.add(r);
        }
        return out;
    }

    @Test
    void oneAssetIsAThinCrossSection() {
        assertTrue(TimeSeriesEvaluation.thin(EV));
        assertEquals(1, TimeSeriesEvaluation.medianCrossSection(EV));
        assertFalse(TimeSeriesEvaluation.thin(Evaluation.prepare(EvaluationTest.market(100, 40, 1),
                EvaluationConfig.DEFAULT)));
    }

    @Test
    void theIcInTimeIsTheCorrelationOfTheFactorWithTheAssetsOwnForwardReturn() {
        List<double[]> xy = pairs();
        TimeSeriesEvaluation.SplitResult s = train();
        assertEquals(xy.size(), s.dates());
        assertEquals(pearson(xy), s.ic(), 1e-12);
        assertEquals(pearson(ranked(xy)), s.rankIc(), 1e-12);
        // horizon 1: the t of the mean of the standardised products, n / (n - 1) corrected
        assertTrue(s.icTstat() > 2, "a signal that knows part of the return: " + s.icTstat());
        assertEquals(1, s.byAsset().size());
        assertEquals("BTCUSDT", s.byAsset().get(0).symbol());
    }

    @Test
    void theFirstRollingIcIsTheCorrelationOverTheFirstWindow() {
        TimeSeriesEvaluation.SplitResult s = train();
        int w = s.rollingWindow();
        assertEquals(91, w, "a quarter of 365 days: the data has a bar every day");
        double[] labels = Labels.forwardReturns(PANEL, 1, 1);
        List<double[]> first = new ArrayList<>();
        for (int t = 0; t < w; t++) {
            if (!Double.isNaN(VALUES[t]) && !Double.isNaN(labels[t])) {
                first.add(new double[] {VALUES[t], labels[t]});
            }
        }
        assertEquals(pearson(first), s.rollingIc()[0], 1e-9);
        assertEquals(PANEL.date(w - 1), s.rollingTime()[0]);
    }

    @Test
    void theSignPositionEarnsTheNextBarsReturnLessCostsOnEveryChange() {
        double[] close = PANEL.column("close");
        double cost = 10 / 10_000.0;
        double growth = 1;
        double gross = 1;
        double previous = 0;
        for (int t = EV.splits().from(Split.TRAIN); t < EV.splits().to(Split.TRAIN); t++) {
            double position = Double.isNaN(VALUES[t]) ? 0 : Math.signum(VALUES[t]);
            double r = close[t + 2] / close[t + 1] - 1; // delay 1: traded at the next close, held one bar
            growth *= 1 + position * r - cost * Math.abs(position - previous);
            gross *= 1 + position * r;
            previous = position;
        }
        Book sign = train().sign();
        assertEquals(growth - 1, sign.net().totalReturn(), 1e-12);
        assertEquals(gross - 1, sign.gross().totalReturn(), 1e-12);
        assertTrue(sign.excessNet() != null, "set against holding the asset");
    }

    @Test
    void theZScorePositionIsTheFactorAgainstItsOwnRecentHistoryHalvedAndClipped() {
        double[] close = PANEL.column("close");
        double growth = 1;
        double previous = 0;
        int w = TimeSeriesEvaluation.Z_WINDOW;
        for (int t = EV.splits().from(Split.TRAIN); t < EV.splits().to(Split.TRAIN); t++) {
            double position = 0;
            if (t + 1 >= w) {
                double mean = 0;
                boolean missing = false;
                for (int i = t - w + 1; i <= t; i++) {
                    missing |= Double.isNaN(VALUES[i]);
                    mean += VALUES[i] / w;
                }
                if (!missing) {
                    double ss = 0;
                    for (int i = t - w + 1; i <= t; i++) {
                        ss += (VALUES[i] - mean) * (VALUES[i] - mean);
                    }
                    double z = (VALUES[t] - mean) / Math.sqrt(ss / (w - 1));
                    position = Math.max(-1, Math.min(1, z / 2));
                }
            }
            double r = close[t + 2] / close[t + 1] - 1;
            growth *= 1 + position * r - 0.001 * Math.abs(position - previous);
            previous = position;
        }
        assertEquals(growth - 1, train().zscore().net().totalReturn(), 1e-12);
    }

    @Test
    void testIsSealedWithoutTheHandle() {
        assertFalse(TimeSeriesEvaluation.evaluate(EV, "signal", "signal", "h", VALUES).splits()
                .containsKey(Split.TEST));
        assertThrows(IllegalArgumentException.class, () -> TimeSeriesEvaluation.evaluateWithTest(EV, "signal",
                "signal", "h", VALUES, null));
        assertTrue(TimeSeriesEvaluation.evaluateWithTest(EV, "signal", "signal", "h", VALUES, EV.unsealTest())
                .splits().containsKey(Split.TEST));
    }
}
