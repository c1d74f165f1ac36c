package dev.quantagent.evaluator;

import java.util.Locale;

/** The chronological data splits. The test split is sealed: only an explicit user action evaluates on it. */
public enum Split {
    TRAIN, VALID, TEST;

    /** The JSON key and table heading: {@code train}, {@code valid}, {@code test}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
