package dev.quantagent.knowledge;

import java.util.Locale;

/**
 * Text from a file or a model as it may be shown on a terminal, the same rule as the data loader's
 * {@code DataException.printable} (this module does not depend on the loader): control characters and the format
 * characters that reorder text are shown as their code in Java's escape notation; line breaks and tabs are kept.
 */
final class Printable {

    private Printable() {
    }

    static String of(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = c != '\n' && c != '\t' && drivesTerminal(c);
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

    /** A C0 or C1 control character, or a bidirectional override or mark. */
    private static boolean drivesTerminal(char c) {
        return c < 0x20 || c >= 0x7f && c <= 0x9f || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069
                || c == 0x200e || c == 0x200f;
    }
}
