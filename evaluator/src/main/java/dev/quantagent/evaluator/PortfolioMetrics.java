package dev.quantagent.evaluator;

/**
 * Risk and performance figures of a periodic return series, with the empyrical / pyfolio definitions:
 * annual return is geometric ({@code prod(1 + r)^(P / n) - 1}); volatility and Sharpe use the sample standard
 * deviation and {@code sqrt(P)}; Sortino divides the annualised mean by the annualised root-mean-square of the
 * negative returns; max drawdown is the largest fall of the compounded equity from a previous peak (a negative
 * number); Calmar is annual return over |max drawdown|. The risk-free rate is 0.
 *
 * @param periods          number of returns
 * @param annualReturn     geometric annual return
 * @param annualVolatility annualised sample standard deviation
 * @param sharpe           mean / std * sqrt(P)
 * @param sortino          mean * P / (sqrt(mean(min(r, 0)^2)) * sqrt(P))
 * @param calmar           annual return / |max drawdown|
 * @param maxDrawdown      worst peak-to-trough fall of compounded equity, e.g. -0.23
 * @param winRate          share of periods with a positive return
 * @param profitFactor     sum of gains / |sum of losses|
 * @param totalReturn      prod(1 + r) - 1
 */
public record PortfolioMetrics(int periods, double annualReturn, double annualVolatility, double sharpe,
                               double sortino, double calmar, double maxDrawdown, double winRate, double profitFactor,
                               double totalReturn) {

    /** Metrics of returns[from .. to) with P periods a year; NaN returns are skipped. */
    public static PortfolioMetrics of(double[] returns, int from, int to, double periodsPerYear) {
        int n = 0;
        double sum = 0;
        double logGrowth = 0;
        double gains = 0;
        double losses = 0;
        int wins = 0;
        double downsideSq = 0;
        double equity = 1;
        double peak = 1;
        double maxDd = 0;
        for (int i = from; i < to; i++) {
            double r = returns[i];
            if (r != r) {
                continue;
            }
            n++;
            sum += r;
            logGrowth += Math.log1p(r);
            if (r > 0) {
                gains += r;
                wins++;
            } else if (r < 0) {
                losses -= r;
                downsideSq += r * r;
            }
            equity *= 1 + r;
            peak = Math.max(peak, equity);
            maxDd = Math.min(maxDd, equity / peak - 1);
        }
        if (n == 0) {
            return new PortfolioMetrics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = from; i < to; i++) {
            double r = returns[i];
            if (r == r) {
                ss += (r - mean) * (r - mean);
            }
        }
        double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        double annualReturn = Math.expm1(logGrowth * periodsPerYear / n);
        double vol = sd * Math.sqrt(periodsPerYear);
        double sharpe = sd > 0 ? mean / sd * Math.sqrt(periodsPerYear) : Double.NaN;
        double downside = Math.sqrt(downsideSq / n) * Math.sqrt(periodsPerYear);
        double sortino = downside > 0 ? mean * periodsPerYear / downside : Double.NaN;
        double calmar = maxDd < 0 ? annualReturn / -maxDd : Double.NaN;
        double profitFactor = losses > 0 ? gains / losses : Double.NaN;
        return new PortfolioMetrics(n, annualReturn, vol, sharpe, sortino, calmar, maxDd, (double) wins / n,
                profitFactor, Math.expm1(logGrowth));
    }
}
