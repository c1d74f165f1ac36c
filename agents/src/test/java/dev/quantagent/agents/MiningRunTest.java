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
    void twoThreadsMineExactlyWhatOneThreadMines() {
        try (KnowledgeBase a = kb("a"); KnowledgeBase b = kb("b")) {
            MiningRun one = MiningRun.start("r", evaluation, a, "synth", SMALL);
            MiningRun two = MiningRun.start("r", evaluation, b, "synth", SMALL);
            one.mine(s -> { }, 1);
            two.mine(s -> { }, 2);
            assertEquals(formulas(one), formulas(two));
            assertEquals(a.count(), b.count());
            List<String> inA = a.list(dev.quantagent.knowledge.Filter.ANY, KnowledgeBase.Sort.ID, 1000).stream()
                    .map(r -> r.formula() + "|" + r.status()).toList();
            List<String> inB = b.list(dev.quantagent.knowledge.Filter.ANY, KnowledgeBase.Sort.ID, 1000).stream()
                    .map(r -> r.formula() + "|" + r.status()).toList();
            assertEquals(inA, inB);
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
            assertTrue(resumed.mine(s -> { }, 2));
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
    void anLlmRunRecordsItsTokensAndSurvivesAFailingEndpoint() {
        String[] ideas = {"-ts_sum(returns, 5)", "-stddev(returns, 20)", "rank(volume)"};
        int[] calls = {0};
        dev.langchain4j.model.chat.ChatModel model = new dev.langchain4j.model.chat.ChatModel() {
            @Override
            public dev.langchain4j.model.chat.response.ChatResponse doChat(
                    dev.langchain4j.model.chat.request.ChatRequest request) {
                int n = calls[0]++;
                if (n == 1) {
                    throw new dev.langchain4j.exception.AuthenticationException("key revoked");
                }
                String f = ideas[n % ideas.length];
                return dev.langchain4j.model.chat.response.ChatResponse.builder()
                        .aiMessage(dev.langchain4j.data.message.AiMessage.from("{\"name\": \"idea" + n
                                + "\", \"hypothesis\": \"h\", \"formula\": \"" + f + "\"}"))
                        .tokenUsage(new dev.langchain4j.model.output.TokenUsage(1000, 100)).build();
            }
        };
        LlmSettings settings = new LlmSettings("http://localhost", "k", "gpt-4o-mini", java.time.Duration.ofSeconds(1),
                2, 1, 0.15, 0.60);
        LlmWriter writer = new LlmWriter(model, settings, evaluation.sandbox(), d -> { });
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("llm", evaluation, kb, "synth",
                    new MiningConfig(1, 3, 2, 1, null, JudgePolicy.DEFAULT), writer);
            MiningRun.Snapshot[] last = new MiningRun.Snapshot[1];
            assertTrue(run.mine(s -> last[0] = s));
            assertTrue(last[0].tokens() > 0);
            assertEquals(settings.cost(last[0].tokens() * 10 / 11, last[0].tokens() / 11), last[0].cost(), 1e-12);
            List<FactorRecord> all = kb.list(dev.quantagent.knowledge.Filter.ANY.withRun("llm"),
                    KnowledgeBase.Sort.ID, 100);
            assertTrue(all.stream().allMatch(r -> r.writerKind().equals("llm")
                    && r.writerModel().equals("gpt-4o-mini")));
            FactorRecord failed = all.stream().filter(r -> r.status() == Status.INVALID).findFirst().orElseThrow();
            assertTrue(failed.rejectionReasons().toString().contains("key revoked"), failed.rejectionReasons()
                    .toString());
            assertEquals(all.size(), last[0].trials());
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
