package dev.quantagent.evaluator.data.bybit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.quantagent.evaluator.data.DataException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.LongFunction;
import java.util.function.ToLongFunction;
import java.util.zip.GZIPInputStream;

/**
 * A client for Bybit's public v5 market endpoints (klines and funding history; no API key).
 *
 * <p>Bybit answers newest first, at most one page per request, so both endpoints are read backwards: after each page
 * the next request ends just before the oldest row received, until a page reaches the start or comes back empty.
 * Rows are de-duplicated by time (pages may overlap at their edges) and returned oldest first.
 *
 * <p>HTTP 429, 5xx, I/O errors and Bybit's "too many visits" ({@code retCode} 10006) are retried with exponential
 * backoff and jitter (500 ms doubling, ±25%, at most 5 attempts), never sooner than a {@code Retry-After} header asks.
 * Anything else Bybit refuses, and any response that is not the documented shape, is a {@link DataException} naming
 * the symbol and what Bybit said.
 */
public final class BybitClient {

    public static final String DEFAULT_BASE_URL = "https://api.bybit.com";

    /** Kline intervals Bybit accepts: minutes, then day, week and month. */
    public static final List<String> INTERVALS =
            List.of("1", "3", "5", "15", "30", "60", "120", "240", "360", "720", "D", "W", "M");

    /** Market categories this client reads; funding exists for {@code linear} (perpetual contracts) only. */
    public static final List<String> CATEGORIES = List.of("spot", "linear");

    /** Bybit's largest page sizes. */
    static final int KLINE_PAGE = 1000;
    static final int FUNDING_PAGE = 200;

