package dev.quantagent.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.data.DataException;
import dev.quantagent.evaluator.synth.SyntheticMarket;
import dev.quantagent.knowledge.FactorRecord;
import dev.quantagent.knowledge.HashingEmbedder;
import dev.quantagent.knowledge.KnowledgeBase;
import dev.quantagent.knowledge.Status;
import dev.quantagent.llm.LlmChat;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;
import dev.quantagent.testkit.FakeOpenAi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

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

    /** A chat model that answers every call with {@code reply} and counts the calls. */
    private static ChatModel answering(String reply, AtomicInteger calls) {
        return new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                calls.incrementAndGet();
                return ChatResponse.builder().aiMessage(AiMessage.from(reply)).tokenUsage(new TokenUsage(10, 5))
                        .build();
            }
        };
    }

    private static final LlmSettings LLM = new LlmSettings("http://localhost", "k", "m", Duration.ofSeconds(1), 2, 1,
            0, 0);

    /** The offline Writer, recording the context of every call and every verdict it is asked to answer. */
    private static final class CapturingWriter implements Writer {
        final List<WriterContext> contexts = new CopyOnWriteArrayList<>();
        final List<Verdict> verdicts = new CopyOnWriteArrayList<>();
        private final OfflineWriter offline = new OfflineWriter(evaluation.sandbox(), 5,
                Sandbox.fields(evaluation.panel()));

        @Override
        public synchronized Draft draft(WriterContext context) {
            contexts.add(context);
            return offline.draft(context);
        }

        @Override
        public synchronized Draft refine(Draft previous, Verdict verdict, WriterContext context) {
            contexts.add(context);
            verdicts.add(verdict);
            return offline.refine(previous, verdict, context);
        }
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
    void theWriterNeverSeesAValidStatisticNeitherInFeedbackNorInRetrievedFailures() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun.start("first", evaluation, kb, "synth", SMALL).mine(s -> { });
            assertTrue(kb.list(dev.quantagent.knowledge.Filter.failures(), KnowledgeBase.Sort.ID, 1000).stream()
                    .anyMatch(f -> f.rejectionReasons().stream().anyMatch(r -> r.startsWith("out_of_sample: "))),
                    "some idea failed at the gate, whose reason names valid figures");
            CapturingWriter writer = new CapturingWriter();
            MiningRun.start("second", evaluation, kb, "synth", SMALL, writer).mine(s -> { });
            java.util.regex.Pattern valid = java.util.regex.Pattern.compile("(?i)\\bvalid\\b");
            assertFalse(writer.verdicts.isEmpty());
            for (Verdict v : writer.verdicts) {
                assertFalse(valid.matcher(v.summary()).find(), v.summary());
            }
            for (WriterContext c : writer.contexts) {
                for (String f : c.failures()) {
                    assertFalse(valid.matcher(f).find(), f);
                }
            }
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
    void aStopRequestPausesTheRunAtACandidateBoundaryAndTheResumeMinesTheSameFactors() {
        List<String> uninterrupted;
        try (KnowledgeBase kb = kb("whole")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            run.mine(s -> { });
            uninterrupted = formulas(run);
        }
        try (KnowledgeBase kb = kb("stopped")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            int[] done = {0};
            // Ctrl-C arrives while the third candidate is explored
            assertFalse(run.mine(s -> done[0] = s.candidate(), 1, () -> done[0] >= 3));
            assertEquals(3, done[0]);
            assertEquals(dev.quantagent.knowledge.RunStatus.PAUSED, kb.run("r").orElseThrow().status());
            MiningRun resumed = MiningRun.resume("r", evaluation, kb, "synth");
            assertTrue(resumed.mine(s -> { }));
            assertEquals(uninterrupted, formulas(resumed));
        }
    }

    @Test
    void aStopDuringAnLlmCallDropsTheIdeaInHandUnrecordedAndTheResumeFinishesTheRun() throws Exception {
        stopDuringAnLlmCall(1);
    }

    @Test
    void aStopDuringAnLlmCallDropsEveryIdeaInHandWhenExploringInParallel() throws Exception {
        stopDuringAnLlmCall(2);
    }

    /** Ctrl-C while the sixth LLM call waits for a reply that never comes. */
    private void stopDuringAnLlmCall(int threads) throws Exception {
        String[] ideas = {"-ts_sum(returns, 5)", "-stddev(returns, 20)", "rank(volume)", "-delta(close, 3)"};
        AtomicInteger calls = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch dropped = new java.util.concurrent.CountDownLatch(1);
        ChatModel model = new ChatModel() {
            @Override
            public ChatResponse doChat(ChatRequest request) {
                int n = calls.getAndIncrement();
                if (n == 5) {
                    stop.set(true);
                    try {
                        new java.util.concurrent.CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        dropped.countDown();
                    }
                    throw new IllegalStateException("no reply");
                }
                return ChatResponse.builder().aiMessage(AiMessage.from("{\"name\": \"idea" + n
                        + "\", \"hypothesis\": \"h\", \"formula\": \"" + ideas[n % ideas.length] + "\"}"))
                        .tokenUsage(new TokenUsage(10, 5)).build();
            }
        };
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("llm", evaluation, kb, "synth", SMALL,
                    new LlmWriter(model, LLM, evaluation.sandbox(), d -> { }, stop::get));
            assertFalse(org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> run.mine(s -> { }, threads, stop::get)));
            assertTrue(dropped.await(10, java.util.concurrent.TimeUnit.SECONDS), "the call in flight was dropped");
            dev.quantagent.knowledge.RunRecord saved = kb.run("llm").orElseThrow();
            assertEquals(dev.quantagent.knowledge.RunStatus.PAUSED, saved.status());
            List<FactorRecord> recorded = kb.list(dev.quantagent.knowledge.Filter.ANY.withRun("llm"),
                    KnowledgeBase.Sort.ID, 1000);
            assertTrue(recorded.stream().noneMatch(r -> r.status() == Status.INVALID), "a dropped idea is no failure");
            // what the run counted is exactly what it recorded: nothing of the dropped ideas
            assertEquals(recorded.size(), saved.trials());
            assertEquals(recorded.stream().mapToLong(r -> r.usage().promptTokens() + r.usage().completionTokens())
                    .sum(), saved.tokens());
            MiningRun resumed = MiningRun.resume("llm", evaluation, kb, "synth",
                    new LlmWriter(answering("{\"name\": \"n\", \"formula\": \"rank(volume)\"}", new AtomicInteger()),
                            LLM, evaluation.sandbox(), d -> { }));
            assertTrue(resumed.mine(s -> { }));
            assertTrue(resumed.finished());
        }
    }

    @Test
    void aStopAfterTheLastIdeaStillPausesTheRunBeforeItsFinalReport() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            int[] done = {0};
            assertFalse(run.mine(s -> done[0] = s.candidate(), 1, () -> done[0] == SMALL.totalCandidates()));
            assertTrue(run.finished());
            assertEquals(dev.quantagent.knowledge.RunStatus.PAUSED, kb.run("r").orElseThrow().status());
        }
    }

    @Test
    void theDataSourceIsSavedWithTheRunBeforeItsFirstCandidate() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun.start("r", evaluation, kb, "synth", SMALL).dataSource("/data/market.csv");
            // as a crash now would leave it
            assertTrue(MiningRun.dataOf(kb.run("r").orElseThrow()).contains("read from /data/market.csv"),
                    MiningRun.dataOf(kb.run("r").orElseThrow()));
            assertEquals(dev.quantagent.knowledge.RunStatus.RUNNING, kb.run("r").orElseThrow().status());
        }
    }

    @Test
    void aSittingsTimeBudgetReplacesTheRunsOwnForThatSittingOnly() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL); // no budget of its own
            List<Integer> explored = new ArrayList<>();
            assertFalse(run.withTimeBudget(Duration.ofNanos(1)).mine(s -> explored.add(s.candidate())));
            assertEquals(List.of(), explored);
            assertNull(run.config().timeBudget());
            MiningRun resumed = MiningRun.resume("r", evaluation, kb, "synth");
            assertTrue(resumed.mine(s -> { }));
        }
    }

    @Test
    void theConclusionLooksAtTheSealedTestSplitOnceAndLogsTheLookFirst() throws Exception {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            run.mine(s -> { });
            assertFalse(run.pool().isEmpty(), "this market's planted alphas give the run something to accept");
            int before = evaluation.testLooks();
            TestLooks log = new TestLooks(dir.resolve("home").resolve("test-looks.log"));
            Conclusion c = run.conclude(settings(log));
            assertEquals(run.pool().size() + 1, log.count("synth"), "each factor and the pool signal");
            assertTrue(java.nio.file.Files.readAllLines(log.file()).stream().allMatch(l -> l.endsWith("\tmine r")));
            assertEquals(before + run.pool().size() + 1, evaluation.testLooks());
            assertEquals(run.pool().size(), c.pool().size());
            assertTrue(kb.get(run.pool().get(0).id()).orElseThrow().test() != null);
            assertTrue(c.signal().look().report().splits().containsKey(Split.TEST));
            // a crash before the report is written: concluding again logs nothing new
            MiningRun.resume("r", evaluation, kb, "synth").conclude(settings(log));
            assertEquals(run.pool().size() + 1, log.count("synth"), "the look was logged once");
        }
    }

    @Test
    void aLookAtTestThatCannotBeLoggedIsNotTaken() throws Exception {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            run.mine(s -> { });
            assertFalse(run.pool().isEmpty());
            int before = evaluation.testLooks();
            Path notAFolder = java.nio.file.Files.writeString(dir.resolve("home"), "a file");
            TestLooks log = new TestLooks(notAFolder.resolve("test-looks.log"));
            DataException e = assertThrows(DataException.class, () -> run.conclude(settings(log)));
            assertTrue(e.getMessage().startsWith("cannot write the log of test looks " + log.file()), e.getMessage());
            assertEquals(before, evaluation.testLooks());
        }
    }

    private static Conclusion.Settings settings(TestLooks log) {
        return new Conclusion.Settings(null, dev.quantagent.evaluator.BookConfig.DEFAULT, null, List.of(), log);
    }

    @Test
    void everyFactorAcceptedPassedTheGateWithTheEvidenceItsLooksDemanded() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", SMALL);
            run.mine(s -> { });
            for (FactorRecord f : kb.list(dev.quantagent.knowledge.Filter.accepted(), KnowledgeBase.Sort.ID, 100)) {
                assertTrue(f.valid() != null && f.train() != null, "accepted factors were looked at on valid");
                assertTrue(f.valid().rankIc() > 0 && f.train().rankIc() > 0);
            }
            long looks = kb.list(new dev.quantagent.knowledge.Filter(null, "r", "synth"), KnowledgeBase.Sort.ID,
                    10_000).stream().filter(f -> f.valid() != null).count();
            assertEquals(looks, kb.validLooks("synth"), "every look at valid is counted");
            assertTrue(looks <= SMALL.totalCandidates(), "at most one look per idea");
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
                    throw new dev.langchain4j.exception.InvalidRequestException("request refused");
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
            assertTrue(failed.rejectionReasons().toString().contains("request refused"), failed.rejectionReasons()
                    .toString());
            assertEquals(all.size(), last[0].trials());
        }
    }

    @Test
    void theLlmJudgeIsNotAskedAboutFactorsTheRulesRejected() {
        // rules that reject every factor of this market (its planted alphas reach a rank IC of about 0.035)
        JudgePolicy impossible = JudgePolicy.DEFAULT.withMinRankIc(0.2);
        AtomicInteger calls = new AtomicInteger();
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth",
                    new MiningConfig(1, 4, 2, 3, null, impossible)).withLlmJudge(new LlmJudge(answering(
                            "{\"accept\": true, \"critique\": \"fine\"}", calls), LLM, d -> { }), LLM);
            MiningRun.Snapshot[] last = new MiningRun.Snapshot[1];
            assertTrue(run.mine(s -> last[0] = s));
            assertTrue(last[0].trials() > 0);
            assertEquals(0, calls.get());
            assertEquals(0, last[0].tokens());
        }
    }

    @Test
    void anLlmJudgeThatKeepsEverythingLeavesTheRunsOwnRuleVerdicts() {
        // thresholds stricter than the default: the LLM Judge must not judge by the default ones
        JudgePolicy strict = JudgePolicy.DEFAULT.withMinRankIc(0.025);
        MiningConfig config = new MiningConfig(2, 6, 3, 11, null, strict);
        AtomicInteger calls = new AtomicInteger();
        try (KnowledgeBase a = kb("a"); KnowledgeBase b = kb("b")) {
            MiningRun rules = MiningRun.start("r", evaluation, a, "synth", config);
            rules.mine(s -> { });
            MiningRun withLlm = MiningRun.start("r", evaluation, b, "synth", config).withLlmJudge(new LlmJudge(
                    answering("{\"accept\": true, \"critique\": \"fine\"}", calls), LLM, d -> { }), LLM);
            withLlm.mine(s -> { });
            assertEquals(formulas(rules), formulas(withLlm));
            assertTrue(calls.get() >= withLlm.pool().size() && calls.get() > 0, calls + " calls");
            assertTrue(withLlm.pool().stream().allMatch(e -> e.verdict().critique().contains("fine")));
        }
    }

    @Test
    void anOverlongNameAndFormulaAreStoredCutAndTheRunGoesOn() {
        Writer longWinded = new Writer() {
            private int drafts;

            @Override
            public Draft draft(WriterContext context) {
                return drafts++ == 0 ? new Draft("n".repeat(1_000), "h", "rank(close) + " + "x".repeat(10_000), "",
                        null) : new Draft("reversal", "h", "-ts_sum(returns, 5)", "", null);
            }

            @Override
            public Draft refine(Draft previous, Verdict verdict, WriterContext context) {
                return draft(context);
            }
        };
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", new MiningConfig(1, 2, 1, 1, null,
                    JudgePolicy.DEFAULT), longWinded);
            assertTrue(run.mine(s -> { }));
            List<FactorRecord> all = kb.list(dev.quantagent.knowledge.Filter.ANY, KnowledgeBase.Sort.ID, 10);
            assertEquals(2, all.size());
            FactorRecord cut = all.get(0);
            assertEquals(Status.INVALID, cut.status());
            assertEquals(8192, cut.formula().length());
            assertEquals(400, cut.name().length());
            assertTrue(cut.name().endsWith("\u2026") && cut.formula().endsWith("\u2026"));
            assertEquals("-ts_sum(returns, 5)", all.get(1).formula());
        }
    }

    @Test
    void aRateLimitAskingForAnHourIsRecordedAsAnLlmFaultAndTheRunGoesOn() {
        String good = "{\"name\": \"rev\", \"hypothesis\": \"reversal\", \"formula\": \"-ts_sum(returns, 5)\"}";
        try (FakeOpenAi server = new FakeOpenAi(); KnowledgeBase kb = kb("kb")) {
            server.reply(429, "{\"error\":{\"message\":\"rate limited\"}}", "3600");
            server.complete(good, 10, 5);
            LlmSettings s = new LlmSettings(server.baseUrl(), "k", "gpt-4o-mini", Duration.ofSeconds(10), 3, 1, 0, 0);
            List<Duration> slept = new java.util.ArrayList<>();
            LlmWriter writer = new LlmWriter(LlmChat.openAi(s), s, evaluation.sandbox(), slept::add);
            MiningRun run = MiningRun.start("r", evaluation, kb, "synth", new MiningConfig(1, 2, 1, 1, null,
                    JudgePolicy.DEFAULT), writer);
            assertTrue(run.mine(x -> { }));
            List<FactorRecord> all = kb.list(dev.quantagent.knowledge.Filter.ANY, KnowledgeBase.Sort.ID, 10);
            assertEquals(2, all.size());
            assertEquals(Status.INVALID, all.get(0).status());
            assertTrue(all.get(0).rejectionReasons().toString().contains("rate-limited: the server asks to wait "
                    + "3600 s"), all.get(0).rejectionReasons().toString());
            assertEquals("-ts_sum(returns, 5)", all.get(1).formula());
            assertTrue(slept.isEmpty(), slept.toString());
        }
    }

    @Test
    void resumingWithOtherEvaluationSettingsIsRefusedNamingTheSettingAndBothValues() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun.start("r", evaluation, kb, "synth", SMALL);
            Evaluation cheaper = Evaluation.prepare(evaluation.panel(), EvaluationConfig.DEFAULT.withCostBps(5));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MiningRun.resume("r", cheaper, kb, "synth"));
            assertTrue(e.getMessage().contains("cost_bps = 10.0") && e.getMessage().contains("gives 5.0")
                    && e.getMessage().contains("--cost-bps 10.0"), e.getMessage());
        }
    }

    @Test
    void resumingAnLlmRunWithoutTheLlmWriterIsRefusedNamingTheFlag() {
        LlmWriter writer = new LlmWriter(answering("{}", new AtomicInteger()), LLM, evaluation.sandbox(), d -> { });
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun.start("r", evaluation, kb, "synth", SMALL, writer);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MiningRun.resume("r", evaluation, kb, "synth"));
            assertTrue(e.getMessage().contains("LLM Writer") && e.getMessage().contains("--writer llm"),
                    e.getMessage());
        }
    }

    @Test
    void resumingAnOfflineRunWithTheLlmWriterIsRefused() {
        LlmWriter writer = new LlmWriter(answering("{}", new AtomicInteger()), LLM, evaluation.sandbox(), d -> { });
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun.start("r", evaluation, kb, "synth", SMALL);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MiningRun.resume("r", evaluation, kb, "synth", writer));
            assertTrue(e.getMessage().contains("offline Writer"), e.getMessage());
        }
    }

    @Test
    void aResumedRunKeepsItsStartTime() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun.start("r", evaluation, kb, "synth", new MiningConfig(1, 2, 1, 1, null, JudgePolicy.DEFAULT));
            java.time.Instant started = kb.run("r").orElseThrow().startedAt();
            assertTrue(MiningRun.resume("r", evaluation, kb, "synth").mine(s -> { }));
            assertEquals(started, kb.run("r").orElseThrow().startedAt());
        }
    }

    @Test
    void aSecondRunOnTheSameDataSeesTheFirstRunsAcceptedFactorsInItsWriterContext() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun first = MiningRun.start("first", evaluation, kb, "synth", SMALL);
            first.mine(s -> { });
            assertFalse(first.pool().isEmpty());
            String best = kb.list(dev.quantagent.knowledge.Filter.accepted().withRun("first"),
                    KnowledgeBase.Sort.RANK_IC, 1).get(0).formula();
            CapturingWriter writer = new CapturingWriter();
            MiningRun second = MiningRun.start("second", evaluation, kb, "synth",
                    new MiningConfig(1, 2, 1, 3, null, JudgePolicy.DEFAULT), writer);
            second.mine(s -> { });
            assertTrue(writer.contexts.get(0).successes().contains(best), writer.contexts.get(0).successes()
                    + " lacks " + best);
        }
    }

    @Test
    void aSecondRunOnTheSameDataSeesNothingOfItWhenRetrievalIsOff() {
        try (KnowledgeBase kb = kb("kb")) {
            MiningRun.start("first", evaluation, kb, "synth", SMALL).mine(s -> { });
            CapturingWriter writer = new CapturingWriter();
            MiningRun.start("second", evaluation, kb, "synth", new MiningConfig(1, 2, 1, 3, null,
                    JudgePolicy.DEFAULT, 0), writer).mine(s -> { });
            assertTrue(writer.contexts.get(0).successes().isEmpty(), writer.contexts.get(0).successes().toString());
            assertTrue(writer.contexts.get(0).failures().isEmpty(), writer.contexts.get(0).failures().toString());
        }
    }

    @Test
    void aSecondRunResumedAfterACrashMinesWhatItMinesUninterrupted() {
        List<String> uninterrupted;
        try (KnowledgeBase kb = kb("whole")) {
            MiningRun.start("first", evaluation, kb, "synth", SMALL).mine(s -> { });
            MiningRun second = MiningRun.start("second", evaluation, kb, "synth", SMALL);
            second.mine(s -> { });
            uninterrupted = formulas(second);
        }
        try (KnowledgeBase kb = kb("broken")) {
            MiningRun.start("first", evaluation, kb, "synth", SMALL).mine(s -> { });
            MiningRun second = MiningRun.start("second", evaluation, kb, "synth", SMALL);
            assertThrows(RuntimeException.class, () -> second.mine(s -> {
                if (s.candidate() == 8) {
                    throw new RuntimeException("killed");
                }
            }));
            MiningRun resumed = MiningRun.resume("second", evaluation, kb, "synth");
            assertTrue(resumed.mine(s -> { }));
            assertEquals(uninterrupted, formulas(resumed));
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
