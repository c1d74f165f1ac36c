package dev.quantagent.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class PoolSignalTest {

    private static final int ASSETS = 60;
    private static final int DATES = 400;

    /**
     * A market whose next-bar return loads 0.6 on signal a and 0.3 on signal b (both known a bar ahead, as the
     * default delay trades them), with a pure-noise column beside them.
     */
    private static Panel market() {
        Random r = new Random(17);
        long[] ds = new long[DATES];
        for (int t = 0; t < DATES; t++) {
            ds[t] = 1_577_836_800L + 86_400L * t;
        }
        String[] symbols = new String[ASSETS];
        double[] close = new double[ASSETS * DATES];
        double[] a = new double[ASSETS * DATES];
        double[] b = new double[ASSETS * DATES];
        double[] noise = new double[ASSETS * DATES];
        for (int s = 0; s < ASSETS; s++) {
            symbols[s] = "S" + s;
            double price = 100;
            for (int t = 0; t < DATES; t++) {
                int i = s * DATES + t;
                a[i] = r.nextGaussian();
                b[i] = r.nextGaussian();
                noise[i] = r.nextGaussian();
                // the return from close t+1 to t+2 is what a value known at t earns under the default label
                close[i] = price;
                if (t >= 1) {
                    int known = i - 1;
                    price *= Math.exp(0.01 * (0.6 * a[known] + 0.3 * b[known] + 2 * r.nextGaussian()));
                }
            }
        }
        return Panel.builder(ds, symbols).field("close", close).field("a", a).field("b", b).field("noise", noise)
                .build();
    }

    private static final Panel MARKET = market();

    private static Evaluation evaluation() {
        return Evaluation.prepare(MARKET, EvaluationConfig.DEFAULT, new Sandbox(Limits.DEFAULT));
    }

    private static PoolSignal.Member member(Evaluation ev, String field, double sign) {
        double[] v = MARKET.column(field).clone();
        for (int i = 0; i < v.length; i++) {
            v[i] *= sign;
        }
        double ic = ev.evaluate(field, v, ev.workspace(), Split.TRAIN).splits().get(Split.TRAIN).rankIc();
        return new PoolSignal.Member((sign < 0 ? "-" : "") + field, v, ic);
    }

    @Test
    void theMethodsComparedOnValidAreListedInTheirOwnOrderWhateverTheOrderGiven() {
        Map<PoolSignal.Method, Double> given = new LinkedHashMap<>();
        given.put(PoolSignal.Method.RIDGE, 0.03);
        given.put(PoolSignal.Method.EQUAL, 0.01);
        given.put(PoolSignal.Method.IC, 0.02);
        PoolSignal.Combination c = new PoolSignal.Combination(PoolSignal.Method.RIDGE, new double[0], new double[0],
                1.0, given, 3);
        assertEquals(List.of(PoolSignal.Method.EQUAL, PoolSignal.Method.IC, PoolSignal.Method.RIDGE),
                List.copyOf(c.validRankIcByMethod().keySet()));
    }

    @Test
    void equalWeightsSignEachFactorByItsTrainRankIc() {
        Evaluation ev = evaluation();
        List<PoolSignal.Member> pool = List.of(member(ev, "a", 1), member(ev, "b", -1));
        PoolSignal.Combination c = PoolSignal.combine(ev, pool, PoolSignal.Method.EQUAL, ev.workspace());
        assertArrayEquals(new double[] {1, -1}, c.weights());
        assertEquals(1, c.validLooks());
        // the signed mean of z-scores ranks like a + b: both are predictive
        double combined = ev.evaluate("c", c.values(), ev.workspace(), Split.VALID).splits().get(Split.VALID).rankIc();
        double aAlone = ev.evaluate("a", MARKET.column("a"), ev.workspace(), Split.VALID).splits().get(Split.VALID)
                .rankIc();
        assertTrue(combined > aAlone, combined + " > " + aAlone);
    }

    @Test
    void icWeightsAreTheTrainRankIcs() {
        Evaluation ev = evaluation();
        List<PoolSignal.Member> pool = List.of(member(ev, "a", 1), member(ev, "b", 1));
        PoolSignal.Combination c = PoolSignal.combine(ev, pool, PoolSignal.Method.IC, ev.workspace());
        assertArrayEquals(new double[] {pool.get(0).trainRankIc(), pool.get(1).trainRankIc()}, c.weights());
        assertTrue(c.weights()[0] > c.weights()[1], "a predicts more than b");
    }

    /**
     * One factor: the ridge weight is the least-squares slope of the centred label scores on the clipped z-scores
     * over the labelled train cells, shrunk by the penalty: (sum(x y) / n) / (sum(x x) / n + penalty), computed
     * here from scratch.
     */
    @Test
    void aRidgeOfOneFactorIsTheShrunkLeastSquaresSlope() {
        Evaluation ev = evaluation();
        double[] a = MARKET.column("a");
        double[] labels = Labels.forwardReturns(MARKET, 1, 1);
        double sxy = 0;
        double sxx = 0;
        long rows = 0;
        for (int t = ev.splits().from(Split.TRAIN); t < ev.splits().to(Split.TRAIN); t++) {
            double[] x = new double[ASSETS];
            double[] y = new double[ASSETS];
            for (int s = 0; s < ASSETS; s++) {
                x[s] = a[s * DATES + t];
                y[s] = labels[s * DATES + t];
            }
            double mean = Arrays.stream(x).average().orElseThrow();
            double sd = Math.sqrt(Arrays.stream(x).map(v -> (v - mean) * (v - mean)).sum() / (ASSETS - 1));
            int labelled = (int) Arrays.stream(y).filter(v -> v == v).count();
            for (int s = 0; s < ASSETS; s++) {
                if (y[s] != y[s]) {
                    continue;
                }
                int below = 0;
                int ties = 0;
                for (double o : y) {
                    below += o < y[s] ? 1 : 0;
                    ties += o == y[s] ? 1 : 0;
                }
                double rank = (below + (ties + 1) / 2.0) / labelled;
                double score = (rank - (labelled + 1) / 2.0 / labelled) * Math.sqrt(12);
                double z = Math.max(-3, Math.min(3, (x[s] - mean) / sd));
                sxy += z * score;
                sxx += z * z;
                rows++;
            }
        }
        PoolSignal.Combination c = PoolSignal.combine(ev, List.of(member(ev, "a", 1)), PoolSignal.Method.RIDGE,
                ev.workspace());
        assertEquals(PoolSignal.PENALTIES.length, c.validLooks());
        // with the penalty chosen (and the solver's floor of 1e-9) the normal equation of one factor, per cell
        assertEquals((sxy / rows) / (sxx / rows + c.penalty() + 1e-9), c.weights()[0], 1e-12);
    }

    @Test
    void theRidgeGivesNoiseLittleWeightAndTheTrueLoadingsTheirOrder() {
        Evaluation ev = evaluation();
        List<PoolSignal.Member> pool = new ArrayList<>(List.of(member(ev, "a", 1), member(ev, "b", 1),
                member(ev, "noise", 1)));
        PoolSignal.Combination c = PoolSignal.combine(ev, pool, PoolSignal.Method.RIDGE, ev.workspace());
        double[] w = c.weights();
        assertTrue(w[0] > w[1] && w[1] > 0, Arrays.toString(w));
        assertTrue(Math.abs(w[2]) < w[1] / 3, Arrays.toString(w));
    }

    @Test
    void withoutAFixedMethodTheBestOnValidIsKeptAndEveryLookCounted() {
        Evaluation ev = evaluation();
        List<PoolSignal.Member> pool = List.of(member(ev, "a", 1), member(ev, "b", 1), member(ev, "noise", 1));
        PoolSignal.Combination c = PoolSignal.combine(ev, pool, null, ev.workspace());
        assertEquals(2 + PoolSignal.PENALTIES.length, c.validLooks());
        assertEquals(3, c.validRankIcByMethod().size());
        double best = c.validRankIcByMethod().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals(best, c.validRankIcByMethod().get(c.method()));
    }

    @Test
    void anEmptyPoolHasNothingToCombine() {
        Evaluation ev = evaluation();
        assertThrows(IllegalArgumentException.class, () -> PoolSignal.combine(ev, List.of(), null, ev.workspace()));
    }
}
