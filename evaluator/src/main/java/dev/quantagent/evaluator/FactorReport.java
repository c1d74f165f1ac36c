package dev.quantagent.evaluator;

import java.util.Map;

/**
 * Statistics of one factor per split, with the long-short return series for charts. A report from the search API
 * never contains the test split.
 *
 * @param formula   as written
 * @param canonical canonical form
 * @param hash      hash of the canonical form
 * @param splits    statistics per split, in split order
 */
public record FactorReport(String formula, String canonical, String hash, Map<Split, SplitStatistics> splits) {

    public FactorReport {
        splits = Map.copyOf(splits);
    }
}
