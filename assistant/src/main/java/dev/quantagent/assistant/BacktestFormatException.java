package dev.quantagent.assistant;

/** A backtest document that cannot be analysed; the message names the file and the JSON pointer. */
public final class BacktestFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BacktestFormatException(String message) {
        super(message);
    }
}
