package dev.quantagent.evaluator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.util.List;

import org.junit.jupiter.api.Test;

class BooksTest {

    private static final long DAY = 86_400L;

    /** Assets that grow by a fixed rate a day each, and a factor column per date given by {@code score}. */
    private static Panel growth(double[] rates, int dates, java.util.function.BiFunction<Integer, Integer, Double> score) {
        int assets = rates.length;
        long[] ds = new long[dates];
        String[] symbols = new String[assets];
        double[] close = new double[assets * dates];
        double[] signal = new double[assets * dates];
        for (int a = 0; a < assets; a++) {
            symbols[a] = "A" + a;
            for (int t = 0; t < dates; t++) {
                ds[t] = 1_609_459_200L + DAY * t;
                close[a * dates + t] = 100 * Math.pow(1 + rates[a], t);
                signal[a * dates + t] = score.apply(a, t);
            }
        }
        return Panel.builder(ds, symbols).field("close", close).field("signal", signal).build();
    }

    private static Evaluation evaluation(Panel p, double costBps) {
        return Evaluation.prepare(p, EvaluationConfig.DEFAULT.withQuantiles(2).withCostBps(costBps)
                .withPeriodsPerYear(365.0), new Sandbox(Limits.DEFAULT));
    }

    private static double[] signal(Evaluation ev) {
        return ev.panel().column("signal");
    }

    /**
     * Four assets growing 0, 1, 2 and 3% a day, always ranked in that order: the long book (2 and 3%) and the short
     * book (0 and 1%) are bought and held. Holding n bars from a rebalance the book is worth
     * 1 + (1.02^n + 1.03^n) / 2 - (1.00^n + 1.01^n) / 2 - 1 + ... : each bar's return follows from compounding.
     */
    @Test
    void aBookHeldFiveBarsEarnsEachNamesCompoundedReturn() {
        double[] rates = {0.0, 0.01, 0.02, 0.03};
        Evaluation ev = evaluation(growth(rates, 60, (a, t) -> (double) a), 0);
        Book held = ev.holdingPeriods(signal(ev), Split.TRAIN, ev.workspace(), 5).get(0);
        // equity after n bars of one holding, starting from 1: the legs' gains, each name's half compounding
        double previous = 1;
        for (int n = 1; n <= 5; n++) {
            double equity = 1 + (Math.pow(1.02, n) + Math.pow(1.03, n)) / 2 - 1
                    - ((Math.pow(1.00, n) + Math.pow(1.01, n)) / 2 - 1);
            assertEquals(equity / previous - 1, held.grossReturn()[n - 1], 1e-12, "bar " + n);
            previous = equity;
        }
        assertEquals(5, held.rebalanceEvery());
        assertNull(held.excessNet(), "a long-short has no market to beat");
    }

    /**
     * The same book rebalanced every bar and charged 10 bps a side: the first bar buys both books (2 units of
     * value, 0.2%), later bars only trade back the drift of the four positions.
     */
    @Test
    void costsAreTheValueTradedAtEachRebalance() {
        double[] rates = {0.0, 0.01, 0.02, 0.03};
        Evaluation ev = evaluation(growth(rates, 60, (a, t) -> (double) a), 10);
        Book daily = ev.holdingPeriods(signal(ev), Split.TRAIN, ev.workspace(), 1).get(0);
        assertEquals(0.025 - 0.005, daily.grossReturn()[0], 1e-12);
        assertEquals(0.020 - 0.002, daily.netReturn()[0], 1e-12);
        // after bar 1 the equity is 1.02 and the positions 0.5, 0.505 short, 0.51, 0.515 long: targets 0.51 each
        double traded = Math.abs(0.51 - 0.51) + Math.abs(0.51 - 0.515) + Math.abs(0.51 - 0.5)
                + Math.abs(0.51 - 0.505);
        assertEquals(0.02 - 0.001 * traded / 1.02, daily.netReturn()[1], 1e-12);
        assertEquals(daily.grossReturn()[1], 0.02, 1e-12);
        // a quarter of a drift of 0.02 per side over an equity of 1.02, averaged over the books
        assertEquals((0.015 / 2 + 0.005 / 2) / 2 / 1.02, daily.turnover(), 1e-12);
    }

