package dev.quantagent.evaluator.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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

    /** A file that could not be opened, with the reason in words. */
    static DataException cannotRead(Path file, IOException e) {
        return new DataException(file + ": cannot read: " + reason(e, file), e);
    }

    /**
     * Why a file could not be read or written, in words (the exception's message is often just the path); the
     * command line says it the same way for every file it reads or writes.
     */
    public static String reason(IOException e, Path file) {
        if (e instanceof NoSuchFileException n) {
            if (n.getReason() != null) {
                return n.getReason(); // said where it looked: a link's missing folder, not the link's own
            }
            Path parent = file.getParent() != null ? file.getParent() : file.toAbsolutePath().getParent();
            return parent != null && !Files.isDirectory(parent) ? "no such directory " + parent : "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (Files.isDirectory(file)) {
            return "it is a directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
