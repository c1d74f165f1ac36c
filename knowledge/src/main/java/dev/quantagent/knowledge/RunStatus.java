package dev.quantagent.knowledge;

import java.util.Locale;

/** Where a mining run stands. */
public enum RunStatus {
    /** Mining. */
    RUNNING,
    /** Stopped before its last idea (time budget, Ctrl-C): resumable. */
    PAUSED,
    /** Every idea is in; its conclusion and report are not written yet (resume writes them). */
    REPORTING,
    /** Concluded and reported. */
    FINISHED,
    /** Ended by an error (imported from an export; never written by a run). */
    FAILED;

    /** The stored and printed spelling: {@code running}, {@code paused}, {@code reporting}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a key as stored. */
    public static RunStatus of(String key) {
        for (RunStatus s : values()) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown run status '" + key + "'");
    }
}
