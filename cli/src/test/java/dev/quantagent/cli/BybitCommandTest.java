package dev.quantagent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.quantagent.evaluator.data.PanelCsv;
import dev.quantagent.sandbox.Panel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BybitCommandTest {

    private static final long T0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /**
     * A tiny Bybit: hourly klines for BTCUSDT and ETHUSDT over 2024-01-01 and -02, funding every 8 hours for BTCUSDT,
     * answered newest first within [start, end] as the real one does.
     */
    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v5/market/kline", e -> answer(e, q -> {
            if (!q.get("symbol").equals("BTCUSDT") && !q.get("symbol").equals("ETHUSDT")) {
                return null;
            }
            int base = q.get("symbol").equals("BTCUSDT") ? 42000 : 2300;
            List<String> rows = new ArrayList<>();
            for (int i = 47; i >= 0; i--) {
                long t = T0 + i * HOUR;
                if (t >= Long.parseLong(q.get("start")) && t <= Long.parseLong(q.get("end"))) {
                    rows.add("[\"" + t + "\",\"" + (base + i) + "\",\"" + (base + i + 5) + "\",\"" + (base + i - 5)
                            + "\",\"" + (base + i + 1) + "\",\"12.5\",\"" + (base * 10) + "\"]");
                }
            }
            return rows;
        }));
        server.createContext("/v5/market/funding/history", e -> answer(e, q -> {
            List<String> rows = new ArrayList<>();
            if (q.get("symbol").equals("BTCUSDT")) {
                for (int i = 5; i >= 0; i--) {
                    long t = T0 + i * 8 * HOUR;
                    if (t >= Long.parseLong(q.get("startTime")) && t <= Long.parseLong(q.get("endTime"))) {
                        rows.add("{\"symbol\":\"BTCUSDT\",\"fundingRate\":\"0.000" + (i + 1)
                                + "\",\"fundingRateTimestamp\":\"" + t + "\"}");
                    }
                }
            }
            return rows;
        }));
        server.start();
    }

    private interface Page {
        /** The list items for a query, or null for an unknown symbol. */
        List<String> rows(Map<String, String> query);
    }

    private void answer(HttpExchange exchange, Page page) throws IOException {
        requests.incrementAndGet();
        Map<String, String> query = new HashMap<>();
        for (String pair : exchange.getRequestURI().getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv[1]);
        }
        List<String> rows = page.rows(query);
        String body = rows == null
                ? "{\"retCode\":10001,\"retMsg\":\"Not supported symbols\",\"result\":{},\"time\":1}"
                : "{\"retCode\":0,\"retMsg\":\"OK\",\"result\":{\"category\":\"" + query.get("category")
                        + "\",\"list\":[" + String.join(",", rows) + "]},\"time\":1}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static List<String> gunzippedLines(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
    }

    @Test
    void downloadsKlinesWithFundingForSeveralSymbolsIntoOneGzippedCsv() throws IOException {
        Path out = dir.resolve("bybit.csv.gz");

        CliRun r = run("data", "bybit", "--symbol", "ethusdt,BTCUSDT", "--interval", "60", "--start", "2024-01-01",
                "--end", "2024-01-02", "--category", "linear", "--funding", "--out", out.toString(),
                "--base-url", baseUrl());

        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("ETHUSDT: 24 klines so far"), r.err());
        assertTrue(r.err().contains("BTCUSDT: 3 of 3 funding rates fall on a kline open time"), r.err());
        assertTrue(r.err().contains("wrote 48 rows for 2 symbols to " + out), r.err());
        List<String> lines = gunzippedLines(out);
        assertEquals(49, lines.size());
        assertEquals("timestamp,symbol,open,high,low,close,volume,turnover,funding_rate", lines.get(0));
        assertEquals("2024-01-01T00:00:00Z,BTCUSDT,42000,42005,41995,42001,12.5,420000,0.0001", lines.get(1));
        assertEquals("2024-01-01T01:00:00Z,BTCUSDT,42001,42006,41996,42002,12.5,420000,", lines.get(2));
        assertEquals("2024-01-01T08:00:00Z,BTCUSDT,42008,42013,42003,42009,12.5,420000,0.0002", lines.get(9));
        assertEquals("2024-01-01T23:00:00Z,BTCUSDT,42023,42028,42018,42024,12.5,420000,", lines.get(24));
        assertEquals("2024-01-01T00:00:00Z,ETHUSDT,2300,2305,2295,2301,12.5,23000,", lines.get(25));

        Panel p = PanelCsv.read(out);
        assertEquals(2, p.assetCount());
        assertEquals(24, p.dateCount());
        assertEquals(0.0003, p.value("funding_rate", 16, 0));
    }

    @Test
    void badIntervalIsRejectedWithExitCodeTwoBeforeAnyRequest() {
        CliRun r = run("data", "bybit", "--symbol", "BTCUSDT", "--interval", "2h", "--start", "2024-01-01",
                "--end", "2024-03-01", "--out", dir.resolve("x.csv").toString(), "--base-url", baseUrl());

        assertEquals(2, r.code());
        assertEquals("error: --interval: unknown interval '2h', expected one of 1 3 5 15 30 60 120 240 360 720 D W M"
                + " (minutes, or D, W, M for day, week, month)\n", r.err());
        assertEquals(0, requests.get());
        assertFalse(Files.exists(dir.resolve("x.csv")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "BTCUSDT  | 60 | 2024-03-01 | 2024-01-01 | spot   | false | --start 2024-03-01 is not before --end 2024-01-01",
        "BTCUSDT  | 60 | 2024-01-01 | 2024-01-01 | spot   | false | is not before --end",
        "BTCUSDT  | 60 | 2024-13-01 | 2024-03-01 | spot   | false | --start: cannot read the date '2024-13-01'",
        "BTCUSDT  | 60 | 2024-01-01 | yesterday  | spot   | false | --end: cannot read the date 'yesterday'",
        "','      | 60 | 2024-01-01 | 2024-03-01 | spot   | false | --symbol: no symbols given",
        "''       | 60 | 2024-01-01 | 2024-03-01 | spot   | false | --symbol: no symbols given",
        "BTC/USDT | 60 | 2024-01-01 | 2024-03-01 | spot   | false | --symbol: 'BTC/USDT' is not a Bybit symbol",
        "BTCUSDT  | 60 | 2024-01-01 | 2024-03-01 | spot   | true  | --funding: funding rates exist for perpetual",
        "BTCUSDT  | 60 | 2024-01-01 | 2024-03-01 | option | false | --category: unknown category 'option'",
        "BTCUSDT  | d  | 2024-01-01 | 2024-03-01 | spot   | false | --interval: unknown interval 'd'",
    })
    void badInputIsRejectedWithExitCodeTwoAndSaysWhatIsWrong(String symbols, String interval, String start,
                                                             String end, String category, boolean funding,
                                                             String message) {
        List<String> args = new ArrayList<>(List.of("data", "bybit", "--symbol", symbols, "--interval", interval,
                "--start", start, "--end", end, "--category", category, "--out", dir.resolve("x.csv").toString(),
                "--base-url", baseUrl()));
        if (funding) {
            args.add("--funding");
        }
        CliRun r = run(args.toArray(new String[0]));

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().contains(message), r.err());
        assertEquals(0, requests.get());
    }

    @Test
    void aSymbolBybitDoesNotKnowIsABadInputNamingIt() {
        CliRun r = run("data", "bybit", "--symbol", "BTCUSDT,NOPEUSDT", "--interval", "60", "--start", "2024-01-01",
                "--end", "2024-01-02", "--out", dir.resolve("x.csv").toString(), "--base-url", baseUrl());

        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("error: Bybit spot NOPEUSDT klines (interval 60): Bybit refused the request: "
                + "retCode 10001 \"Not supported symbols\""), r.err());
        assertFalse(Files.exists(dir.resolve("x.csv"))); // nothing half-written
    }

    @Test
    void dataWithoutASubcommandListsBybit() {
        CliRun r = run("data");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("bybit"), r.out());
    }

    @Test
    void helpDocumentsTheFundingJoin() {
        CliRun r = run("data", "bybit", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().replaceAll("\\s+", " ").contains("the funding_rate column holds each funding settlement's rate "
                + "on the row whose open time equals the settlement time"), r.out());
    }
}
