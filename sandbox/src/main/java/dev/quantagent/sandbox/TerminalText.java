package dev.quantagent.sandbox;

import java.util.Locale;

/**
 * Text from a file, a formula or a model as it may be shown on a terminal: control characters and the format
 * characters that reorder text are shown as their code in Java's escape notation; line breaks and tabs are kept.
 * Every message that quotes outside text goes through it, so no input can drive the user's terminal.
 */
public final class TerminalText {

    private TerminalText() {
    }

    /** The text with every character that would drive a terminal escaped (null stays null). */
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
                    sb.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
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
}
