package dev.quantagent.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every formula of "101 Formulaic Alphas" (paper notation) and every Alpha158 feature (Qlib notation) parses,
 * survives a canonical round trip, and evaluates to the same values as the naive reference implementation.
 */
class PublishedFormulasTest {

    private static final Panel PANEL = TestPanels.random(400, 24, 42);
    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);

    static Stream<Named<String>> alpha101() throws IOException {
        return load("alpha101.txt").stream();
    }

    static Stream<Named<String>> alpha158() throws IOException {
        return load("alpha158.txt").stream();
    }

    private static List<Named<String>> load(String resource) {
        List<PublishedFormulas.Formula> list = resource.equals("alpha101.txt") ? PublishedFormulas.alpha101()
                : PublishedFormulas.alpha158();
        return list.stream().map(f -> Named.of(f.name(), f.formula())).toList();
    }

    @ParameterizedTest(name = "Alpha#{0}")
    @MethodSource("alpha101")
    void everyAlpha101FormulaMatchesTheReferenceImplementation(String formula) {
        everyNodeMatchesReference(formula);
    }

    @org.junit.jupiter.api.Test
    void nearlyEveryAlpha101FormulaHasValuesOnAFourHundredDayPanel() throws IOException {
        // A few formulas stack windows over smooth series (ts_rank of adv60 is often constant, so its correlation is
        // missing) and are legitimately empty on a short random panel; more than that would hide a bug.
        List<String> empty = new ArrayList<>();
        for (Named<String> n : load("alpha101.txt")) {
            Factor f = SANDBOX.parse(n.getPayload());
            double[] v = SANDBOX.evaluator(PANEL).evaluate(f);
            if (java.util.Arrays.stream(v).allMatch(Double::isNaN)) {
                empty.add(n.getName());
            }
        }
        assertTrue(empty.size() <= 2, "formulas without any value: " + empty);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alpha158")
    void everyAlpha158FeatureMatchesTheReferenceImplementation(String formula) {
        matchesReference(formula);
    }

    @ParameterizedTest(name = "Alpha#{0}")
    @MethodSource("alpha101")
    void everyAlpha101CanonicalFormReparsesToItself(String formula) {
        roundTrips(formula);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alpha158")
    void everyAlpha158CanonicalFormReparsesToItself(String formula) {
        roundTrips(formula);
    }

    @org.junit.jupiter.api.Test
    void theFormulaFilesHoldAllPublishedFormulas() throws IOException {
        assertEquals(101, load("alpha101.txt").size());
        assertEquals(158, load("alpha158.txt").size());
    }

    private static void hasValues(String formula) {
        Factor f = SANDBOX.parse(formula);
        double[] actual = SANDBOX.evaluator(PANEL).evaluate(f);
        if (f.lookback() < PANEL.dateCount() - 20) {
            long present = java.util.Arrays.stream(actual).filter(v -> !Double.isNaN(v)).count();
            assertTrue(present > 0, "no values at all for " + formula);
        }
    }

    /** Alpha158 has no discrete operator above a rounding-sensitive one, so whole formulas must match too. */
    private static void matchesReference(String formula) {
        everyNodeMatchesReference(formula);
        hasValues(formula);
        Factor f = SANDBOX.parse(formula);
        double[] actual = SANDBOX.evaluator(PANEL).evaluate(f);
        double[] expected = new ReferenceEvaluator(PANEL).eval(f.expr());
        if (f.lookback() < PANEL.dateCount() - 20) {
            long present = java.util.Arrays.stream(actual).filter(v -> !Double.isNaN(v)).count();
            assertTrue(present > 0, "no values at all for " + formula);
        }
        Approx.assertClose(expected, actual, 1e-9, formula);
    }

    /** Each operator node against the reference, given the production values of its children. */
    private static void everyNodeMatchesReference(String formula) {
        List<String> differences = ReferenceEvaluator.nodesThatDiffer(PANEL, SANDBOX.parse(formula).expr(), 1e-9,
                formula);
        assertTrue(differences.isEmpty(), String.join("\n", differences));
    }

    @ParameterizedTest(name = "Alpha#{0}")
    @MethodSource("alpha101")
    void everyAlpha101CanonicalFormRanksTheAssetsAsItsFormula(String formula) {
        ranksAlike(formula);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("alpha158")
    void everyAlpha158CanonicalFormRanksTheAssetsAsItsFormula(String formula) {
        ranksAlike(formula);
    }

    /**
     * What every statistic reads of a factor, its values' order across the assets of each date, is the same for the
     * canonical form (multipliers dropped, constants cut to ten digits) as for the formula: computed afresh from
     * both, missing in the same cells, and every two assets that the formula sets apart by more than rounding
     * (a relative 1e-9; reordered products and rounded constants move values by a few ulps) in the same order.
     */
    private static void ranksAlike(String formula) {
        Factor f = SANDBOX.parse(formula);
        double[] a = SANDBOX.evaluator(PANEL).evaluate(f).clone();
        double[] b = SANDBOX.evaluator(PANEL).evaluate(SANDBOX.parse(f.canonical()));
        int dates = PANEL.dateCount();
        int assets = PANEL.assetCount();
        for (int t = 0; t < dates; t++) {
            for (int i = 0; i < assets; i++) {
                int ci = i * dates + t;
                assertEquals(a[ci] != a[ci], b[ci] != b[ci], formula + ": missing in one form only at cell " + ci);
                for (int j = 0; j < assets; j++) {
                    int cj = j * dates + t;
                    double margin = 1e-9 * Math.max(Math.abs(a[ci]), Math.abs(a[cj]));
                    if (a[ci] < a[cj] - margin) {
                        assertTrue(b[ci] < b[cj], formula + " as " + f.canonical() + ": assets " + i + " and " + j
                                + " swap places on date " + t);
                    }
                }
            }
        }
    }

    private static void roundTrips(String formula) {
        Factor f = SANDBOX.parse(formula);
        Factor again = SANDBOX.parse(f.canonical());
        assertEquals(f.canonical(), again.canonical());
        assertEquals(f.hash(), again.hash());
    }
}
