package dev.quantagent.llm;

/** A chat call could not give a usable answer (refused, failed for good, interrupted); the message says why. */
public final class LlmFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long promptTokens;
    private final long completionTokens;
    private final boolean refused;

    public LlmFailure(String message, long promptTokens, long completionTokens, Throwable cause) {
        this(message, promptTokens, completionTokens, cause, false);
    }

    public LlmFailure(String message, long promptTokens, long completionTokens, Throwable cause, boolean refused) {
        super(message, cause);
        this.promptTokens = promptTokens;
        this.completionTokens = completionTokens;
        this.refused = refused;
    }

    /**
     * Whether the endpoint refused the credentials (401, 403) or counts as unreachable (calls in a row failed for
     * good): every further call would fail the same way.
     */
    public boolean refused() {
        return refused;
    }

    public long promptTokens() {
        return promptTokens;
    }

    public long completionTokens() {
        return completionTokens;
    }
}
