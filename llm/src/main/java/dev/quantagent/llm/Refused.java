package dev.quantagent.llm;

/**
 * The endpoint refused the credentials (HTTP 401 or 403): the agents stop instead of recording the failure and
 * going on, since every further call would fail the same way, and send nothing more. The message says what to
 * check; it never holds the key.
 */
public final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(LlmFailure failure) {
        super(failure.getMessage());
    }
}
