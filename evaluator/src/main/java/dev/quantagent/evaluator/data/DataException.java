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

    /** A file that could not be opened, with the reason in words (the exception's own message is often the path). */
    static DataException cannotRead(java.nio.file.Path file, java.io.IOException e) {
        String why;
        if (e instanceof java.nio.file.NoSuchFileException) {
            why = "no such file";
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            why = "permission denied";
        } else if (java.nio.file.Files.isDirectory(file)) {
            why = "it is a directory";
        } else {
            why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        }
        return new DataException(file + ": cannot read: " + why, e);
    }
}
