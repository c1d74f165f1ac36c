package dev.quantagent.evaluator;

/**
 * A portfolio a factor drives over one split, run bar by bar on one-bar returns: positions drift with their assets
 * between rebalances, and each rebalance pays the cost per side on the value it trades.
 *
 * @param kind            {@code long_short} (quantile long-short held for {@code rebalanceEvery} bars),
 *                        {@code topk_dropout} or {@code buffered_long_short}
 * @param description     the book in words, e.g. {@code top 50, 5 replaced per rebalance, every bar}
 * @param rebalanceEvery  bars between rebalances
 * @param gross           performance before costs (empyrical definitions, see {@link PortfolioMetrics})
 * @param net             after costs
 * @param turnover        mean share of the book's value replaced per rebalance (one way), the first purchase
 *                        excluded
 * @param excessGross     against the equal-weight market, before costs (long-only books; null otherwise)
 * @param excessNet       against the equal-weight market, after costs (null for long-short books)
 * @param time            bar dates (epoch seconds)
 * @param grossReturn     the book's return per bar before costs
 * @param netReturn       after costs
 * @param benchmarkReturn the equal-weight market's return per bar (what excess is measured against)
 */
public record Book(String kind, String description, int rebalanceEvery, PortfolioMetrics gross, PortfolioMetrics net,
                   double turnover, Excess excessGross, Excess excessNet, long[] time, double[] grossReturn,
                   double[] netReturn, double[] benchmarkReturn) {

    /**
     * Returns in excess of a benchmark, with Qlib's {@code risk_analysis} definitions (its default "sum" mode) so that
     * figures compare with a Qlib backtest report: annualised excess return = mean * P, information ratio =
     * mean / sample sd * sqrt(P), max drawdown = the largest fall of the cumulative sum of excess returns from its
     * running maximum (a negative number).
     */
    public record Excess(double annualExcessReturn, double informationRatio, double maxDrawdown) {

        static Excess of(double[] returns, double[] benchmark, int n, double periodsPerYear) {
            if (n == 0) {
                return new Excess(Double.NaN, Double.NaN, Double.NaN);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += returns[i] - benchmark[i];
            }
            double mean = sum / n;
            double ss = 0;
            double cumulative = 0;
            double peak = Double.NEGATIVE_INFINITY;
            double worst = 0;
            for (int i = 0; i < n; i++) {
                double e = returns[i] - benchmark[i];
                ss += (e - mean) * (e - mean);
                cumulative += e;
                peak = Math.max(peak, cumulative);
                worst = Math.min(worst, cumulative - peak);
            }
            double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
            return new Excess(mean * periodsPerYear, sd > 0 ? mean / sd * Math.sqrt(periodsPerYear) : Double.NaN,
                    worst);
        }
    }
}
