package dev.quantagent.assistant;

import dev.quantagent.assistant.Backtest.Trade;
import dev.quantagent.evaluator.Frequency;
import dev.quantagent.evaluator.PortfolioMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything measured on one backtest, recomputed from its equity curve and trades (stated metrics are never used).
 * Return-series figures come from {@link PortfolioMetrics#of} (empyrical definitions) on the equity curve's
 * period returns; Sharpe and Sortino use returns in excess of the per-period risk-free rate
 * {@code (1 + rf)^(1/P) − 1}. Undefined values are NaN.
 *
 * @param withTrades     false when the backtest has no trade list: the trade figures are then n/a, not zero
 * @param psr            probabilistic Sharpe ratio: the probability that the true Sharpe is above 0
 * @param turnover       value traded (entries and exits) a year over the mean equity
 * @param fundingMonthly funding paid a month over the mean equity, NaN if unknown
 */
public record Metrics(double periodsPerYear, double totalReturn, double annualReturn, double volatility, double sharpe,
               double sortino, double psr, double calmar, double maxDrawdown, double avgDrawdown,
               double longestDrawdownDays, double recoveryDays, double avgRecoveryDays, double winRate,
               double profitFactor, double avgWin, double avgLoss, double winLossRatio, double expectancy,
               int tradeCount, double avgTradeDays, double exposure, double turnover, double beta,
               double correlation, double tailRatio, double var95, int longestLosingStreak, double fundingMonthly,
               boolean withTrades) {

    private static final double DAY = 86_400.0;

    /** How a metric is shown and which direction is better (+1 higher, −1 lower, 0 neither). */
    public enum Kind { PCT, RATIO, DAYS, COUNT, MONEY }

    /** One metric's definition: JSON key, label, format, better direction, one-line explanation. */
    public record Def(String key, String label, Kind kind, int better, String explanation) {
    }

    /** All metrics, in report order. */
    public static final List<Def> DEFS = List.of(
            new Def("total_return", "Total return", Kind.PCT, 1, "Final equity over initial equity, minus 1."),
            new Def("annual_return", "Annual return", Kind.PCT, 1,
                    "Geometric (compounded) return per year: (1 + total)^(P/n) − 1."),
            new Def("volatility", "Volatility", Kind.PCT, -1,
                    "Annualised sample standard deviation of the period returns."),
            new Def("sharpe", "Sharpe ratio", Kind.RATIO, 1,
                    "Mean excess return over its standard deviation, annualised by √P: return per unit of risk."),
            new Def("sortino", "Sortino ratio", Kind.RATIO, 1,
                    "Like Sharpe, but only downside moves count as risk."),
            new Def("probabilistic_sharpe", "Probabilistic Sharpe", Kind.PCT, 1,
                    "Probability that the true Sharpe is above 0, given the sample size, skewness and kurtosis "
                            + "(Bailey & López de Prado)."),
            new Def("calmar", "Calmar ratio", Kind.RATIO, 1, "Annual return over |max drawdown|."),
            new Def("max_drawdown", "Max drawdown", Kind.PCT, 1,
                    "Worst fall of equity from a previous peak: the pain an investor must sit through."),
            new Def("avg_drawdown", "Average drawdown", Kind.PCT, 1,
                    "Mean depth of the drawdown episodes (peak to recovery)."),
            new Def("longest_drawdown_days", "Longest drawdown", Kind.DAYS, -1,
                    "Longest time from a peak to its recovery (or to the end if it never recovered)."),
            new Def("recovery_days", "Time to recover", Kind.DAYS, -1,
                    "Days from the max drawdown's trough back to the old peak (n/a if never recovered)."),
            new Def("avg_recovery_days", "Average recovery time", Kind.DAYS, -1,
                    "Mean days from a peak back to it, over the drawdowns that recovered (the chapter's target: "
                            + "under 30)."),
            new Def("win_rate", "Win rate", Kind.PCT, 1, "Share of trades with a positive P&L."),
            new Def("profit_factor", "Profit factor", Kind.RATIO, 1,
                    "Gross profit over gross loss of the trades; above 1 the trades make money."),
            new Def("avg_win", "Average win", Kind.MONEY, 1, "Mean P&L of the winning trades."),
            new Def("avg_loss", "Average loss", Kind.MONEY, 1, "Mean P&L of the losing trades."),
            new Def("win_loss_ratio", "Average win / loss", Kind.RATIO, 1,
                    "Average win over the size of the average loss (the payoff ratio)."),
            new Def("expectancy", "Expectancy", Kind.MONEY, 1,
                    "Mean P&L per trade: win rate × average win + loss rate × average loss."),
            new Def("trade_count", "Trades", Kind.COUNT, 0, // more trades are neither better nor worse
                    "Number of round trips; below 30 statistics are noise."),
            new Def("avg_trade_days", "Average trade duration", Kind.DAYS, 0, "Mean time from entry to exit."),
            new Def("exposure", "Exposure", Kind.PCT, 0, "Share of the period with at least one open trade."),
            new Def("turnover", "Turnover", Kind.RATIO, 0,
                    "Value traded a year (entries and exits) over the mean equity, e.g. 12 is 12x a year; a trade's "
                            + "value is quantity × price, else |pnl / return|."),
            new Def("beta", "Beta", Kind.RATIO, 0,
                    "Sensitivity to the benchmark: cov(strategy, benchmark) / var(benchmark), over the intervals "
                            + "both series have."),
            new Def("correlation", "Correlation", Kind.RATIO, 0,
                    "Pearson correlation with the benchmark's returns over the same intervals."),
            new Def("tail_ratio", "Tail ratio", Kind.RATIO, 1,
                    "95th percentile return over |5th percentile|: above 1, the right tail is fatter."),
            new Def("var_95", "VaR 95%", Kind.PCT, 1,
                    "Historical 5th percentile of period returns: 1 period in 20 loses at least this."),
            new Def("longest_losing_streak", "Longest losing streak", Kind.COUNT, -1,
                    "Most consecutive losing trades (by exit time)."),
            new Def("funding_monthly", "Funding a month", Kind.PCT, -1,
                    "Funding paid a month over the mean equity (stated, or charged from --funding-rates)."));

    /** Values by key, in {@link #DEFS} order. */
    public Map<String, Double> values() {
        double none = Double.NaN; // no trade list: unknown, which is not the same as zero trades
        double[] v = {totalReturn, annualReturn, volatility, sharpe, sortino, psr, calmar, maxDrawdown, avgDrawdown,
            longestDrawdownDays, recoveryDays, avgRecoveryDays, winRate, profitFactor, avgWin, avgLoss, winLossRatio,
            expectancy, withTrades ? tradeCount : none, avgTradeDays, withTrades ? exposure : none,
            withTrades ? turnover : none, beta, correlation, tailRatio, var95, withTrades ? longestLosingStreak : none,
            fundingMonthly};
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < DEFS.size(); i++) {
            m.put(DEFS.get(i).key(), v[i]);
        }
        return m;
    }

    public static Def def(String key) {
        for (Def d : DEFS) {
            if (d.key().equals(key)) {
                return d;
            }
        }
        throw new IllegalArgumentException(key);
    }

    /** Period returns of a curve: e[i] / e[i−1] − 1 (n − 1 of them). */
    static double[] returns(double[] equity) {
        double[] r = new double[equity.length - 1];
        for (int i = 1; i < equity.length; i++) {
            r[i - 1] = equity[i] / equity[i - 1] - 1;
        }
        return r;
    }

    /**
     * Periods per year from the spacing of the times (the evaluator's {@code Frequency} rules): daily
     * with no weekend dates 252, daily with weekends 365, weekly 52, monthly 12, otherwise 365 days / median gap
     * (hourly: 8,760).
     */
    static double periodsPerYear(long[] time) {
        return Frequency.infer(time).periodsPerYear(); // the evaluator's rules, one place
    }

    /** numpy's default (linear) percentile of unsorted values, p in [0, 100]. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = p / 100 * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    /** Returns less the risk-free rate compounded to one period ({@code r} itself for a rate of 0). */
    static double[] excess(double[] r, double periodsPerYear, double riskFree) {
        if (riskFree == 0) {
            return r;
        }
        double rfPeriod = Math.pow(1 + riskFree, 1 / periodsPerYear) - 1;
        double[] x = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            x[i] = r[i] - rfPeriod;
        }
        return x;
    }

    /**
     * Computes the metrics.
     *
     * @param curve  the backtest's curve in time order
     * @param market  the curve aligned with the benchmark, null without one
     * @param funding funding paid over the backtest, NaN if unknown
     */
    static Metrics compute(Backtest bt, Curve curve, double periodsPerYear, double riskFree, Market market,
                           double funding) {
        long[] time = curve.time();
        double[] equity = curve.equity();
        double[] r = curve.returns();
        PortfolioMetrics pm = PortfolioMetrics.of(r, 0, r.length, periodsPerYear);
        // Sharpe and Sortino on excess returns; the rest on raw returns
        double[] x = excess(r, periodsPerYear, riskFree);
        PortfolioMetrics excess = x == r ? pm : PortfolioMetrics.of(x, 0, x.length, periodsPerYear);
        // drawdown episodes: a new high ends the current episode
        double peak = equity[0];
        int peakIdx = 0;
        boolean in = false;
        double depth = 0;
        int troughIdx = 0;
        List<Double> depths = new ArrayList<>();
        double longest = 0;
        double recoveredDays = 0;
        int recovered = 0;
        double worst = 0;
        double worstRecovery = Double.NaN;
        for (int i = 1; i <= equity.length; i++) {
            boolean end = i == equity.length;
            if (end || equity[i] >= peak) {
                if (in) {
                    depths.add(depth);
                    longest = Math.max(longest, (time[end ? i - 1 : i] - time[peakIdx]) / DAY);
                    if (!end) {
                        recoveredDays += (time[i] - time[peakIdx]) / DAY;
                        recovered++;
                    }
                    if (depth < worst) {
                        worst = depth;
                        worstRecovery = end ? Double.NaN : (time[i] - time[troughIdx]) / DAY;
                    }
                    in = false;
                    depth = 0;
                }
                if (!end) {
                    peak = equity[i];
                    peakIdx = i;
                }
            } else {
                in = true;
                double dd = equity[i] / peak - 1;
                if (dd < depth) {
                    depth = dd;
                    troughIdx = i;
                }
            }
        }
        double avgDd = 0;
        for (double d : depths) {
            avgDd += d;
        }
        avgDd = depths.isEmpty() ? 0 : avgDd / depths.size();

        // trades
        List<Trade> trades = bt.trades();
        int n = trades.size();
        double gains = 0;
        double losses = 0;
        int wins = 0;
        int nLoss = 0;
        double duration = 0;
        for (Trade t : trades) {
            if (t.pnl() > 0) {
                gains += t.pnl();
                wins++;
            } else if (t.pnl() < 0) {
                losses -= t.pnl();
                nLoss++;
            }
            duration += (t.exitTime() - t.entryTime()) / DAY;
        }
        double winRate = n > 0 ? (double) wins / n : Double.NaN;
        double pf = losses > 0 ? gains / losses : Double.NaN;
        double avgWin = wins > 0 ? gains / wins : Double.NaN;
        double avgLoss = nLoss > 0 ? -losses / nLoss : Double.NaN;
        double expectancy = n > 0 ? (gains - losses) / n : Double.NaN;

        double meanEquity = 0;
        for (double e : equity) {
            meanEquity += e / equity.length;
        }
        double years = (time[time.length - 1] - time[0]) / (365.25 * DAY);
        double months = years * 12;
        return new Metrics(periodsPerYear, pm.totalReturn(), pm.annualReturn(), pm.annualVolatility(),
                excess.sharpe(), excess.sortino(), Stats.probabilisticSharpe(x, 0), pm.calmar(), pm.maxDrawdown(),
                avgDd, longest, worstRecovery, recovered > 0 ? recoveredDays / recovered : Double.NaN, winRate, pf,
                avgWin, avgLoss, avgWin / Math.abs(avgLoss), expectancy, n, n > 0 ? duration / n : Double.NaN,
                exposure(trades, bt.periodStart(), bt.periodEnd(), bar(time)),
                years > 0 && meanEquity > 0 ? traded(trades) / meanEquity / years : Double.NaN,
                market == null ? Double.NaN : market.beta(),
                market == null ? Double.NaN : market.correlation(), tailRatio(r), percentile(r, 5),
                losingStreak(trades), months > 0 && meanEquity > 0 ? funding / meanEquity / months : Double.NaN,
                bt.origin().tradesGiven());
    }

    /** A trade's position value: |quantity| × entry price when both are given, else |pnl / return|; NaN if neither. */
    static double positionValue(Trade t) {
        double v = Math.abs(t.quantity()) * t.entryPrice();
        if (v > 0 && !Double.isInfinite(v)) {
            return v;
        }
        v = t.ret() != 0 ? Math.abs(t.pnl() / t.ret()) : Double.NaN;
        return v > 0 && !Double.isInfinite(v) ? v : Double.NaN;
    }

    /**
     * Value traded by the trades, entries and exits: the position value at entry, and at exit that value moved by the
     * price ({@code |quantity| × exit price}) or by the return. NaN when no trade has a value, 0 without trades.
     */
    static double traded(List<Trade> trades) {
        double sum = 0;
        int known = 0;
        for (Trade t : trades) {
            double v = positionValue(t);
            if (v != v) {
                continue;
            }
            double exit = Math.abs(t.quantity()) * t.exitPrice();
            sum += v + (exit > 0 && !Double.isInfinite(exit) ? exit : v * Math.max(0, 1 + t.direction() * t.ret()));
            known++;
        }
        return known == 0 && !trades.isEmpty() ? Double.NaN : sum;
    }

    /**
     * The curve's usual spacing, its median gap, as it is: not {@link Frequency}'s nominal bar, which calls any spacing
     * of 1 to 4 days daily (a curve with a point every 3 days has bars of 3 days, for exposure and for gaps).
     */
    static long bar(long[] time) {
        if (time.length < 2) {
            return 0;
        }
        long[] gaps = new long[time.length - 1];
        for (int i = 1; i < time.length; i++) {
            gaps[i - 1] = time[i] - time[i - 1];
        }
        Arrays.sort(gaps);
        return Math.max(0, gaps[gaps.length / 2]);
    }

    /**
     * Share of [start, end] covered by the union of the trades' [entry, exit] intervals. A trade shorter than one bar
     * (entered and left within a day stamped by its date) held a position for that bar, so it covers one.
     */
    static double exposure(List<Trade> trades, long start, long end, long bar) {
        if (end <= start) {
            return Double.NaN;
        }
        long[][] iv = new long[trades.size()][];
        for (int i = 0; i < iv.length; i++) {
            Trade t = trades.get(i);
            long from = Math.min(t.entryTime(), t.exitTime());
            long to = Math.max(Math.max(t.entryTime(), t.exitTime()), from + bar);
            iv[i] = new long[] {Math.max(start, from), Math.min(end, to)};
        }
        Arrays.sort(iv, (a, b) -> Long.compare(a[0], b[0]));
        long covered = 0;
        long curStart = Long.MIN_VALUE;
        long curEnd = Long.MIN_VALUE;
        for (long[] x : iv) {
            if (x[1] <= x[0]) {
                continue;
            }
            if (x[0] > curEnd) {
                if (curEnd > curStart) {
                    covered += curEnd - curStart;
                }
                curStart = x[0];
                curEnd = x[1];
            } else {
                curEnd = Math.max(curEnd, x[1]);
            }
        }
        if (curEnd > curStart) {
            covered += curEnd - curStart;
        }
        return (double) covered / (end - start);
    }

    /** empyrical's tail ratio: |95th percentile| / |5th percentile|. */
    static double tailRatio(double[] r) {
        double lo = Math.abs(percentile(r, 5));
        return lo > 0 ? Math.abs(percentile(r, 95)) / lo : Double.NaN;
    }

    /** Most consecutive losing trades, in exit-time order. */
    static int losingStreak(List<Trade> trades) {
        List<Trade> byExit = new ArrayList<>(trades);
        byExit.sort((a, b) -> Long.compare(a.exitTime(), b.exitTime()));
        int best = 0;
        int cur = 0;
        for (Trade t : byExit) {
            cur = t.pnl() < 0 ? cur + 1 : 0;
            best = Math.max(best, cur);
        }
        return best;
    }
}
