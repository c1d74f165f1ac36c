package dev.quantagent.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.ChatModel;
import dev.quantagent.llm.Cancelled;
import dev.quantagent.llm.LlmChat;
import dev.quantagent.llm.LlmFailure;
import dev.quantagent.llm.LlmSettings;
import dev.quantagent.llm.Refused;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;
import dev.quantagent.testkit.ScriptedModel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LlmWriterTest {

    private static final WriterContext CONTEXT = new WriterContext(List.of("close", "volume", "returns"), "daily",
            List.of("-ts_sum(returns, 5)"), List.of());
    private static final LlmSettings SETTINGS = new LlmSettings("http://localhost", "k", "test-model",
            Duration.ofSeconds(5), 3, 2, 1.0, 2.0);

    private final List<Duration> slept = new ArrayList<>();

    private LlmWriter writer(ChatModel model) {
        return new LlmWriter(model, SETTINGS, new Sandbox(Limits.DEFAULT), slept::add);
    }

    private static String json(String formula) {
        return "{\"name\": \"rev\", \"hypothesis\": \"short-term reversal\", \"formula\": \"" + formula
                + "\", \"expected_behaviour\": \"positive IC\"}";
    }

    @Test
    void proseAndCodeFencesAroundTheJsonAreTolerated() {
        ScriptedModel m = new ScriptedModel().say("Sure! Here is my idea:\n```json\n" + json("-delta(close, 5)")
                + "\n```\nHope it helps.");
        Draft d = writer(m).draft(CONTEXT);
        assertEquals("-delta(close, 5)", d.formula());
        assertEquals("short-term reversal", d.hypothesis());
        assertEquals(100, d.promptTokens());
        assertEquals(20, d.completionTokens());
    }

    @Test
    void aFormulaThatDoesNotParseGoesBackWithTheParsersMessage() {
        ScriptedModel m = new ScriptedModel().say(json("rank(ts_maen(close, 5))")).say(json("rank(ts_mean(close, 5))"));
        Draft d = writer(m).draft(CONTEXT);
        assertEquals("rank(ts_mean(close, 5))", d.formula());
        assertTrue(m.lastUserMessage().contains("unknown operator 'ts_maen'"), m.lastUserMessage());
        assertTrue(m.lastUserMessage().contains("did you mean 'ts_mean'"), m.lastUserMessage());
        assertEquals(200, d.promptTokens());
    }

    @Test
    void aTruncatedReplyIsAskedAgain() {
        ScriptedModel m = new ScriptedModel().say("{\"name\": \"x\", \"formula\": \"rank(clo").say(json("rank(close)"));
        assertEquals("rank(close)", writer(m).draft(CONTEXT).formula());
        assertTrue(m.lastUserMessage().contains("no JSON object"), m.lastUserMessage());
    }

    @Test
    void aModelThatKeepsRefusingFailsWithTheReasonAndItsTokens() {
        ScriptedModel m = new ScriptedModel().say("I cannot help with trading.").say("No.").say("Sorry.");
        LlmFailure e = assertThrows(LlmFailure.class, () -> writer(m).draft(CONTEXT));
        assertTrue(e.getMessage().contains("no JSON object"), e.getMessage());
        assertEquals(300, e.promptTokens());
    }

    @Test
    void anInvalidFormulaAfterAllRetriesIsHandedOnToBeRecordedAsInvalid() {
        ScriptedModel m = new ScriptedModel().say(json("rank(close) ; DROP TABLE factors"))
                .say(json("Runtime.exec(x)")).say(json("rank(close"));
        Draft d = writer(m).draft(CONTEXT);
        assertEquals("rank(close", d.formula());
        assertTrue(d.writerNote().contains("does not parse"), d.writerNote());
    }

    @Test
    void rateLimitsAreRetriedWithBackoff() {
        ScriptedModel m = new ScriptedModel().fail(new RateLimitException("slow down")).say(json("rank(volume)"));
        assertEquals("rank(volume)", writer(m).draft(CONTEXT).formula());
        assertEquals(1, slept.size());
        assertBetween(750, 1250, slept.get(0)); // 1 s, give or take the 25% jitter
    }

    @Test
    void eachRetryWaitsAboutTwiceAsLongAsTheOneBefore() {
        ScriptedModel m = new ScriptedModel().fail(new RateLimitException("slow down"))
                .fail(new RateLimitException("slow down")).say(json("rank(volume)"));
        assertEquals("rank(volume)", writer(m).draft(CONTEXT).formula());
        assertEquals(2, slept.size());
        assertBetween(750, 1250, slept.get(0));
        assertBetween(1500, 2500, slept.get(1));
    }

    @Test
    void aCallThatKeepsFailingGivesUpAfterTheConfiguredAttemptsSayingHowMany() {
        ScriptedModel m = new ScriptedModel().fail(new RateLimitException("slow down"))
                .fail(new RateLimitException("slow down")).fail(new RateLimitException("slow down"))
                .say(json("rank(volume)"));
        LlmFailure e = assertThrows(LlmFailure.class, () -> writer(m).draft(CONTEXT));
        assertTrue(e.getMessage().contains("kept failing after 3 attempts"), e.getMessage());
        assertEquals(2, slept.size());
    }

    @Test
    void anEndpointWhoseCallsFailForGoodThreeTimesInARowStopsTheWriterLikeARefusedKey() {
        ScriptedModel m = new ScriptedModel();
        for (int i = 0; i < 9; i++) {
            m.fail(new RateLimitException("slow down")); // three calls of three attempts
        }
        m.say(json("rank(volume)"));
        LlmWriter w = writer(m);
        assertThrows(LlmFailure.class, () -> w.draft(CONTEXT));
        assertThrows(LlmFailure.class, () -> w.draft(CONTEXT));
        Refused stop = assertThrows(Refused.class, () -> w.draft(CONTEXT));
        assertTrue(stop.getMessage().contains("3 calls in a row failed so"), stop.getMessage());
        assertThrows(Refused.class, () -> w.draft(CONTEXT));
        assertEquals(9, m.calls(), "nothing more is sent once the endpoint counts as unreachable");
    }

    @Test
    void aCallThatSucceedsBetweenFailuresResetsTheCount() {
        ScriptedModel m = new ScriptedModel();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 6; i++) {
                m.fail(new RateLimitException("slow down")); // two calls failing for good
            }
            m.say(json("rank(volume)"));
        }
        LlmWriter w = writer(m);
        for (int round = 0; round < 3; round++) {
            assertThrows(LlmFailure.class, () -> w.draft(CONTEXT));
            assertThrows(LlmFailure.class, () -> w.draft(CONTEXT));
            assertEquals("rank(volume)", w.draft(CONTEXT).formula());
        }
    }

    @Test
    void aCallInFlightEndsAtOnceWhenCancelledAndItsThreadIsInterrupted() throws Exception {
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch interrupted = new java.util.concurrent.CountDownLatch(1);
        ChatModel silent = new ChatModel() { // an endpoint that never replies
            @Override
            public dev.langchain4j.model.chat.response.ChatResponse doChat(
                    dev.langchain4j.model.chat.request.ChatRequest request) {
                asked.countDown();
                try {
                    new java.util.concurrent.CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                throw new IllegalStateException("no reply");
            }
        };
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        LlmWriter w = new LlmWriter(silent, SETTINGS, new Sandbox(Limits.DEFAULT), slept::add, stop::get);
        java.util.concurrent.CompletableFuture<Draft> draft =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> w.draft(CONTEXT));
        assertTrue(asked.await(10, java.util.concurrent.TimeUnit.SECONDS));
        stop.set(true);
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> draft.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof Cancelled, e.getCause().toString());
        assertTrue(interrupted.await(10, java.util.concurrent.TimeUnit.SECONDS), "the request was dropped");
        assertEquals(0, slept.size());
    }

    @Test
    void aWaitBeforeTheNextAttemptEndsWhenCancelled() {
        ScriptedModel m = new ScriptedModel().fail(new RateLimitException("slow down")).say(json("rank(volume)"));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Duration> waits = new ArrayList<>();
        LlmWriter w = new LlmWriter(m, SETTINGS, new Sandbox(Limits.DEFAULT), d -> {
            waits.add(d);
            stop.set(true); // Ctrl-C during the first slice of the wait
        }, stop::get);
        assertThrows(Cancelled.class, () -> w.draft(CONTEXT));
        assertEquals(List.of(LlmChat.CANCEL_POLL), waits, "one slice, not the whole second");
        assertEquals(1, m.calls(), "no second attempt");
    }

    @Test
    void aCancellableWriterAnswersAsAnyOtherWhileNobodyCancels() {
        ScriptedModel m = new ScriptedModel().fail(new RateLimitException("slow down")).say(json("rank(volume)"));
        List<Duration> waits = new ArrayList<>();
        LlmWriter w = new LlmWriter(m, SETTINGS, new Sandbox(Limits.DEFAULT), waits::add, () -> false);
        assertEquals("rank(volume)", w.draft(CONTEXT).formula());
        Duration total = waits.stream().reduce(Duration.ZERO, Duration::plus);
        assertBetween(750, 1250, total); // the jittered second, waited in slices
        assertTrue(waits.stream().allMatch(d -> d.compareTo(LlmChat.CANCEL_POLL) <= 0), waits.toString());
    }

    private static void assertBetween(long fromMillis, long toMillis, Duration d) {
        assertTrue(d.toMillis() >= fromMillis && d.toMillis() <= toMillis,
                d + " is not within " + fromMillis + ".." + toMillis + " ms");
    }

    @Test
    void anAuthenticationErrorIsNotRetriedAndStopsTheWriter() {
        ScriptedModel m = new ScriptedModel().fail(new AuthenticationException("bad key"));
        Refused e = assertThrows(Refused.class, () -> writer(m).draft(CONTEXT));
        assertTrue(e.getMessage().contains("does not accept the API key"), e.getMessage());
        assertEquals(0, slept.size());
        assertEquals(1, m.calls());
    }

    @Test
    void theRefinementPromptCarriesTheJudgesVerdict() {
        ScriptedModel m = new ScriptedModel().say(json("-rank(volume)"));
        Verdict v = new Verdict(false, 3, List.of(new Feedback(Feedback.Category.NEGATIVE_IC, true,
                "Valid rank IC is -0.03: the signal works in reverse; multiply it by -1.")), "");
        writer(m).refine(new Draft("v", "volume", "rank(volume)", "", null), v, CONTEXT);
        String prompt = m.lastUserMessage();
        assertTrue(prompt.contains("rank(volume)") && prompt.contains("multiply it by -1"), prompt);
        assertTrue(prompt.contains("-ts_sum(returns, 5)"), "retrieved successes are in the prompt");
    }

    @Test
    void aNameLongerThanTheKnowledgeBaseKeepsIsCutTo400Characters() {
        ScriptedModel m = new ScriptedModel().say("{\"name\": \"" + "n".repeat(1_000) + "\", \"formula\": "
                + "\"rank(close)\"}");
        assertEquals(400, writer(m).draft(CONTEXT).name().length());
    }

    @Test
    void theSystemPromptIsTheOperatorReferenceFromTheRegistry() {
        String p = LlmWriter.systemPrompt();
        for (dev.quantagent.sandbox.Op op : dev.quantagent.sandbox.Operators.all()) {
            assertTrue(p.contains(op.signature()), op.signature());
        }
    }
}
