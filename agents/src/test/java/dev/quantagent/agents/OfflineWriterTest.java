package dev.quantagent.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.agents.Feedback.Category;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OfflineWriterTest {

    private static final Sandbox SANDBOX = new Sandbox(Limits.DEFAULT);
    private static final List<String> FIELDS = List.of("open", "high", "low", "close", "volume", "returns", "vwap");
    private static final WriterContext CONTEXT = new WriterContext(FIELDS, "daily", List.of(), List.of());

    private static Verdict verdict(Category c) {
        return new Verdict(false, 10, List.of(new Feedback(c, true, "finding " + c)), "");
    }

    private static List<String> run(long seed) {
        OfflineWriter w = new OfflineWriter(SANDBOX, seed, FIELDS);
        List<String> out = new ArrayList<>();
        Draft d = w.draft(CONTEXT);
        for (int i = 0; i < 20; i++) {
            out.add(d.formula());
            d = i % 3 == 0 ? w.draft(CONTEXT) : w.refine(d, verdict(Category.WEAK_SIGNAL), CONTEXT);
        }
        return out;
    }

    @Test
    void theSameSeedWritesTheSameFormulas() {
        assertEquals(run(7), run(7));
        assertNotEquals(run(7), run(8));
    }

    @Test
    void everyDraftIsAValidFormulaOverTheAvailableFields() {
        for (String f : run(3)) {
            Factor parsed = SANDBOX.parse(f);
            assertTrue(FIELDS.containsAll(parsed.fields()), f);
            assertTrue(parsed.complexity().nodes() <= 30, f);
        }
    }

    @Test
    void buildingBlocksOnlyUseFieldsTheDataHas() {
        for (String b : new OfflineWriter(SANDBOX, 1, List.of("close", "returns")).library()) {
            assertTrue(List.of("close", "returns").containsAll(SANDBOX.parse(b).fields()), b);
        }
    }

    @Test
    void aReversedSignalIsNegated() {
        OfflineWriter w = new OfflineWriter(SANDBOX, 1, FIELDS);
        Draft d = new Draft("x", "", "ts_sum(returns, 5)", "", null);
        Draft r = w.refine(d, verdict(Category.NEGATIVE_IC), CONTEXT);
        assertEquals(SANDBOX.parse("-ts_sum(returns, 5)").canonical(), SANDBOX.parse(r.formula()).canonical());
        assertEquals("ts_sum(returns, 5)", r.parent());
    }

    @Test
    void highTurnoverIsAnsweredBySmoothingOrLongerWindows() {
        OfflineWriter w = new OfflineWriter(SANDBOX, 2, FIELDS);
        Draft d = new Draft("x", "", "rank(delta(close, 2) / close)", "", null);
        for (int i = 0; i < 10; i++) {
            String f = SANDBOX.parse(w.refine(d, verdict(Category.HIGH_TURNOVER), CONTEXT).formula()).canonical();
            assertTrue(f.contains("ts_mean(") || f.contains("decay_linear(") || f.contains("delta(close, 4)"), f);
        }
    }

    @Test
    void redundancyIsAnsweredByAStructuralChangeNotAParameterTweak() {
        OfflineWriter w = new OfflineWriter(SANDBOX, 3, FIELDS);
        Draft d = new Draft("x", "", "rank(ts_mean(volume, 10))", "", null);
        for (int i = 0; i < 10; i++) {
            String f = SANDBOX.parse(w.refine(d, verdict(Category.REDUNDANT), CONTEXT).formula()).canonical();
            String withoutNumbers = f.replaceAll("[0-9.]+", "N");
            assertNotEquals("rank(ts_mean(volume, N))", withoutNumbers, f);
        }
    }

    @Test
    void lowCoverageShortensWindows() {
        OfflineWriter w = new OfflineWriter(SANDBOX, 4, FIELDS);
        Draft d = new Draft("x", "", "ts_mean(returns, 60)", "", null);
        assertEquals("ts_mean(returns, 30)", SANDBOX.parse(w.refine(d, verdict(Category.LOW_COVERAGE), CONTEXT)
                .formula()).canonical());
    }

    @Test
    void theWriterNeverProposesAFormulaInPriceOrVolumeUnits() {
        OfflineWriter w = new OfflineWriter(SANDBOX, 9, FIELDS);
        for (int i = 0; i < 60; i++) {
            Factor f = SANDBOX.parse(w.draft(CONTEXT).formula());
            assertFalse(dev.quantagent.sandbox.AssetScale.of(f.expr()).dependent(), f.canonical());
        }
    }

    @Test
    void aRefinementAlwaysDiffersFromItsParent() {
        OfflineWriter w = new OfflineWriter(SANDBOX, 5, FIELDS);
        Draft d = w.draft(CONTEXT);
        for (Category c : Category.values()) {
            Draft r = w.refine(d, verdict(c), CONTEXT);
            assertNotEquals(SANDBOX.parse(d.formula()).canonical(), SANDBOX.parse(r.formula()).canonical(), c.name());
        }
    }
}
