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
     * Text from a file or a server as it may be shown on a terminal: control characters (an escape sequence that
     * would recolour, move the cursor or retitle the window), and the format characters that reorder text, are shown
     * as their code in Java's escape notation (backslash, u, four hex digits) instead of being sent to the terminal.
     * Line breaks and tabs are kept.
     */
    public static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = c != '\n' && c != '\t' && unprintable(c);
            if (unsafe && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (unsafe) {
                    sb.append(String.format(java.util.Locale.ROOT, "\\u%04X", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * Whether a character would drive a terminal instead of being shown: a control character (C0 or C1, line breaks
     * and tabs included) or a format character that reorders text (the bidirectional overrides and marks).
     */
    public static boolean unprintable(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069
                || c == 0x200e || c == 0x200f;
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
