package dev.quantagent.llm;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * langchain4j's HTTP client for the OpenAI-compatible endpoint, on the JDK's client, that keeps what langchain4j's own
 * drops: the {@code Retry-After} header of a 429 or 503, carried by {@link RetryAfter} so the Writer waits as long as
 * the server asks. Its timeout covers the whole reply, headers and body: the JDK's request timeout covers the headers
 * only, so a server that trickles its body a byte at a time would hold a call for ever. A reply body larger than
 * {@link #MAX_REPLY} is refused as it arrives. Streaming is not used by QuantAgent and is refused.
 */
final class RetryAfterHttpClient implements HttpClient {

    /** An HTTP error whose server said when to come back. */
    static final class RetryAfter extends HttpException {
        private static final long serialVersionUID = 1L;
        private final transient Duration wait;

        RetryAfter(int status, String body, Duration wait) {
            super(status, body);
            this.wait = wait;
        }

        Duration waitFor() {
            return wait;
        }
    }

    /** The largest reply body read: a chat completion takes kilobytes. */
    static final int MAX_REPLY = 4 << 20;

    private final java.net.http.HttpClient client;
    private final Duration readTimeout;

    private RetryAfterHttpClient(Duration connectTimeout, Duration readTimeout) {
        this.client = java.net.http.HttpClient.newBuilder()
                .connectTimeout(connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout).build();
        this.readTimeout = readTimeout == null ? Duration.ofSeconds(120) : readTimeout;
    }

    static HttpClientBuilder builder() {
        return new HttpClientBuilder() {
            private Duration connect;
            private Duration read;

            @Override
            public Duration connectTimeout() {
                return connect;
            }

            @Override
            public HttpClientBuilder connectTimeout(Duration d) {
                connect = d;
                return this;
            }

            @Override
            public Duration readTimeout() {
                return read;
            }

            @Override
            public HttpClientBuilder readTimeout(Duration d) {
                read = d;
                return this;
            }

            @Override
            public HttpClient build() {
                return new RetryAfterHttpClient(connect, read);
            }
        };
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(request.url()))
                .timeout(readTimeout)
                .method(request.method().name(), request.body() == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
        for (Map.Entry<String, List<String>> h : request.headers().entrySet()) {
            for (String v : h.getValue()) {
                b.header(h.getKey(), v);
            }
        }
        HttpResponse<String> r;
        CompletableFuture<HttpResponse<String>> reply = client.sendAsync(b.build(), info -> new Limited(MAX_REPLY));
        try {
            r = reply.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            reply.cancel(true); // drops the connection
            throw new dev.langchain4j.exception.TimeoutException("no complete reply within " + readTimeout.toSeconds()
                    + " s (headers and body)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.net.http.HttpTimeoutException) {
                throw new dev.langchain4j.exception.TimeoutException(cause);
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            reply.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (r.statusCode() >= 200 && r.statusCode() < 300) {
            return SuccessfulHttpResponse.builder().statusCode(r.statusCode()).headers(r.headers().map())
                    .body(r.body()).build();
        }
        Duration wait = retryAfter(r.headers().firstValue("Retry-After").orElse(null));
        throw wait != null ? new RetryAfter(r.statusCode(), r.body(), wait) : new HttpException(r.statusCode(), r.body());
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("streaming is not used");
    }

    /** A reply body as UTF-8 text, refused (and the connection dropped) once it passes {@code max} bytes. */
    private static final class Limited implements HttpResponse.BodySubscriber<String> {
        private final HttpResponse.BodySubscriber<byte[]> bytes = HttpResponse.BodySubscribers.ofByteArray();
        private final int max;
        private Flow.Subscription subscription;
        private long seen;
        private boolean refused;

        Limited(int max) {
            this.max = max;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            bytes.onSubscribe(s);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (refused) {
                return;
            }
            for (ByteBuffer item : items) {
                seen += item.remaining();
            }
            if (seen > max) {
                refused = true;
                subscription.cancel();
                bytes.onError(new IOException("the reply is larger than " + (max >> 20) + " MB, the most QuantAgent "
                        + "reads of one"));
                return;
            }
            bytes.onNext(items);
        }

        @Override
        public void onError(Throwable t) {
            if (!refused) {
                bytes.onError(t);
            }
        }

        @Override
        public void onComplete() {
            if (!refused) {
                bytes.onComplete();
            }
        }

        @Override
        public CompletionStage<String> getBody() {
            return bytes.getBody().thenApply(b -> new String(b, StandardCharsets.UTF_8));
        }
    }

    /** Retry-After in seconds (the HTTP-date form is rare for APIs and ignored). */
    static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            long s = Long.parseLong(header.trim());
            return s >= 0 ? Duration.ofSeconds(s) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
