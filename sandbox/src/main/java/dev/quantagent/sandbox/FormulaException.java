package dev.quantagent.sandbox;

/**
 * Why a formula was rejected or could not be evaluated, and where. The message is one line that a person or an
 * LLM can act on: {@code column 14: unknown operator 'foo' (did you mean 'floor'?)}.
 */
public final class FormulaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for programs that react differently (the Writer retries syntax errors, for example). */
    public enum Kind {
        SYNTAX, UNKNOWN_OPERATOR, ARGUMENTS, WINDOW, LOOKAHEAD, FIELD, GROUP, CONSTANT, LIMIT, MEMORY, TIMEOUT,
        CANCELLED
    }

    private final Kind kind;
    private final int position;
    private final String detail;

    /**
     * @param kind     what went wrong
     * @param position 0-based character offset in the formula, or -1 when not tied to a place
     * @param detail   the reason, without the position
     */
    public FormulaException(Kind kind, int position, String detail) {
        super(position >= 0 ? "column " + (position + 1) + ": " + detail : detail);
        this.kind = kind;
        this.position = position;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    /** 0-based offset into the formula, or -1. */
    public int position() {
        return position;
    }

    /** The reason without the position prefix. */
    public String detail() {
        return detail;
    }

    /**
     * Two lines showing the place in the formula: an excerpt (up to 40 characters before the position and 60 from
     * it) and a caret under the offending character. Empty when there is no position.
     */
    public String pointer(String formula) {
        if (position < 0 || formula == null) {
            return "";
        }
        int p = Math.min(position, formula.length());
        int from = Math.max(0, p - 40);
        int to = Math.min(formula.length(), p + 60);
        StringBuilder line = new StringBuilder();
        if (from > 0) {
            line.append("...");
        }
        int caret = line.length() + (p - from);
        for (int i = from; i < to; i++) {
            char c = formula.charAt(i);
            line.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (to < formula.length()) {
            line.append("...");
        }
        return line + System.lineSeparator() + " ".repeat(caret) + "^";
    }
}