    /** Held one bar, the book is Evaluation's long-short: the same gross return on every date. */
    @Test
    void aBookHeldOneBarEarnsTheLongShortOfTheStatistics() {
        Panel p = EvaluationTest.market(300, 40, 11);
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT);
        Evaluation.Workspace ws = ev.workspace();
        double[] values = p.column("signal");
        SplitStatistics valid = ev.evaluate("signal", values, ws, Split.VALID).splits().get(Split.VALID);
        Book book = ev.holdingPeriods(values, Split.VALID, ws, 1).get(0);
        assertArrayEquals(valid.series().rebalanceTime(), book.time());
        assertArrayEquals(valid.series().grossReturn(), book.grossReturn(), 1e-14);
    }

    /**
     * Six names, top 2, one replaced per rebalance. Day 0 ranks A0 > A1 > ...: A0 and A1 are bought. From day 1 A2
     * ranks first, A0 second, A1 third: the combined ranking of the held names and the best other one is A2, A0, A1,
     * so A1 (last) is sold and A2 bought with its proceeds.
     */
    @Test
    void topkDropoutSellsTheWorstHeldNameAndBuysTheBestOther() {
        double[] rates = {0.01, 0.02, 0.03, 0.0, 0.0, 0.0};
        Evaluation ev = evaluation(growth(rates, 30, (a, t) -> t == 0 ? -a : a == 2 ? 10.0 : -a), 0);
        Book topk = ev.portfolios(signal(ev), Split.TRAIN, ev.workspace(), new BookConfig(2, 1, 1, 1)).topkDropout();
        assertEquals((0.01 + 0.02) / 2, topk.grossReturn()[0], 1e-12, "A0 and A1 held over the first bar");
        // A1's value after bar 0 (0.51) buys A2; A0 keeps its 0.505
        double equity = 1.015;
        assertEquals((0.505 * 0.01 + 0.51 * 0.03) / equity, topk.grossReturn()[1], 1e-12);
        double market = (0.01 + 0.02 + 0.03) / 6;
        assertEquals(market, topk.benchmarkReturn()[1], 1e-15);
        assertEquals(0.51 / equity, topk.turnover(), 1e-12, "one of two names replaced, once");
        assertTrue(topk.excessGross().annualExcessReturn() > 0);
    }

    /** Qlib's risk_analysis figures of a short excess series, worked by hand. */
    @Test
    void excessFiguresFollowQlibsDefinitions() {
        double[] r = {0.02, -0.01, 0.03, -0.04};
        double[] b = {0.01, 0.00, 0.01, 0.00};
        Book.Excess e = Book.Excess.of(r, b, 4, 252);
        // excess 0.01, -0.01, 0.02, -0.04: mean -0.005, squared deviations summing to 0.0021
        assertEquals(-0.005 * 252, e.annualExcessReturn(), 1e-12);
        assertEquals(-0.005 / Math.sqrt(0.0021 / 3) * Math.sqrt(252), e.informationRatio(), 1e-12);
        // cumulative 0.01, 0, 0.02, -0.02 against its running maximum 0.01, 0.01, 0.02, 0.02
        assertEquals(-0.04, e.maxDrawdown(), 1e-12);
    }

    /**
     * Eight names in quarters. On day 0 the long book is A2 and A3 (the top quarter). From day 1 A2 slips to third
     * place, still in the top half, and A1 takes second: with a buffer of one quarter A2 stays and the book holds
     * A1, A2 and A3; without, A2 is sold. A2 grows 5% a day, A1 1% and A3 3%; the bottom names do not move.
     */
    @Test
    void theBufferKeepsANameThatSlipsJustOutOfItsQuantile() {
        double[] rates = {0.0, 0.01, 0.05, 0.03, 0.0, 0.0, 0.0, 0.0};
        Panel p = growth(rates, 30, (a, t) -> a >= 4 ? -a : t == 0 ? a : a == 2 ? 1.5 : a == 1 ? 2.5 : a);
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT.withQuantiles(4).withCostBps(0)
                .withPeriodsPerYear(365.0), new Sandbox(Limits.DEFAULT));
        Book buffered = ev.portfolios(signal(ev), Split.TRAIN, ev.workspace(), new BookConfig(0, 0, 1, 1))
                .bufferedLongShort();
        Book plain = ev.portfolios(signal(ev), Split.TRAIN, ev.workspace(), new BookConfig(0, 0, 1, 0))
                .bufferedLongShort();
        assertEquals((0.05 + 0.03) / 2, buffered.grossReturn()[0], 1e-12);
        assertEquals((0.01 + 0.05 + 0.03) / 3, buffered.grossReturn()[1], 1e-12, "A2 kept beside A1 and A3");
        assertEquals((0.01 + 0.03) / 2, plain.grossReturn()[1], 1e-12, "A2 sold without a buffer");
        assertTrue(buffered.turnover() < plain.turnover());
    }

    @Test
    void theBooksRefuseTheSealedTestSplit() {
        Evaluation ev = evaluation(growth(new double[] {0, 0.01, 0.02, 0.03}, 60, (a, t) -> (double) a), 0);
        assertThrows(IllegalArgumentException.class,
                () -> ev.holdingPeriods(signal(ev), Split.TEST, ev.workspace(), 1));
        assertThrows(IllegalArgumentException.class,
                () -> ev.portfolios(signal(ev), Split.TEST, ev.workspace(), BookConfig.DEFAULT));
    }

    @Test
    void aLookAtTheTestSplitIsCountedOnceAndHoldsEveryPortfolio() {
        Evaluation ev = evaluation(growth(new double[] {0, 0.01, 0.02, 0.03}, 60, (a, t) -> (double) a), 0);
        Evaluation.TestLook look = ev.unsealTest().look("signal", signal(ev), ev.workspace(), BookConfig.DEFAULT);
        assertEquals(1, ev.testLooks());
        assertEquals(List.of(Split.TRAIN, Split.VALID, Split.TEST), List.copyOf(new java.util.TreeSet<>(
                look.portfolios().keySet())));
        assertEquals(BookConfig.HOLDING_PERIODS.length, look.portfolios().get(Split.TEST).longShortByHolding().size());
    }

    @Test
    void anAutomaticRebalanceIsTheHoldingThatDidBestAfterCostsOnTrainWhicheverSplitIsAsked() {
        Panel p = EvaluationTest.market(300, 40, 11);
        Evaluation ev = Evaluation.prepare(p, EvaluationConfig.DEFAULT);
        Evaluation.Workspace ws = ev.workspace();
        double[] values = p.column("signal");
        int best = 0;
        double top = Double.NEGATIVE_INFINITY;
        for (int every : BookConfig.HOLDING_PERIODS) {
            double ir = ev.portfolios(values, Split.TRAIN, ws, new BookConfig(0, 0, every, 1)).topkDropout()
                    .excessNet().informationRatio();
            if (ir > top) {
                top = ir;
                best = every;
            }
        }
        Book onValid = ev.portfolios(values, Split.VALID, ws, BookConfig.DEFAULT).topkDropout();
        assertEquals(best, onValid.rebalanceEvery());
        assertEquals(best, ev.portfolios(values, Split.TRAIN, ws, BookConfig.DEFAULT).topkDropout().rebalanceEvery());
        assertTrue(onValid.description().contains("bars (of 1, 5, 10 or 20, the best after costs on train)")
                || onValid.description().contains("bar (of 1, 5, 10 or 20, the best after costs on train)"),
                onValid.description());
        Book fixed = ev.portfolios(values, Split.VALID, ws, new BookConfig(0, 0, best, 1)).topkDropout();
        assertArrayEquals(fixed.netReturn(), onValid.netReturn(), 0.0);
    }

    @Test
    void theDefaultTopkIsATenthOfTheUniverseAndItsDropoutATenthOfThat() {
        assertEquals(50, BookConfig.DEFAULT.topkFor(505));
        assertEquals(5, BookConfig.DEFAULT.dropoutFor(505));
        assertEquals(10, BookConfig.DEFAULT.topkFor(100));
        assertEquals(1, BookConfig.DEFAULT.dropoutFor(100));
        assertEquals(1, BookConfig.DEFAULT.topkFor(3));
    }
}
