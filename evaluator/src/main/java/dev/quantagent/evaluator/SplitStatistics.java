package dev.quantagent.evaluator;

import java.util.List;

/**
 * A factor's statistics on one split. Field names follow the JSON keys ({@code rank_ic} is {@code rankIc}).
 *
 * @param ic                  mean over dates of the cross-sectional Pearson correlation of factor and label
 * @param rankIc              mean over dates of the Spearman correlation (ties averaged)
 * @param icir                mean / sample std of the daily IC series (not annualised)
 * @param rankIcir            the same for rank IC
 * @param icTstat             mean IC / (std / sqrt(dates))
 * @param icPositiveRatio     share of dates with IC &gt; 0
 * @param quantileReturns     mean label per quantile bucket (bottom first), averaged over dates
 * @param longShort           mean top-minus-bottom label per date, before costs
 * @param portfolio           the long-short portfolio after costs, rebalanced every horizon periods
 * @param turnover            mean one-way turnover per rebalance: share of each book replaced, averaged over books
 * @param rankAutocorrelation mean correlation of each date's factor ranks with the previous date's
 * @param coverage            share of cells with a label that also have a factor value
 * @param nDates              dates with a defined IC
 * @param rankIcByYear        mean rank IC per calendar year
 * @param regimes             returns and rank IC per market regime
 */
public record SplitStatistics(double ic, double rankIc, double icir, double rankIcir, double icTstat,
                             double icPositiveRatio, double[] quantileReturns, double longShort,
                             PortfolioMetrics portfolio, double turnover, double rankAutocorrelation, double coverage,
                             int nDates, List<YearlyRankIc> rankIcByYear, List<RegimeStatistics> regimes) {

    /** Mean rank IC of one calendar year. */
    public record YearlyRankIc(int year, double rankIc, int dates) {
    }

    /**
     * Figures for one market regime (bull/bear by the sign of the equal-weight market's trailing 20-period return,
     * high/low volatility by its trailing 20-period volatility against the median).
     *
     * @param regime        e.g. {@code bull / low vol}
     * @param share         share of the split's dates in this regime
     * @param meanReturn    mean long-short return per period after costs
     * @param rankIc        mean rank IC
     * @param shareOfLosses share of the split's long-short losses that occurred in this regime
     * @param dates         dates in this regime
     */
    public record RegimeStatistics(String regime, double share, double meanReturn, double rankIc,
                                   double shareOfLosses, int dates) {
    }
}
