package dev.quantagent.evaluator.data.bybit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.evaluator.data.DataException;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BybitClientTest {

    static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
    static final long HOUR = 3_600_000L;
    static final long EIGHT_HOURS = 8 * HOUR;

    private FakeBybit bybit;
    private final List<Duration> sleeps = new ArrayList<>();
    private final List<Integer> progress = new ArrayList<>();
    private BybitClient client;

    @BeforeEach
    void start() throws IOException {
        bybit = new FakeBybit();
        client = new BybitClient(bybit.uri(), sleeps::add);
    }

    @AfterEach
    void stop() {
        bybit.close();
    }

    /** The i-th hourly candle from T0, with values that differ per row and per column. */
    static String[] candle(int i) {
        long t = T0.toEpochMilli() + i * HOUR;
        return new String[] {Long.toString(t), (42000 + i) + ".5", (42100 + i) + ".25", (41900 + i) + ".75",
                (42001 + i) + ".125", i + ".001", (i * 1000) + ".5"};
    }

    static TreeMap<Long, String[]> candles(int from, int count) {
        TreeMap<Long, String[]> rows = new TreeMap<>();
        for (int i = from; i < from + count; i++) {
            rows.put(T0.toEpochMilli() + i * HOUR, candle(i));
        }
        return rows;
    }

    private static Instant hours(int h) {
        return T0.plusMillis(h * HOUR);
    }

    private List<Kline> hourly(String symbol, int hours) throws InterruptedException {
        return client.klines("spot", symbol, "60", T0, hours(hours), progress::add);
    }

    private static void assertCandles(List<Kline> klines, int from, int count) {
        assertEquals(count, klines.size());
        for (int j = 0; j < count; j++) {
            String[] c = candle(from + j);
            Kline k = klines.get(j);
            assertEquals(new Kline(Long.parseLong(c[0]), c[1], c[2], c[3], c[4], c[5], c[6]), k, "row " + j);
        }
    }

    private static void assertMessageHas(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
        }
    }

    @Test
    void paginatesBackwardsUntilTheStartAndDropsOverlappingRows() throws Exception {
        bybit.klines.put("BTCUSDT", candles(0, 2_600)); // data past the end too: it must not leak in
        bybit.overlap = true;

        List<Kline> klines = hourly("BTCUSDT", 2_500);

        assertCandles(klines, 0, 2_500); // oldest first, every hour once
        assertEquals(3, bybit.requests.size());
        long end = hours(2_500).toEpochMilli() - 1;
        // Each page ends just before the oldest row of the one before: 2500..1501, 1501..502, 502..0.
        List<Long> ends = List.of(end, hours(1_501).toEpochMilli() - 1, hours(502).toEpochMilli() - 1);
        for (int p = 0; p < 3; p++) {
            FakeBybit.Request r = bybit.requests.get(p);
            assertEquals("/v5/market/kline", r.path());
            assertEquals("spot", r.query().get("category"));
            assertEquals("BTCUSDT", r.query().get("symbol"));
            assertEquals("60", r.query().get("interval"));
            assertEquals("1000", r.query().get("limit"));
            assertEquals(T0.toEpochMilli(), r.longParam("start"));
            assertEquals(ends.get(p), r.longParam("end"));
        }
        assertEquals(List.of(999, 1_998, 2_500), progress);
        assertEquals(List.of(), sleeps);
    }

    @Test
    void stopsWhenBybitHasNothingOlderThanTheLastPage() throws Exception {
        bybit.klines.put("NEWUSDT", candles(100, 150)); // listed 100 hours after the start
        bybit.overlap = true;

        List<Kline> klines = hourly("NEWUSDT", 1_000);

        assertCandles(klines, 100, 150);
        // The second page holds only the overlapping row: nothing older exists, so no third request.
        assertEquals(2, bybit.requests.size());
    }

    @Test
    void stopsOnAnEmptyPage() throws Exception {
        bybit.klines.put("NEWUSDT", candles(100, 150));

        assertCandles(hourly("NEWUSDT", 1_000), 100, 150);
        assertEquals(2, bybit.requests.size());
        assertEquals(hours(100).toEpochMilli() - 1, bybit.requests.get(1).longParam("end"));
    }

    @Test
    void retriesA429NoSoonerThanItsRetryAfterThenSucceeds() throws Exception {
        bybit.klines.put("BTCUSDT", candles(0, 24));
        bybit.faults.add(new FakeBybit.Fault(429, "{\"error\":\"rate limited\"}", "2"));

        assertCandles(hourly("BTCUSDT", 24), 0, 24);
        assertEquals(List.of(Duration.ofSeconds(2)), sleeps); // longer than the first backoff, so it wins
        assertEquals(2, bybit.requests.size());
    }

    @Test
    void retriesA503WithExponentialBackoffAndJitterThenSucceeds() throws Exception {
        bybit.klines.put("BTCUSDT", candles(0, 24));
        bybit.faults.add(FakeBybit.Fault.status(503));
        bybit.faults.add(FakeBybit.Fault.status(502));

        assertCandles(hourly("BTCUSDT", 24), 0, 24);
        assertEquals(2, sleeps.size());
        assertBetween(375, 625, sleeps.get(0));   // 500 ms ± 25%
        assertBetween(750, 1_250, sleeps.get(1)); // doubled
        assertEquals(3, bybit.requests.size());
    }

    private static void assertBetween(long lowMillis, long highMillis, Duration d) {
        assertTrue(d.toMillis() >= lowMillis && d.toMillis() <= highMillis, () -> d + " not in [" + lowMillis + ", "
                + highMillis + "] ms");
    }

    @Test
    void retriesBybitsTooManyVisitsCode() throws Exception {
        bybit.klines.put("BTCUSDT", candles(0, 24));
        bybit.faults.add(FakeBybit.Fault.body("{\"retCode\":10006,\"retMsg\":\"Too many visits!\",\"result\":{}}"));

        assertCandles(hourly("BTCUSDT", 24), 0, 24);
        assertEquals(1, sleeps.size());
    }

    @Test
    void givesUpAfterFiveAttemptsAndSaysWhatFailed() {
        for (int i = 0; i < 6; i++) {
            bybit.faults.add(new FakeBybit.Fault(503, "<html><body>\n<h1>Service Unavailable</h1></body></html>",
                    null));
        }
        DataException e = assertThrows(DataException.class, () -> hourly("BTCUSDT", 24));
        assertMessageHas(e, "BTCUSDT", "HTTP 503 after 5 attempts", "<h1>Service Unavailable</h1>");
        assertEquals(5, bybit.requests.size());
        assertEquals(4, sleeps.size());
        assertBetween(3_000, 5_000, sleeps.get(3)); // 500 ms doubled three times, ± 25%
    }

    @Test
    void reportsARetryAfterOverAMinuteInsteadOfWaiting() {
        bybit.faults.add(new FakeBybit.Fault(429, "{}", "3600"));

        DataException e = assertThrows(DataException.class, () -> hourly("BTCUSDT", 24));
        assertMessageHas(e, "BTCUSDT", "HTTP 429", "wait 3600 s");
        assertEquals(List.of(), sleeps);
    }

    @Test
    void retriesNetworkErrorsThenReportsTheServerUnreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed below: connections to it are refused
        }
        BybitClient unreachable = new BybitClient(URI.create("http://127.0.0.1:" + port), sleeps::add);

        DataException e = assertThrows(DataException.class,
                () -> unreachable.klines("linear", "BTCUSDT", "D", T0, hours(48), n -> { }));
        assertMessageHas(e, "Bybit linear BTCUSDT klines (interval D)", "cannot reach Bybit after 5 attempts: ConnectException");
        assertEquals(4, sleeps.size());
    }

    @Test
    void reportsRetCode10001WithTheSymbolAndBybitsMessageWithoutRetrying() {
        DataException e = assertThrows(DataException.class, () -> hourly("NOPEUSDT", 24));
        assertMessageHas(e, "NOPEUSDT", "retCode 10001", "\"Not supported symbols\"", "check the symbol");
        assertEquals(1, bybit.requests.size());
        assertEquals(List.of(), sleeps);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"list\":[[\"1704067200000\",\"1\"",
        "<html>gateway</html>",
        "[]",
        "{\"retMsg\":\"OK\"}",
        "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{}}",
        "{\"retCode\":0,\"result\":{\"list\":[{\"open\":\"1\"}]}}",
        "{\"retCode\":0,\"result\":{\"list\":[[\"1704067200000\",\"1\",\"2\",\"0.5\",\"abc\",\"3\",\"4\"]]}}",
        "{\"retCode\":0,\"result\":{\"list\":[[\"yesterday\",\"1\",\"2\",\"0.5\",\"1\",\"3\",\"4\"]]}}",
        "{\"retCode\":0,\"result\":{\"list\":[[\"1704067200000\",\"NaN\",\"2\",\"0.5\",\"1\",\"3\",\"4\"]]}}",
    })
    void reportsMalformedResponsesNamingTheSymbol(String body) {
        bybit.faults.add(FakeBybit.Fault.body(body));

        DataException e = assertThrows(DataException.class, () -> hourly("ETHUSDT", 24));
        assertMessageHas(e, "Bybit spot ETHUSDT klines", "malformed");
        assertEquals(1, bybit.requests.size()); // a well-formed answer would not come by asking again
    }

    @Test
    void readsGzipCompressedResponses() throws Exception {
        bybit.klines.put("BTCUSDT", candles(0, 1_500));
        bybit.gzip = true;

        assertCandles(hourly("BTCUSDT", 1_500), 0, 1_500);
        assertEquals("gzip", bybit.requests.get(0).acceptEncoding());
    }

    @Test
    void pagesFundingHistoryBackwards200AtATime() throws Exception {
        TreeMap<Long, String> rates = new TreeMap<>();
        for (int i = -3; i < 460; i++) { // settlements before the start and after the end are left out
            rates.put(T0.toEpochMilli() + i * EIGHT_HOURS, "0.000" + (100 + i));
        }
        bybit.funding.put("BTCUSDT", rates);
        bybit.overlap = true;

        List<FundingRate> got = client.fundingRates("BTCUSDT", T0, T0.plusMillis(450 * EIGHT_HOURS), progress::add);

        assertEquals(450, got.size());
        for (int i = 0; i < 450; i++) {
            assertEquals(new FundingRate(T0.toEpochMilli() + i * EIGHT_HOURS, "0.000" + (100 + i)), got.get(i));
        }
        assertEquals(3, bybit.requests.size());
        FakeBybit.Request first = bybit.requests.get(0);
        assertEquals("/v5/market/funding/history", first.path());
        assertEquals("linear", first.query().get("category"));
        assertEquals("200", first.query().get("limit"));
        assertEquals(T0.toEpochMilli(), first.longParam("startTime"));
        assertEquals(T0.toEpochMilli() + 450 * EIGHT_HOURS - 1, first.longParam("endTime"));
        assertEquals(T0.toEpochMilli() + 251 * EIGHT_HOURS - 1, bybit.requests.get(1).longParam("endTime"));
        assertEquals(450, progress.get(progress.size() - 1));
    }

    @Test
    void rejectsArgumentsBybitWouldRefuseBeforeAnyRequest() {
        assertThrows(IllegalArgumentException.class,
                () -> client.klines("spot", "BTCUSDT", "2", T0, hours(1), n -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> client.klines("option", "BTCUSDT", "60", T0, hours(1), n -> { }));
        assertThrows(IllegalArgumentException.class,
                () -> client.klines("spot", "BTCUSDT", "60", hours(1), T0, n -> { }));
        assertEquals(0, bybit.requests.size());
    }
}
