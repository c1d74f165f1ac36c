package dev.quantagent.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.synth.SyntheticMarket;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.HashingEmbedder;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.Status;
import dev.quantagent.sandbox.Panel;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiningRunTest {

    private static Evaluation evaluation;
    private static final MiningConfig SMALL = new MiningConfig(2, 6, 3, 11, null, JudgePolicy.DEFAULT);

    @TempDir
    Path dir;

    @BeforeAll
    static void market() {
        Panel p = SyntheticMarket.generate(new SyntheticMarket.Config(60, 500, 3));
        evaluation = Evaluation.prepare(p, EvaluationConfig.DEFAULT);
    }

    private KnowledgeBase kb(String name) {
        return KnowledgeBase.open(dir.resolve(name), HashingEmbedder::new);
    }

    private static List<String> formulas(MiningRun run) {
        return run.pool().stream().map(e -> e.draft().formula()).toList();
    }

    @Test
    void aSeededOfflineRunRediscoversAPlantedAlpha() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            assertTrue(run.mine(s -> { }));
            assertFalse(run.pool().isEmpty());
            Evaluation.Workspace ws = evaluation.workspace();
            double best = 0;
            for (SyntheticMarket.PlantedAlpha planted : SyntheticMarket.plantedAlphas()) {
                double[] target = ws.values(evaluation.sandbox().parse(planted.formula())).clone();
                for (MiningRun.PoolEntry e : run.pool()) {
                    double[] mined = ws.values(e.factor()).clone();
                    best = Math.max(best, Math.abs(evaluation.factorCorrelation(mined, target, Split.VALID, ws)));
                }
            }
            assertTrue(best > 0.5, "closest mined factor correlates " + best + " with a planted alpha");
        }
    }

    @Test
    void theSameSeedMinesTheSameFactors() {
        try (KnowledgeBase a = kb("a"); KnowledgeBase b = kb("b")) {
            MiningRun ra = MiningRun.start("r", evaluation, a, "synth", SMALL);
            MiningRun rb = MiningRun.start("r", evaluation, b, "synth", SMALL);
            ra.mine(s -> { });
            rb.mine(s -> { });
            assertEquals(formulas(ra), formulas(rb));
        }
    }

    @Test
    void everyTestedFactorIsRecordedWithItsOutcome() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            long[] trials = {0};
            run.mine(s -> trials[0] = s.trials());
            assertEquals(trials[0], kb.count());
            assertEquals(run.pool().size(), kb.countByStatus().getOrDefault(Status.ACCEPTED, 0L));
            assertEquals(trials[0], kb.trials("synth"));
            FactorRecord first = kb.get(run.pool().get(0).id()).orElseThrow();
            assertTrue(first.valid() != null && first.test() == null, "no test statistics before the final report");
        }
    }

    @Test
    void aRunInterruptedAfterAnyCandidateResumesToTheSameResult() {
        List<String> uninterrupted;
        try (KnowledgeBase kb = kb("whole")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            run.mine(s -> { });
            uninterrupted = formulas(run);
        }
        try (KnowledgeBase kb = kb("broken")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            RuntimeException crash = new RuntimeException("killed");
            assertThrows(RuntimeException.class, () -> run.mine(s -> {
                if (s.candidate() == 5) {
                    throw crash;
                }
            }));
            // a half-written candidate: a step recorded after the last completed candidate
            kb.insert(FactorRecord.builder("rank(close)").run("r", 1, 1).dataset("synth").build());
            MiningRun resumed = MiningRun.resume("r", evaluation, kb, "synth");
            assertTrue(resumed.mine(s -> { }));
            assertEquals(uninterrupted, formulas(resumed));
        }
    }

    @Test
    void theFinalReportEvaluatesThePoolOnTheSealedTestSplitOnce() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            run.mine(s -> { });
            int before = evaluation.testLooks();
            var reports = run.testPool();
            assertEquals(run.pool().size(), reports.size());
            assertEquals(before + run.pool().size(), evaluation.testLooks());
            assertTrue(kb.get(run.pool().get(0).id()).orElseThrow().test() != null);
            assertEquals("finished", kb.run("r").orElseThrow().status());
        }
    }

    @Test
    void startingARunWhoseIdExistsAsksForResume() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun.start("r", evaluation, kb, "synth", SMALL);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MiningRun.start("r", evaluation, kb, "synth", SMALL));
            assertTrue(e.getMessage().contains("--resume r"));
        }
    }
}
