package dev.quantagent.evaluator.data.bybit;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes Bybit klines as the project's long CSV: {@code timestamp,symbol,open,high,low,close,volume,turnover} and, when
 * funding is given, {@code funding_rate}. Timestamps are ISO-8601 UTC; rows are sorted by symbol, then time, one per
 * symbol and time. A funding rate lands on the kline whose open time equals the settlement time; other rows leave the
 * cell empty (missing), and settlements between kline open times are not shown.
 */
public final class BybitCsv {

    private static final int BUFFER = 1 << 16;

    private BybitCsv() {
    }

    /**
     * Writes the file through a temporary file in the same folder, so a failure never leaves a truncated file behind;
     * gzip-compressed when the name ends in {@code .gz}.
     *
     * @param klines  per symbol, in any order
     * @param funding per symbol, or {@code null} for no {@code funding_rate} column
     * @return the number of rows written
     */
    public static long write(Path out, Map<String, List<Kline>> klines, Map<String, List<FundingRate>> funding)
            throws IOException {
        Path dir = out.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, ".quantagent-bybit", ".tmp");
        long count = 0;
        try {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 OutputStream stream = out.toString().endsWith(".gz") ? new GZIPOutputStream(raw, BUFFER) : raw;
                 Writer w = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), BUFFER);
                 CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(w)) {
                List<String> header = new ArrayList<>(List.of("timestamp", "symbol", "open", "high", "low", "close",
                        "volume", "turnover"));
                if (funding != null) {
                    header.add("funding_rate");
                }
                csv.writeRecord(header);
                for (Map.Entry<String, List<Kline>> e : new TreeMap<>(klines).entrySet()) {
                    String symbol = e.getKey();
                    Map<Long, String> rateAt = new HashMap<>();
                    if (funding != null) {
                        for (FundingRate f : funding.getOrDefault(symbol, List.of())) {
                            rateAt.put(f.time(), f.rate());
                        }
                    }
                    List<Kline> rows = new ArrayList<>(e.getValue());
                    rows.sort(Comparator.comparingLong(Kline::openTime));
                    long previous = Long.MIN_VALUE;
                    for (Kline k : rows) {
                        if (k.openTime() == previous) {
                            continue;
                        }
                        previous = k.openTime();
                        String time = Instant.ofEpochMilli(k.openTime()).toString();
                        if (funding == null) {
                            csv.writeRecord(time, symbol, k.open(), k.high(), k.low(), k.close(), k.volume(),
                                    k.turnover());
                        } else {
                            csv.writeRecord(time, symbol, k.open(), k.high(), k.low(), k.close(), k.volume(),
                                    k.turnover(), rateAt.getOrDefault(k.openTime(), ""));
                        }
                        count++;
                    }
                }
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return count;
    }
}
