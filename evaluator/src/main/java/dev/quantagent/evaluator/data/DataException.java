package dev.quantagent.evaluator.data;

/**
 * Bad input data. The message says where ({@code file:line:}, lines counted as an editor shows them, header = 1) and
 * what is wrong, so it can be shown to the user as is.
 */
public final class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code source:line: reason}. */
    static DataException at(String source, long line, String reason) {
        return new DataException(source + ":" + line + ": " + reason);
    }
}
