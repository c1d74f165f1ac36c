package dev.quantagent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * What the LLM agents share (the Writer, the Judge, the analysis's narrator): one chat call with retries (timeouts,
 * 429 honouring Retry-After, 5xx; exponential backoff with jitter, by a Failsafe retry policy), the tokens a response
 * reports, and reading a JSON object out of a reply that may wrap it in prose or fences. A server that asks to wait
 * longer than {@link #MAX_RETRY_AFTER} fails the call at once ("rate-limited: the server asks to wait N s"), like any
 * other fault the caller records.
 *
 * <p>Given a cancellation signal (Ctrl-C), a call in flight or a wait between attempts ends within
 * {@link #CANCEL_POLL} of it with {@link Cancelled}: the request then runs on a thread of its own, which is
 * interrupted to drop the connection, so the caller (which also writes the knowledge base, and must not be
 * interrupted) never waits for a slow reply.
 */
public final class LlmChat {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The first wait between attempts; it doubles per attempt up to {@link #MAX_DELAY}, give or take the jitter. */
    private static final Duration BASE_DELAY = Duration.ofMillis(1000);
    private static final Duration MAX_DELAY = Duration.ofSeconds(64);
    /** Waits vary by this share either way, so that the workers of a run do not retry in step. */
    private static final double JITTER = 0.25;
    /** The longest {@code Retry-After} honoured; a longer one fails the call instead of stalling the run. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
    /** How often a cancellable call looks at its signal. */
    public static final Duration CANCEL_POLL = Duration.ofMillis(100);

    /** What of a server's error text a message keeps. */
    private static final int MAX_MESSAGE = 200;
    /**
     * Calls in a row that may fail for good (every attempt timed out or failed) before the endpoint counts as
     * unreachable and the agents stop, as for a refused key: a server that trickles its replies would otherwise cost
     * minutes per idea for the rest of the run.
     */
    static final int MAX_FAILED_CALLS = 3;

    private final ChatModel model;
    private final LlmSettings settings;
    /** Set when the endpoint refused the credentials: every later call fails at once, sending nothing. */
    private volatile LlmFailure refused;
    /** Calls in a row that failed after all their attempts; a success resets it. */
    private final AtomicInteger failedInARow = new AtomicInteger();
    private final Sleeper sleeper;
    private final RetryPolicy<ChatResponse> retryPolicy;
    private final BooleanSupplier cancelled;

    public LlmChat(ChatModel model, LlmSettings settings, Sleeper sleeper) {
        this(model, settings, sleeper, null);
    }

    /** @param cancelled when it turns true, calls end with {@link Cancelled}; null: calls run to their end */
    public LlmChat(ChatModel model, LlmSettings settings, Sleeper sleeper, BooleanSupplier cancelled) {
        this.model = model;
        this.settings = settings;
        this.sleeper = sleeper;
        this.cancelled = cancelled;
        this.retryPolicy = RetryPolicy.<ChatResponse>builder()
                .handleIf(LlmChat::retriable)
                .withBackoff(BASE_DELAY, MAX_DELAY)
                .withJitter(JITTER)
                .withMaxAttempts(settings.maxAttempts())
                .build();
    }

    /** A chat model for the settings' endpoint; langchain4j's own retries are off, since {@link #call} retries. */
    public static ChatModel openAi(LlmSettings s) {
        return OpenAiChatModel.builder().baseUrl(s.baseUrl()).apiKey(s.apiKey()).modelName(s.model())
                .timeout(s.timeout()).maxRetries(0).httpClientBuilder(RetryAfterHttpClient.builder()).build();
    }

    public LlmSettings settings() {
        return settings;
    }

    /** One chat call with retries on timeouts, 429 and 5xx. */
    public ChatResponse call(List<ChatMessage> messages, long in, long out) {
        return call(messages, null, in, out);
    }

    /**
     * One chat call asking for a reply in {@code format} (structured output, e.g. a JSON schema; null for free text),
     * with retries on timeouts, 429 and 5xx.
     *
     * @param in  prompt tokens used so far, carried by the failure if the call fails
     * @param out completion tokens used so far
     * @throws LlmFailure when the endpoint refuses the request or keeps failing
     * @throws Cancelled when the cancellation signal turns true meanwhile
     */
    public ChatResponse call(List<ChatMessage> messages, ResponseFormat format, long in, long out) {
        LlmFailure denied = refused;
        if (denied != null) {
            throw new LlmFailure(denied.getMessage(), in, out, null, true);
        }
        ChatRequest request = format == null ? ChatRequest.builder().messages(messages).build()
                : ChatRequest.builder().messages(messages).responseFormat(format).build();
        // Failsafe decides whether and how long to wait; the sleeper waits (tests record instead of sleeping)
        Execution<ChatResponse> execution = Execution.of(retryPolicy);
        while (true) {
            try {
                ChatResponse r = withoutKey(attempt(request));
                failedInARow.set(0);
                return r;
            } catch (InterruptedException ie) {
                throw interrupted(ie, in, out);
            } catch (Cancelled e) {
                throw e;
            } catch (RuntimeException e) {
                if (deniesAccess(e)) {
                    refused = new LlmFailure("the LLM endpoint refused the request: " + settings.baseUrl()
                            + " does not accept the API key (" + message(e) + "); check --api-key or OPENAI_API_KEY, "
                            + "and --base-url", in, out, null, true);
                    throw refused;
                }
                if (!retriable(e)) {
                    throw new LlmFailure("the LLM endpoint refused the request: " + message(e), in, out,
                            null);
                }
                Duration asked = retryAfter(e);
                if (asked != null && asked.compareTo(MAX_RETRY_AFTER) > 0) {
                    throw new LlmFailure("rate-limited: the server asks to wait " + asked.toSeconds()
                            + " s, more than the " + MAX_RETRY_AFTER.toMinutes() + " minutes QuantAgent waits", in, out,
                            null);
                }
                execution.recordException(e);
                if (execution.isComplete()) {
                    String why = "the LLM endpoint kept failing after " + execution.getAttemptCount() + " attempts: "
                            + message(e);
                    if (failedInARow.incrementAndGet() >= MAX_FAILED_CALLS) {
                        refused = new LlmFailure(why + "; " + MAX_FAILED_CALLS + " calls in a row failed so, "
                                + "so the endpoint counts as unreachable: check --base-url and the server", in, out,
                                null, true);
                        throw refused;
                    }
                    throw new LlmFailure(why, in, out, null);
                }
                Duration wait = execution.getDelay();
                if (asked != null && asked.compareTo(wait) > 0) {
                    wait = asked; // a floor: retrying sooner than asked only earns another 429
                }
                try {
                    pause(wait);
                } catch (InterruptedException ie) {
                    throw interrupted(ie, in, out);
                }
            }
        }
    }

    /**
     * The caller's thread was interrupted: {@link Cancelled} if the signal has come (the idea is dropped), else a
     * failure of the call, as before cancellation existed.
     */
    private RuntimeException interrupted(InterruptedException ie, long in, long out) {
        Thread.currentThread().interrupt();
        return cancelled != null && cancelled.getAsBoolean() ? new Cancelled()
                : new LlmFailure("interrupted", in, out, ie);
    }

    /** One request; with a cancellation signal, on a thread of its own that is interrupted when the signal comes. */
    private ChatResponse attempt(ChatRequest request) throws InterruptedException {
        if (cancelled == null) {
            return model.chat(request);
        }
        if (cancelled.getAsBoolean()) {
            throw new Cancelled(); // before sending: a request nobody waits for is still billed
        }
        FutureTask<ChatResponse> call = new FutureTask<>(() -> model.chat(request));
        Thread t = new Thread(call, "quantagent-llm-call");
        t.setDaemon(true); // a reply that never comes must not hold the JVM's exit
        t.start();
        try {
            while (true) {
                if (cancelled.getAsBoolean()) {
                    call.cancel(true);
                    throw new Cancelled();
                }
                try {
                    return call.get(CANCEL_POLL.toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // look at the signal again
                }
            }
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause()); // chat declares no checked exception
        }
    }

    /** Waits between attempts; with a cancellation signal, in slices that look at it. */
    private void pause(Duration wait) throws InterruptedException {
        if (cancelled == null) {
            sleeper.sleep(wait);
            return;
        }
        for (Duration left = wait; left.compareTo(Duration.ZERO) > 0; left = left.minus(CANCEL_POLL)) {
            if (cancelled.getAsBoolean()) {
                throw new Cancelled();
            }
            sleeper.sleep(left.compareTo(CANCEL_POLL) < 0 ? left : CANCEL_POLL);
        }
    }

    /** Prompt tokens the response reports (0 when it reports none). */
    public static long promptTokens(ChatResponse r) {
        TokenUsage u = r.tokenUsage();
        return u == null || u.inputTokenCount() == null ? 0 : u.inputTokenCount();
    }

    /** Completion tokens the response reports (0 when it reports none). */
    public static long completionTokens(ChatResponse r) {
        TokenUsage u = r.tokenUsage();
        return u == null || u.outputTokenCount() == null ? 0 : u.outputTokenCount();
    }

    private static boolean retriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetriableException || t instanceof java.io.UncheckedIOException
                    || t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof HttpException h) {
                return h.statusCode() == 429 || h.statusCode() >= 500;
            }
        }
        return false;
    }

    /** A 401 or 403: the key is wrong, revoked or not allowed; every further call would fail the same way. */
    private static boolean deniesAccess(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException) {
                return true;
            }
            if (t instanceof HttpException h) {
                return h.statusCode() == 401 || h.statusCode() == 403;
            }
        }
        return false;
    }

    private static Duration retryAfter(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RetryAfterHttpClient.RetryAfter r) {
                return r.waitFor();
            }
        }
        return null;
    }

    /**
     * The failure in words, for the knowledge base and the terminal: short, and without the API key, since a server
     * may echo the key (or part of it) in its error text. Failures carry no cause for the same reason.
     */
    private String message(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String m = e.getMessage();
        if (m != null) {
            m = redact(m.length() > 5 * MAX_MESSAGE ? m.substring(0, 5 * MAX_MESSAGE) : m, settings.apiKey());
            m = m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) : m;
        }
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /**
     * The reply with the API key, and any piece of it, cut out of its text ({@link #redact}): a server that echoes
     * the request would otherwise get the key into the factor's name or hypothesis, and so into the knowledge base,
     * an export and the terminal.
     */
    private ChatResponse withoutKey(ChatResponse r) {
        AiMessage ai = r == null ? null : r.aiMessage();
        if (ai == null || ai.text() == null) {
            return r;
        }
        String text = redact(ai.text(), settings.apiKey());
        return text.equals(ai.text()) ? r : r.toBuilder().aiMessage(ai.withText(text)).build();
    }

    /** Shortest run of the key's characters taken for a piece of it, and shortest key looked for. */
    private static final int KEY_PIECE = 8;

    /**
     * The text with the API key, and every run of at least {@value #KEY_PIECE} of its characters (what a server that
     * masks the middle, or a cut, leaves of it), replaced by {@code [API key]}. A shorter key is a local server's
     * placeholder ("any text"), not a secret, and is not looked for.
     */
    static String redact(String text, String key) {
        if (text == null || key == null || key.length() < KEY_PIECE) {
            return text;
        }
        String t = text.replace(key, "[API key]");
        StringBuilder sb = new StringBuilder(t.length());
        int i = 0;
        while (i < t.length()) {
            int longest = 0;
            for (int j = 0; j + KEY_PIECE <= key.length() && longest < key.length() - j; j++) {
                int n = 0;
                while (i + n < t.length() && j + n < key.length() && t.charAt(i + n) == key.charAt(j + n)) {
                    n++;
                }
                longest = Math.max(longest, n);
            }
            if (longest >= KEY_PIECE) {
                sb.append("[API key]");
                i += longest;
            } else {
                sb.append(t.charAt(i++));
            }
        }
        return sb.toString();
    }

    /** The first complete JSON object in the text, past prose and code fences; null if there is none. */
    public static JsonNode extractJson(String text) {
        if (text == null) {
            return null;
        }
        for (int start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
            int depth = 0;
            boolean inString = false;
            for (int i = start; i < text.length(); i++) {
                char c = text.charAt(i);
                if (inString) {
                    if (c == '\\') {
                        i++;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    try {
                        JsonNode n = JSON.readTree(text.substring(start, i + 1));
                        if (n.isObject()) {
                            return n;
                        }
                    } catch (IOException e) {
                        // not JSON after all: try the next brace
                    }
                    break;
                }
            }
        }
        return null;
    }
}
