package dev.quantagent.llm;

import java.time.Duration;

/** Waits between attempts; tests pass one that does not sleep. */
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
}
