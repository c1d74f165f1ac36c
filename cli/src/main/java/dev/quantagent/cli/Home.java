package dev.quantagent.cli;

import dev.quantagent.agents.TestLooks;

import java.nio.file.Path;

/**
 * Where QuantAgent keeps per-user state: {@code $QUANTAGENT_HOME}, else {@code ~/.quantagent}. The panel cache lives
 * in {@code cache/}, the log of looks at sealed test splits in {@code test-looks.log}.
 */
public final class Home {

    private Home() {
    }

    static Path dir() {
        String env = System.getenv("QUANTAGENT_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".quantagent");
    }

    /** The knowledge base: the given path, else {@code $QUANTAGENT_KB}, else {@code kb/} in the home. */
    static Path kb(Path override) {
        if (override != null) {
            return override;
        }
        String env = System.getenv("QUANTAGENT_KB");
        return env != null && !env.isBlank() ? Path.of(env) : dir().resolve("kb");
    }

    /** The log of looks at sealed test splits. */
    static TestLooks testLooks() {
        return new TestLooks(dir().resolve("test-looks.log"));
    }

    /** The binary panel cache, shared by the commands and the benchmarks. */
    public static Path cache() {
        return dir().resolve("cache");
    }
}
