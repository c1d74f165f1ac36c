package dev.quantagent.knowledge;

import dev.quantagent.sandbox.TerminalText;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;

/**
 * A mining run: everything a resumed run needs is in {@code configJson} and the free-form {@code stateJson}.
 *
 * @param dataKey    the data set's key: {@code PanelCache.contentKey} (a digest of the file's bytes), {@code
 *                   synthetic-default}, or an older record's path-based {@code PanelCache.key}
 * @param dataFrom   first date of the data, as printed
 * @param dataTo     last date of the data
 * @param symbols    number of symbols
 * @param splitsJson split boundaries, as JSON
 * @param status     where the run stands
 * @param progress   0..1
 * @param cost       in US dollars
 * @param endedAt    null while running
 */
public record RunRecord(String id, String configJson, String stateJson, String dataKey, String dataFrom,
                        String dataTo, int symbols, String splitsJson, RunStatus status, double progress, long trials,
                        long accepted, long invalid, long tokens, double cost, Instant startedAt, Instant endedAt) {

    /**
     * The state key under which a run keeps the looks at valid it took that stored no factor (its combined signals, a
     * baseline's formulas), so that an import into another knowledge base counts them again.
     */
    public static final String EXTRA_VALID_LOOKS = "extra_valid_looks";


    /** What a run id may be: it names a folder ({@code runs/RUN_ID}), so no path can hide in it. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    /** What a data set key may be: a digest, {@code synthetic-default}, or a key of an earlier scheme. */
    private static final Pattern DATA_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public RunRecord {
        startedAt = startedAt == null ? null : startedAt.truncatedTo(ChronoUnit.MILLIS);
        endedAt = endedAt == null ? null : endedAt.truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The id, if it may be a run id: 1 to 100 letters, digits, dots, underscores and hyphens, starting with a letter
     * or a digit. Ids read from files are checked, since a run's id becomes a folder name.
     *
     * @throws IllegalArgumentException saying what a run id may be
     */
    public static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("\"" + shown(id) + "\" is not a run id: a run id is 1 to 100 letters, "
                    + "digits, '.', '_' and '-', starting with a letter or a digit");
        }
        return id;
    }

    /** As {@link #checkId}, for a data set key (up to 64 characters). */
    public static String checkDataKey(String key) {
        if (key == null || !DATA_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("\"" + shown(key) + "\" is not a data set key: a key is 1 to 64 "
                    + "letters, digits, '.', '_' and '-', starting with a letter or a digit");
        }
        return key;
    }

    private static String shown(String text) {
        String t = String.valueOf(text);
        return TerminalText.printable(t.length() > 120 ? t.substring(0, 120) + "..." : t);
    }
}
