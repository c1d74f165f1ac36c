package dev.quantagent.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C during a long command. The JVM runs shutdown hooks while the command's thread is still working; this hook
 * asks the command to stop at its next safe point and waits, for a while, until it has saved its state and closed the
 * knowledge base. Without it the database would be closed under the running work (errors on the terminal, a run left
 * half-written). A mining run drops the ideas in hand (LLM calls in flight end at once) and saves as soon as the
 * evaluation step in progress ends.
 */
final class Interruption {

    /** How long Ctrl-C waits for the command to save. */
    static final long GRACE_SECONDS = 10;

    private final AtomicBoolean requested = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    private Interruption(PrintWriter err) {
        hook = new Thread(() -> {
            requested.set(true);
            err.println();
            err.println("interrupt: saving the run; the ideas in hand are dropped and explored again on resume...");
            err.flush();
            try {
                done.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "quantagent-interrupt");
    }

    /** Installs the hook; call {@link #done()} when the command has saved and closed what it holds. */
    static Interruption install(PrintWriter err) {
        Interruption i = new Interruption(err);
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    /** Whether Ctrl-C (or a termination signal) asked the command to stop. */
    boolean requested() {
        return requested.get();
    }

    /** The command has saved and closed what it holds: the shutdown may proceed, or the hook is no longer needed. */
    void done() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the shutdown is under way: the hook is running and now returns
        }
    }
}
