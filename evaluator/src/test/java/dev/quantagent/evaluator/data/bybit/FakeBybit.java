package dev.quantagent.evaluator.data.bybit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * A local stand-in for Bybit's v5 market endpoints, on 127.0.0.1 and a free port, replaying the documented shapes:
 * rows with times in {@code [start, end]}, newest first, at most {@code limit}. Optionally it also sends the row just
 * after {@code end} (pages that overlap by one row) and gzips when asked. Scripted faults are served first, one per
 * request.
 */
final class FakeBybit implements AutoCloseable {

    /** A canned answer served instead of data. */
    record Fault(int status, String body, String retryAfter) {
        static Fault status(int status) {
            return new Fault(status, "{\"error\":\"" + status + "\"}", null);
        }

        static Fault body(String body) {
            return new Fault(200, body, null);
        }
    }

    /** What a request asked for. */
    record Request(String path, Map<String, String> query, String acceptEncoding) {
        long longParam(String name) {
            return Long.parseLong(query.get(name));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    final Map<String, TreeMap<Long, String[]>> klines = new HashMap<>();
    final Map<String, TreeMap<Long, String>> funding = new HashMap<>();
    final Deque<Fault> faults = new ArrayDeque<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    volatile boolean overlap;
    volatile boolean gzip;

    FakeBybit() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Map<String, String> query = new HashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            String path = exchange.getRequestURI().getPath();
            Request request = new Request(path, query, exchange.getRequestHeaders().getFirst("Accept-Encoding"));
            requests.add(request);
            Fault fault;
            synchronized (faults) {
                fault = faults.poll();
            }
            if (fault != null) {
                if (fault.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", fault.retryAfter());
                }
                send(exchange, request, fault.status(), fault.body());
                return;
            }
            switch (path) {
                case "/v5/market/kline":
                    send(exchange, request, 200, klinePage(query));
                    break;
                case "/v5/market/funding/history":
                    send(exchange, request, 200, fundingPage(query));
                    break;
                default:
                    send(exchange, request, 404, "not found");
            }
        } finally {
            exchange.close();
        }
    }

    private String klinePage(Map<String, String> q) {
        TreeMap<Long, String[]> data = klines.get(q.get("symbol"));
        if (data == null) {
            return "{\"retCode\":10001,\"retMsg\":\"Not supported symbols\",\"result\":{},\"time\":1}";
        }
        ArrayNode list = JSON.createArrayNode();
        for (String[] row : page(data, Long.parseLong(q.get("start")), Long.parseLong(q.get("end")),
                Integer.parseInt(q.get("limit")))) {
            ArrayNode r = list.addArray();
            for (String cell : row) {
                r.add(cell);
            }
        }
        ObjectNode result = JSON.createObjectNode().put("symbol", q.get("symbol")).put("category", q.get("category"));
        result.set("list", list);
        return answer(result);
    }

    private String fundingPage(Map<String, String> q) {
        TreeMap<Long, String> data = funding.get(q.get("symbol"));
        if (data == null || !"linear".equals(q.get("category"))) {
            return "{\"retCode\":10001,\"retMsg\":\"params error\",\"result\":{},\"time\":1}";
        }
        ArrayNode list = JSON.createArrayNode();
        TreeMap<Long, String[]> rows = new TreeMap<>();
        data.forEach((t, rate) -> rows.put(t, new String[] {Long.toString(t), rate}));
        for (String[] row : page(rows, Long.parseLong(q.get("startTime")), Long.parseLong(q.get("endTime")),
                Integer.parseInt(q.get("limit")))) {
            list.addObject().put("symbol", q.get("symbol")).put("fundingRate", row[1])
                    .put("fundingRateTimestamp", row[0]);
        }
        ObjectNode result = JSON.createObjectNode().put("category", "linear");
        result.set("list", list);
        return answer(result);
    }

    /** Rows in [start, end] (plus the next one when overlapping), newest first, at most limit. */
    private List<String[]> page(TreeMap<Long, String[]> data, long start, long end, int limit) {
        List<String[]> rows = new ArrayList<>();
        Map.Entry<Long, String[]> after = data.higherEntry(end);
        if (overlap && after != null) {
            rows.add(after.getValue());
        }
        NavigableMap<Long, String[]> range = data.subMap(start, true, end, true).descendingMap();
        for (String[] row : range.values()) {
            if (rows.size() == limit) {
                break;
            }
            rows.add(row);
        }
        return rows;
    }

    private static String answer(ObjectNode result) {
        ObjectNode o = JSON.createObjectNode().put("retCode", 0).put("retMsg", "OK");
        o.set("result", result);
        o.set("retExtInfo", JSON.createObjectNode());
        o.put("time", 1_704_067_200_000L);
        return o.toString();
    }

    private void send(HttpExchange exchange, Request request, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (gzip && request.acceptEncoding() != null && request.acceptEncoding().contains("gzip")) {
            ByteArrayOutputStream zipped = new ByteArrayOutputStream();
            try (OutputStream z = new GZIPOutputStream(zipped)) {
                z.write(bytes);
            }
            bytes = zipped.toByteArray();
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
