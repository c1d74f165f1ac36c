package dev.quantagent.evaluator.data.bybit;

/**
 * One funding settlement of a perpetual contract.
 *
 * @param time epoch milliseconds (UTC) of the settlement
 * @param rate the funding rate as Bybit sent it, e.g. {@code 0.0001}
 */
public record FundingRate(long time, String rate) {
}
