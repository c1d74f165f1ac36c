package dev.quantagent.knowledge;

import java.util.Locale;

/** What became of a tested factor. */
public enum Status {
    ACCEPTED, REJECTED, INVALID;

    /** The stored and printed spelling: {@code accepted}, {@code rejected}, {@code invalid}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a key, case-insensitively. */
    public static Status of(String key) {
        try {
            return valueOf(key.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown status '" + key + "' (use accepted, rejected or invalid)");
        }
    }
}