    static final int MAX_ATTEMPTS = 5;
    static final Duration BASE_DELAY = Duration.ofMillis(500);
    static final double JITTER = 0.25;
    /** A server asking for a longer pause than this is reported rather than waited for. */
    static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);

    private static final Duration MAX_DELAY = Duration.ofSeconds(8);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Bybit's rate-limit code, sent with HTTP 200; waiting and asking again is the documented remedy. */
    private static final int TOO_MANY_VISITS = 10006;
    private static final int BAD_PARAMETERS = 10001;
    private static final int MAX_SHOWN = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final String base;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final RetryPolicy<Reply> retryPolicy;

    /** A client for the given base URL (e.g. {@link #DEFAULT_BASE_URL}) that sleeps between retries. */
    public BybitClient(URI baseUrl) {
        this(baseUrl, d -> Thread.sleep(d.toMillis()));
    }

    public BybitClient(URI baseUrl, Sleeper sleeper) {
        String scheme = baseUrl.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("the base URL must look like https://host[:port], not " + baseUrl);
        }
        String text = baseUrl.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.retryPolicy = RetryPolicy.<Reply>builder()
                .handle(IOException.class)
                .handleResultIf(Reply::transientFailure)
                .withBackoff(BASE_DELAY, MAX_DELAY)
                .withJitter(JITTER)
                .withMaxAttempts(MAX_ATTEMPTS)
                .build();
    }

    /**
     * Klines with open times in {@code [start, end)}, oldest first.
     *
     * @param category {@code spot} or {@code linear}
     * @param interval one of {@link #INTERVALS}
     * @param progress told the number of rows so far after each page
     */
    public List<Kline> klines(String category, String symbol, String interval, Instant start, Instant end,
                              IntConsumer progress) throws InterruptedException {
        if (!CATEGORIES.contains(category)) {
            throw new IllegalArgumentException("unknown category " + category + ", expected one of " + CATEGORIES);
        }
        if (!INTERVALS.contains(interval)) {
            throw new IllegalArgumentException("unknown interval " + interval + ", expected one of " + INTERVALS);
        }
        checkRange(symbol, start, end);
        String what = "Bybit " + category + " " + symbol + " klines (interval " + interval + ")";
        long startMs = start.toEpochMilli();
        return pageBackwards(what, startMs, end.toEpochMilli() - 1,
                endMs -> uri("/v5/market/kline", Map.of("category", category, "symbol", symbol,
                        "interval", interval, "start", startMs, "end", endMs, "limit", KLINE_PAGE)),
                item -> kline(item, what), Kline::openTime, progress);
    }

    /** Funding settlements of a linear (perpetual) contract with times in {@code [start, end)}, oldest first. */
    public List<FundingRate> fundingRates(String symbol, Instant start, Instant end, IntConsumer progress)
            throws InterruptedException {
        checkRange(symbol, start, end);
        String what = "Bybit linear " + symbol + " funding history";
        long startMs = start.toEpochMilli();
        return pageBackwards(what, startMs, end.toEpochMilli() - 1,
                endMs -> uri("/v5/market/funding/history", Map.of("category", "linear", "symbol", symbol,
                        "startTime", startMs, "endTime", endMs, "limit", FUNDING_PAGE)),
                item -> funding(item, what), FundingRate::time, progress);
    }

    private static void checkRange(String symbol, Instant start, Instant end) {
        if (symbol.isBlank()) {
            throw new IllegalArgumentException("blank symbol");
        }
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("start " + start + " is not before end " + end);
        }
    }

    /** Reads pages newest first, each ending just before the oldest row of the one before; see the class comment. */
    private <T> List<T> pageBackwards(String what, long startMs, long endMs, LongFunction<URI> pageEndingAt,
                                      Function<JsonNode, T> parse, ToLongFunction<T> timeOf, IntConsumer progress)
            throws InterruptedException {
        TreeMap<Long, T> rows = new TreeMap<>(); // sorted, and one row per time however the pages overlap
        long end = endMs;
        while (true) {
            JsonNode page = list(pageEndingAt.apply(end), what);
            long oldest = Long.MAX_VALUE;
            for (JsonNode item : page) {
                T row = parse.apply(item);
                long t = timeOf.applyAsLong(row);
                oldest = Math.min(oldest, t);
                if (t >= startMs && t <= endMs) {
                    rows.putIfAbsent(t, row);
                }
            }
            progress.accept(rows.size());
            // Stop at the start, on an empty page, or on a page holding nothing older than asked for (only overlap):
            // the last two mean Bybit has no earlier data, e.g. before a symbol was listed.
            if (oldest <= startMs || oldest > end) {
                break;
            }
            end = oldest - 1;
        }
        return new ArrayList<>(rows.values());
    }

    private URI uri(String path, Map<String, Object> query) {
        StringBuilder s = new StringBuilder(base).append(path);
        char sep = '?';
        // A fixed parameter order keeps URLs readable in messages and logs.
        for (String key : List.of("category", "symbol", "interval", "start", "end", "startTime", "endTime", "limit")) {
            Object value = query.get(key);
            if (value != null) {
                s.append(sep).append(key).append('=')
                        .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return URI.create(s.toString());
    }

    /** One GET with retries; returns {@code result.list} of a {@code retCode} 0 answer or throws saying why not. */
    private JsonNode list(URI uri, String what) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("Accept-Encoding", "gzip")
                .GET()
                .build();
        Execution<Reply> execution = Execution.of(retryPolicy);
        Reply reply;
        IOException failure;
        while (true) {
            reply = null;
            failure = null;
            try {
                reply = Reply.of(http.send(request, HttpResponse.BodyHandlers.ofByteArray()));
                execution.recordResult(reply);
            } catch (IOException e) {
                failure = e;
                execution.recordException(e);
            }
            if (execution.isComplete()) {
                break;
            }
            Duration wait = execution.getDelay();
            if (reply != null && reply.retryAfter().compareTo(wait) > 0) {
                if (reply.retryAfter().compareTo(MAX_RETRY_AFTER) > 0) {
                    throw new DataException(what + ": Bybit answered HTTP " + reply.status() + " and asked to wait "
                            + reply.retryAfter().toSeconds() + " s before retrying; try again later (" + uri + ")");
                }
                wait = reply.retryAfter(); // a floor: retrying sooner than asked only earns another 429
            }
            sleeper.sleep(wait);
        }

        int attempts = execution.getAttemptCount();
        String tries = attempts > 1 ? " after " + attempts + " attempts" : "";
        if (failure != null) {
            throw new DataException(what + ": cannot reach Bybit" + tries + ": " + describe(failure) + " (" + uri + ")",
                    failure);
        }
        if (reply.status() != 200) {
            throw new DataException(what + ": HTTP " + reply.status() + tries + " from " + uri + ": "
                    + shown(reply.text()));
        }
        JsonNode json = reply.json();
        if (json == null) {
            throw malformed(what, reply.problem() + " (" + uri + ")");
        }
        JsonNode code = json.get("retCode");
        if (code == null || !code.canConvertToInt()) {
            throw malformed(what, "no retCode in " + shown(reply.text()) + " (" + uri + ")");
        }
        if (code.asInt() != 0) {
            String hint = code.asInt() == BAD_PARAMETERS ? "; Bybit's code for bad parameters: check the symbol "
                    + "exists in this category and the interval and dates" : "";
            throw new DataException(what + ": Bybit refused the request" + tries + ": retCode " + code.asInt() + " \""
                    + json.path("retMsg").asText() + "\"" + hint + " (" + uri + ")");
        }
        JsonNode list = json.path("result").path("list");
        if (!list.isArray()) {
            throw malformed(what, "no result.list array in " + shown(reply.text()) + " (" + uri + ")");
        }
        return list;
    }

    private static Kline kline(JsonNode item, String what) {
        if (!item.isArray() || item.size() < 7) {
            throw malformed(what, "a kline is not an array of 7 values: " + shown(item.toString()));
        }
        return new Kline(time(item.get(0), what), number(item.get(1), "open", what),
                number(item.get(2), "high", what), number(item.get(3), "low", what),
                number(item.get(4), "close", what), number(item.get(5), "volume", what),
                number(item.get(6), "turnover", what));
    }

    private static FundingRate funding(JsonNode item, String what) {
        if (!item.isObject()) {
            throw malformed(what, "a funding entry is not an object: " + shown(item.toString()));
        }
        return new FundingRate(time(item.path("fundingRateTimestamp"), what),
                number(item.path("fundingRate"), "fundingRate", what));
    }

    private static long time(JsonNode node, String what) {
        try {
            return Long.parseLong(scalar(node, "time", what));
        } catch (NumberFormatException e) {
            throw malformed(what, "the time " + shown(node.toString()) + " is not epoch milliseconds");
        }
    }

    /** The decimal text of a number; checked so that the CSV never carries junk that loads as a missing value. */
    private static String number(JsonNode node, String name, String what) {
        String text = scalar(node, name, what);
        try {
            new BigDecimal(text); // rejects NaN, Infinity and anything else that is not a plain decimal
            return text;
        } catch (NumberFormatException e) {
            throw malformed(what, name + " " + shown(node.toString()) + " is not a number");
        }
    }

    private static String scalar(JsonNode node, String name, String what) {
        if (!node.isTextual() && !node.isNumber()) {
            throw malformed(what, name + " is missing or not a string: " + shown(node.toString()));
        }
        return node.asText().trim();
    }

    /** The JDK's client often wraps the telling message ("Connection refused") in a cause. */
    private static String describe(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        return e.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static DataException malformed(String what, String detail) {
        return new DataException(what + ": Bybit sent a malformed response: " + detail);
    }

    /** Response text for a message: one line, cut short so an HTML error page can't flood the terminal. */
    static String shown(String text) {
        String s = text.replaceAll("\\s+", " ").trim();
        return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "..." : s;
    }

    /** One HTTP exchange: status, the server's Retry-After, the body, and the body as JSON when it parses. */
    private record Reply(int status, Duration retryAfter, String text, JsonNode json, String problem) {

        static Reply of(HttpResponse<byte[]> response) {
            Duration retryAfter = retryAfter(response.headers().firstValue("Retry-After").orElse(""));
            byte[] body = response.body();
            try {
                if (response.headers().firstValue("Content-Encoding").orElse("").equalsIgnoreCase("gzip")) {
                    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                        body = in.readAllBytes();
                    }
                }
            } catch (IOException e) {
                return new Reply(response.statusCode(), retryAfter, "", null, "cannot decompress the body: " + e);
            }
            String text = new String(body, StandardCharsets.UTF_8);
            if (response.statusCode() != 200) {
                return new Reply(response.statusCode(), retryAfter, text, null, "HTTP " + response.statusCode());
            }
            try {
                JsonNode json = JSON.readTree(body);
                if (!json.isObject()) {
                    return new Reply(200, retryAfter, text, null, "not a JSON object: " + shown(text));
                }
                return new Reply(200, retryAfter, text, json, null);
            } catch (IOException e) {
                return new Reply(200, retryAfter, text, null, "not JSON: " + shown(text));
            }
        }

        /** Seconds form only; an HTTP-date or junk falls back to the backoff. */
        private static Duration retryAfter(String header) {
            String h = header.trim();
            if (h.isEmpty() || h.length() > 9 || !h.chars().allMatch(Character::isDigit)) {
                return Duration.ZERO;
            }
            return Duration.ofSeconds(Long.parseLong(h));
        }

        boolean transientFailure() {
            return status == 429 || status >= 500
                    || (json != null && json.path("retCode").asInt() == TOO_MANY_VISITS);
        }
    }
}
