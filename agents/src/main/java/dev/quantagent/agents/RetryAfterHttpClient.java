package dev.quantagent.agents;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * langchain4j's HTTP client for the OpenAI-compatible endpoint, on the JDK's client, that keeps what langchain4j's own
 * drops: the {@code Retry-After} header of a 429 or 503, carried by {@link RetryAfter} so the Writer waits as long as
 * the server asks. Streaming is not used by QuantAgent and is refused.
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
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new dev.langchain4j.exception.TimeoutException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
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
