package dev.quantagent.testkit;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local server speaking the OpenAI chat-completions protocol on the loopback interface, for tests: it answers with
 * the replies queued (a 500 when none is left) and records every request body. Never the network.
 */
public final class FakeOpenAi implements AutoCloseable {

    /** @param trickle the pause before each byte of the body, or null to send it at once */
    private record Reply(int status, String body, String retryAfter, java.time.Duration trickle) {
        Reply(int status, String body, String retryAfter) {
            this(status, body, retryAfter, null);
        }
    }

    private final HttpServer server;
    private final Deque<Reply> replies = new ArrayDeque<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public FakeOpenAi() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/chat/completions", ex -> {
            requests.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Reply r;
            synchronized (replies) {
                r = replies.isEmpty() ? new Reply(500, "{}", null) : replies.removeFirst();
            }
            if (r.retryAfter() != null) {
                ex.getResponseHeaders().add("Retry-After", r.retryAfter());
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            byte[] b = r.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(r.status(), b.length);
            try (OutputStream o = ex.getResponseBody()) {
                if (r.trickle() == null) {
                    o.write(b);
                    return;
                }
                for (byte one : b) { // bounded by the body's length; ends when the client hangs up
                    o.write(one);
                    o.flush();
                    Thread.sleep(r.trickle().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    /** The base URL to configure, ending in {@code /v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues a successful completion whose message content is {@code content}. */
    public FakeOpenAi complete(String content, int promptTokens, int completionTokens) {
        return reply(200, completion(content, promptTokens, completionTokens), null);
    }

    /** Queues any answer. */
    public FakeOpenAi reply(int status, String body, String retryAfter) {
        synchronized (replies) {
            replies.add(new Reply(status, body, retryAfter));
        }
        return this;
    }

    /** Queues a successful completion whose body comes one byte per {@code pause}, headers at once. */
    public FakeOpenAi trickle(String content, java.time.Duration pause) {
        synchronized (replies) {
            replies.add(new Reply(200, completion(content, 1, 1), null, pause));
        }
        return this;
    }

    /** Request bodies received, in order. */
    public List<String> requests() {
        return requests;
    }

    /** A chat-completions response body carrying {@code content} and its token usage. */
    public static String completion(String content, int in, int out) {
        String escaped = content.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + escaped + "\"},"
                + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":" + in + ",\"completion_tokens\":" + out
                + ",\"total_tokens\":" + (in + out) + "}}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
