package dev.quantagent.evaluator;

import java.util.List;

/**
 * What an alphalens full tear sheet shows of a factor on one split, beyond {@link SplitStatistics}: its predictive
 * power at several holding periods with p-values, returns by quantile (mean, demeaned, cumulative), the distribution
 * of its values and of its daily rank IC, the rank IC by month and by group (sector). Built by
 * {@link TearSheets#of}.
 *
 * @param split         the split
 * @param quantiles     quantile buckets per date (pandas' qcut)
 * @param horizons      the factor against the forward return over each of {@link BookConfig#HOLDING_PERIODS} bars
 * @param cumulative    growth of one unit in each quantile, and of the top-minus-bottom spread, rebalanced every bar
 * @param values        the factor's values by quantile and their histogram
 * @param icDistribution the daily rank IC's distribution (at the evaluation's horizon)
 * @param monthly       mean rank IC per calendar month
 * @param groups        rank IC within each group of a grouping (empty without groups)
 */
public record TearSheet(Split split, int quantiles, List<Horizon> horizons, Cumulative cumulative,
                        ValueDistribution values, IcDistribution icDistribution, List<MonthlyIc> monthly,
                        GroupBreakdown groups) {

    /**
     * The factor against the forward return over h bars (compounded one-bar returns of the trade it leads to).
     *
     * @param bars                  h
     * @param dates                 dates with a rank IC
     * @param rankIc                mean daily rank IC
     * @param rankIcTstat           its Newey-West t-statistic (h - 1 lags: neighbouring h-bar returns overlap)
     * @param rankIcP               its two-sided p-value
     * @param ic                    mean daily Pearson IC
     * @param meanByQuantile        mean forward return per quantile, as a rate per bar ((1 + r)^(1/h) - 1)
     * @param demeanedByQuantile    the same, less the mean of all assets with a value (alphalens' demeaned)
     * @param spread                mean top-minus-bottom forward return, as a rate per bar
     * @param spreadTstat           its Newey-West t-statistic
     * @param spreadP               its two-sided p-value
     */
    public record Horizon(int bars, int dates, double rankIc, double rankIcTstat, double rankIcP, double ic,
                          double[] meanByQuantile, double[] demeanedByQuantile, double spread, double spreadTstat,
                          double spreadP) {
    }

    /**
     * Cumulative demeaned returns by quantile: each date, each quantile's mean one-bar return less the mean of all
     * assets with a value, compounded (the relative performance of each quantile, rebalanced every bar, before
     * costs).
     *
     * @param time       the dates
     * @param byQuantile growth of one unit per quantile (bottom first), per date
     * @param spread     growth of one unit in top minus bottom
     */
    public record Cumulative(long[] time, double[][] byQuantile, double[] spread) {
    }

    /**
     * The factor's values over the split's cells with a label.
     *
     * @param quantiles  per quantile: min, max, mean, sample std and count of values (alphalens' quantile statistics)
     * @param edges      histogram bin edges between the 1st and 99th percentile
     * @param counts     values per bin
     * @param cells      values in all
     * @param outside    values beyond the 1st and 99th percentile, left out of the histogram (outliers would make
     *                   its bins too wide to show the bulk)
     */
    public record ValueDistribution(List<QuantileValues> quantiles, double[] edges, int[] counts, long cells,
                                    long outside) {
    }

    /** One quantile's values. */
    public record QuantileValues(int quantile, double min, double max, double mean, double std, long count) {
    }

    /**
     * The daily rank IC's distribution: moments, a histogram and the points of a normal Q-Q plot.
     *
     * @param mean        mean
     * @param std         sample standard deviation
     * @param skew        sample skewness (biased, as scipy's default)
     * @param kurtosis    excess kurtosis (biased, as scipy's default)
     * @param edges       histogram bin edges
     * @param counts      dates per bin
     * @param theoretical normal quantiles with the IC's mean and std, at the plotting positions (i - 0.5) / n
     * @param observed    the sorted daily rank ICs at those positions (at most {@link TearSheets#QQ_POINTS})
     */
    public record IcDistribution(double mean, double std, double skew, double kurtosis, double[] edges, int[] counts,
                                 double[] theoretical, double[] observed) {
    }

    /** Mean rank IC of one calendar month, over its dates. */
    public record MonthlyIc(int year, int month, double rankIc, int dates) {
    }

    /**
     * Rank IC within each group: per date, the rank correlation over the group's assets alone (at least 5 with a
     * value and a label).
     *
     * @param grouping e.g. {@code sector}; null when the data has no groups
     * @param groups   per group, largest first
     */
    public record GroupBreakdown(String grouping, List<GroupIc> groups) {
    }

    /** One group's rank IC: its mean, Newey-West t, dates, and the mean number of its assets with a value. */
    public record GroupIc(String group, double rankIc, double rankIcTstat, int dates, double assets) {
    }
}
