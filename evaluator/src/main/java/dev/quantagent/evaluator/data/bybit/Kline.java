package dev.quantagent.evaluator.data.bybit;

/**
 * One Bybit candle. Prices and amounts stay the decimal text Bybit sent (checked to be numbers), so the CSV holds
 * exactly what the exchange reported, with no round trip through {@code double}.
 *
 * @param openTime the candle's open time, epoch milliseconds (UTC)
 * @param volume   traded quantity in the base coin (contracts for linear)
 * @param turnover traded value in the quote coin
 */
public record Kline(long openTime, String open, String high, String low, String close, String volume,
                    String turnover) {
}
