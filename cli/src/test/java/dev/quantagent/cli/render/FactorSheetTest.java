package dev.quantagent.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * "Is this a factor?" on a market of 60 random walks over 400 days whose next return is 0.3 x a signal plus noise:
 * the signal is one, its negative one in reverse, noise is none, and a signal present on one asset in twenty is
 * degenerate.
 */
class FactorSheetTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);
    private static final Evaluation EV = Evaluation.prepare(market(), EvaluationConfig.DEFAULT, SANDBOX);

    private static Panel market() {
        int dates = 400;
        int assets = 60;
        Random r = new Random(5);
        long[] days = new long[dates];
        String[] symbols = new String[assets];
        double[] close = new double[dates * assets];
        double[] signal = new double[dates * assets];
        double[] noise = new double[dates * assets];
        double[] rare = new double[dates * assets];
        for (int t = 0; t < dates; t++) {
            days[t] = 1_577_836_800L + 86_400L * t;
        }
        for (int a = 0; a < assets; a++) {
            symbols[a] = "S" + a;
            double p = 50;
            double next = r.nextGaussian();
            for (int t = 0; t < dates; t++) {
                int i = a * dates + t;
                // the close of t+1 carries the signal of t (the default label trades at t+1 and holds to t+2)
                p *= Math.exp(0.01 * (0.3 * next + r.nextGaussian()));
                close[i] = p;
                next = r.nextGaussian();
                signal[i] = next;
                noise[i] = r.nextGaussian();
                rare[i] = a % 20 == 0 ? next : Double.NaN;
            }
        }
        // shift the signal a day earlier: known at t, it moves the return from t+1 to t+2
        double[] early = new double[signal.length];
        for (int a = 0; a < assets; a++) {
            for (int t = 0; t < dates; t++) {
                early[a * dates + t] = t + 1 < dates ? signal[a * dates + t + 1] : Double.NaN;
            }
        }
        return Panel.builder(days, symbols).field("close", close).field("signal", early).field("noise", noise)
                .field("rare", rare).build();
    }

    private static FactorSheet.Answer answer(String formula) {
        return FactorSheet.of(EV, EV.workspace(), SANDBOX.parse(formula), BookConfig.DEFAULT).answer();
    }

    @Test
    void aSignalThatPredictsOnEverySplitIsAFactor() {
        FactorSheet.Answer a = answer("signal");
        assertEquals("yes", a.word(), a.text());
        assertTrue(a.text().startsWith("Yes: it ranks the assets' next returns in its direction"), a.text());
    }

    @Test
    void itsNegativeIsAFactorInReverse() {
        FactorSheet.Answer a = answer("-signal");
        assertEquals("yes", a.word(), a.text());
        assertTrue(a.text().contains("in reverse (use its negative)"), a.text());
    }

    @Test
    void noiseIsNoFactor() {
        assertEquals("no", answer("noise").word());
    }

    @Test
    void aSignalOnOneAssetInTwentyIsDegenerate() {
        FactorSheet.Answer a = answer("rare");
        assertEquals("degenerate", a.word(), a.text());
        assertTrue(a.text().contains("values in 5.00% of the cells"), a.text());
    }
}
