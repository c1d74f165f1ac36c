package dev.quantagent.evaluator.data.bybit;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;

import dev.quantagent.evaluator.data.AtomicFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes Bybit klines as the project's long CSV: {@code timestamp,symbol,open,high,low,close,volume,turnover} and, when
 * funding is given, {@code funding_rate}. Timestamps are ISO-8601 UTC; rows are sorted by symbol, then time, one per
 * symbol and time. A funding rate lands on the kline whose open time equals the settlement time; other rows leave the
 * cell empty (missing), and settlements between kline open times are not shown.
 */
public final class BybitCsv {

    private BybitCsv() {
    }

    /**
     * Writes the file whole or not at all ({@link AtomicFile}), creating its folder; gzip-compressed when the name
     * ends in {@code .gz}.
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
        long[] count = new long[1];
        AtomicFile.writeText(out, w -> {
            CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(w);
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
                    count[0]++;
                }
            }
            csv.flush();
        });
        return count[0];
    }
}
