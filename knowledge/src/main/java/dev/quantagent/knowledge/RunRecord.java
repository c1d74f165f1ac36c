package dev.quantagent.knowledge;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A mining run: everything a resumed run needs is in {@code configJson} and the free-form {@code stateJson}.
 *
 * @param dataKey    the data set's key: {@code PanelCache.contentKey} (a digest of the file's bytes), {@code
 *                   synthetic-default}, or an older record's path-based {@code PanelCache.key}
 * @param dataFrom   first date of the data, as printed
 * @param dataTo     last date of the data
 * @param symbols    number of symbols
 * @param splitsJson split boundaries, as JSON
 * @param status     e.g. {@code running}, {@code finished}, {@code failed}
 * @param progress   0..1
 * @param cost       in US dollars
 * @param endedAt    null while running
 */
public record RunRecord(String id, String configJson, String stateJson, String dataKey, String dataFrom,
                        String dataTo, int symbols, String splitsJson, String status, double progress, long trials,
                        long accepted, long invalid, long tokens, double cost, Instant startedAt, Instant endedAt) {

    public RunRecord {
        startedAt = startedAt == null ? null : startedAt.truncatedTo(ChronoUnit.MILLIS);
        endedAt = endedAt == null ? null : endedAt.truncatedTo(ChronoUnit.MILLIS);
    }
}
