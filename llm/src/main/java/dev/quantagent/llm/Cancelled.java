package dev.quantagent.llm;

/**
 * The user asked the command to stop (Ctrl-C) while an idea was in hand. The idea is dropped, not recorded (it is no
 * failure of the Writer's); a resumed run explores it again from its start.
 */
public final class Cancelled extends RuntimeException {

    public Cancelled() {
        super("cancelled", null, false, false); // control flow: no stack trace to fill
    }
}
