package dev.quantagent.evaluator.data.bybit;

import static dev.quantagent.evaluator.data.bybit.BybitClientTest.HOUR;
import static dev.quantagent.evaluator.data.bybit.BybitClientTest.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.evaluator.data.PanelCsv;
import dev.quantagent.sandbox.Panel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BybitCsvTest {

    @TempDir
    Path dir;

    private static Kline kline(int i) {
        String[] c = BybitClientTest.candle(i);
        return new Kline(Long.parseLong(c[0]), c[1], c[2], c[3], c[4], c[5], c[6]);
    }

    /** The CSV line of candle i: ISO time, symbol, then the values exactly as Bybit sent them. */
    private static String line(int i, String symbol) {
        String[] c = BybitClientTest.candle(i);
        return T0.plusMillis(i * HOUR) + "," + symbol + "," + String.join(",", List.of(c).subList(1, 7));
    }

    private static List<String> lines(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            InputStream text = file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
            return List.of(new String(text.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1));
        }
    }

    @Test
    void writesOneRowPerSymbolAndTimeSortedBySymbolThenTimeThatPanelCsvReads() throws IOException {
        Map<String, List<Kline>> klines = new LinkedHashMap<>();
        klines.put("ETHUSDT", List.of(kline(2), kline(0), kline(1), kline(1)));
        klines.put("BTCUSDT", List.of(kline(1), kline(0)));
        Path out = dir.resolve("bybit.csv");

        assertEquals(5, BybitCsv.write(out, klines, null));

        assertEquals(List.of(
                "timestamp,symbol,open,high,low,close,volume,turnover",
                "2024-01-01T00:00:00Z,BTCUSDT,42000.5,42100.25,41900.75,42001.125,0.001,0.5",
                line(1, "BTCUSDT"),
                line(0, "ETHUSDT"),
                line(1, "ETHUSDT"),
                line(2, "ETHUSDT"),
                ""), lines(out));

        Panel p = PanelCsv.read(out);
        assertEquals(2, p.assetCount());
        assertEquals("BTCUSDT", p.symbol(0));
        assertEquals(3, p.dateCount());
        assertEquals(T0.getEpochSecond() + 3600, p.date(1));
        assertEquals(Set.of("open", "high", "low", "close", "volume", "turnover"), p.fieldNames());
        assertEquals(42002.125, p.value("close", 1, 0));
        assertTrue(Double.isNaN(p.value("close", 2, 0))); // BTCUSDT has no third hour
        assertEquals(2000.5, p.value("turnover", 2, 1));
    }

    @Test
    void joinsFundingRatesOntoKlinesWhoseOpenTimeEqualsTheSettlementTime() throws IOException {
        List<Kline> day = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            day.add(kline(i));
        }
        Map<String, List<Kline>> klines = Map.of("BTCUSDT", day, "ETHUSDT", day.subList(0, 2));
        long t0 = T0.toEpochMilli();
        Map<String, List<FundingRate>> funding = Map.of("BTCUSDT", List.of(
                new FundingRate(t0, "0.0001"),
                new FundingRate(t0 + 8 * HOUR, "-0.00005"),
                new FundingRate(t0 + 8 * HOUR + 1, "0.9"), // on no kline's open time: not shown
                new FundingRate(t0 + 16 * HOUR, "0.000125"),
                new FundingRate(t0 + 24 * HOUR, "0.0002"))); // after the last kline
        Path out = dir.resolve("funding.csv");

        assertEquals(26, BybitCsv.write(out, klines, funding));

        List<String> lines = lines(out);
        assertEquals("timestamp,symbol,open,high,low,close,volume,turnover,funding_rate", lines.get(0));
        assertEquals(line(0, "BTCUSDT") + ",0.0001", lines.get(1));
        assertEquals(line(1, "BTCUSDT") + ",", lines.get(2));
        assertEquals(line(8, "BTCUSDT") + ",-0.00005", lines.get(9));
        assertEquals(line(16, "BTCUSDT") + ",0.000125", lines.get(17));
        assertEquals(line(0, "ETHUSDT") + ",", lines.get(25)); // a symbol without funding: all empty
        List<String> rates = lines.subList(1, 27).stream().map(l -> l.substring(l.lastIndexOf(',') + 1))
                .filter(s -> !s.isEmpty()).collect(Collectors.toList());
        assertEquals(List.of("0.0001", "-0.00005", "0.000125"), rates);

        Panel p = PanelCsv.read(out);
        assertEquals(-0.00005, p.value("funding_rate", 8, 0));
        assertTrue(Double.isNaN(p.value("funding_rate", 9, 0)));
        assertTrue(Double.isNaN(p.value("funding_rate", 0, 1)));
    }

    @Test
    void gzipsWhenTheNameEndsInGzReplacesAnOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path out = dir.resolve("new/folder/bybit.csv.gz");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "an old download");

        BybitCsv.write(out, Map.of("BTCUSDT", List.of(kline(0), kline(1))), null);

        byte[] bytes = Files.readAllBytes(out);
        assertEquals(0x1f, bytes[0] & 0xff);
        assertEquals(0x8b, bytes[1] & 0xff);
        assertEquals(line(1, "BTCUSDT"), lines(out).get(2));
        assertEquals(2, PanelCsv.read(out).dateCount());
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.collect(Collectors.toList()));
        }
    }
}
