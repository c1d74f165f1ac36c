package dev.quantagent.evaluator;

import java.util.List;

/**
 * A factor's statistics on one split. Field names follow the JSON keys ({@code rank_ic} is {@code rankIc}).
 *
 * @param ic                  mean over dates of the cross-sectional Pearson correlation of factor and label
 * @param rankIc              mean over dates of the Spearman correlation (ties averaged)
 * @param icir                mean / sample std of the daily IC series (not annualised)
 * @param rankIcir            the same for rank IC
 * @param icTstat             mean IC / (std / sqrt(dates)), the t-statistic alphalens reports; with a horizon of h > 1
 *                            periods the daily ICs share h - 1 periods of their labels, are autocorrelated, and this
 *                            overstates significance by up to sqrt(h)
 * @param icTstatNeweyWest    the same mean over its Newey-West standard error with h - 1 lags (Bartlett weights, the
 *                            n / (n - 1) correction): equal to icTstat for h = 1, honest for overlapping labels
 * @param rankIcTstatNeweyWest mean rank IC over its Newey-West standard error with h - 1 lags: the evidence a factor's
 *                            ranking predicts, and what the miner's acceptance tests read
 * @param icPositiveRatio     share of dates with IC &gt; 0
 * @param quantileReturns     mean label per quantile bucket (bottom first), averaged over dates
 * @param longShort           mean top-minus-bottom label per date, before costs
 * @param portfolio           the long-short portfolio after costs, rebalanced every horizon periods
 * @param grossPortfolio      the same portfolio before costs
 * @param turnover            mean one-way turnover per rebalance: share of each book replaced, averaged over books
 * @param rankAutocorrelation mean correlation of each date's factor ranks with the previous date's
 * @param coverage            share of cells with a label that also have a factor value
 * @param nDates              dates with a defined IC
 * @param rankIcByYear        mean rank IC per calendar year
 * @param folds               mean rank IC of the split's {@value #FOLDS} consecutive thirds, each purged of the dates
 *                            whose labels reach into the next: whether the relation holds throughout the split
 * @param regimes             returns and rank IC per market regime
 * @param series              the per-date series behind the means, for charts
 */
public record SplitStatistics(double ic, double rankIc, double icir, double rankIcir, double icTstat,
                             double icTstatNeweyWest, double rankIcTstatNeweyWest, double icPositiveRatio,
                             double[] quantileReturns, double longShort, PortfolioMetrics portfolio,
                             PortfolioMetrics grossPortfolio, double turnover, double rankAutocorrelation,
                             double coverage, int nDates, List<YearlyRankIc> rankIcByYear, List<Fold> folds,
                             List<RegimeStatistics> regimes, Series series) {

    /** Consecutive parts a split is cut into for {@link #folds()}. */
    public static final int FOLDS = 3;

    /** Statistics without series or folds (figures built by hand, e.g. in tests). */
    public SplitStatistics(double ic, double rankIc, double icir, double rankIcir, double icTstat,
                           double icTstatNeweyWest, double rankIcTstatNeweyWest, double icPositiveRatio,
                           double[] quantileReturns, double longShort, PortfolioMetrics portfolio, double turnover,
                           double rankAutocorrelation, double coverage, int nDates, List<YearlyRankIc> rankIcByYear,
                           List<RegimeStatistics> regimes) {
        this(ic, rankIc, icir, rankIcir, icTstat, icTstatNeweyWest, rankIcTstatNeweyWest, icPositiveRatio,
                quantileReturns, longShort, portfolio, portfolio, turnover, rankAutocorrelation, coverage, nDates,
                rankIcByYear, List.of(), regimes, Series.EMPTY);
    }

    /**
     * The series whose means are the statistics: the mean of {@code rankIc} is {@link #rankIc()}, compounding
     * {@code netReturn} gives the portfolio's total return, and the mean of the defined {@code turnover} values is
     * {@link #turnover()}. Times are the factor's dates (epoch seconds).
     *
     * @param icTime        dates with a defined IC
     * @param ic            Pearson IC on those dates
     * @param rankIc        rank IC on those dates
     * @param rebalanceTime dates of the long-short book's periods (every horizon dates)
     * @param netReturn     the book's return over each period after costs
     * @param grossReturn   the same before costs
     * @param turnover      one-way turnover at each rebalance; NaN for the first book and for periods where no new
     *                      book could be formed and the old one was held
     */
    public record Series(long[] icTime, double[] ic, double[] rankIc, long[] rebalanceTime, double[] netReturn,
                         double[] grossReturn, double[] turnover) {

        public static final Series EMPTY = new Series(new long[0], new double[0], new double[0], new long[0],
                new double[0], new double[0], new double[0]);
    }

    /**
     * The rank IC of one consecutive part of a split.
     *
     * @param from                  first date (epoch seconds) with a rank IC
     * @param to                    last date (epoch seconds) with a rank IC
     * @param rankIc                mean rank IC
     * @param rankIcTstatNeweyWest  its Newey-West t-statistic
     * @param dates                 dates with a rank IC
     */
    public record Fold(long from, long to, double rankIc, double rankIcTstatNeweyWest, int dates) {
    }

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
