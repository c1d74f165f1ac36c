package dev.quantagent.evaluator;

import java.util.List;

/**
 * The portfolios one factor drives on one split: the quantile long-short held for each of
 * {@link BookConfig#HOLDING_PERIODS}, Qlib's TopK-dropout book and the buffered long-short.
 *
 * @param longShortByHolding the quantile long-short per holding period, shortest first
 * @param topkDropout        the long-only TopK-dropout book against the equal-weight market
 * @param bufferedLongShort  the long-short whose names stay until they leave a wider band
 */
public record Portfolios(List<Book> longShortByHolding, Book topkDropout, Book bufferedLongShort) {

    public Portfolios {
        longShortByHolding = List.copyOf(longShortByHolding);
    }
}
