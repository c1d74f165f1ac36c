package dev.quantagent.assistant;

import dev.quantagent.evaluator.Significance;

import org.apache.commons.statistics.distribution.HypergeometricDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The distributions the analysis tests with, from Apache Commons Statistics and the evaluator's {@link Significance}
 * (which the miner's evidence uses too): the standard normal, the hypergeometric upper tail (Fisher's exact test,
 * one-sided) and the probabilistic Sharpe ratio.
 */
final class Stats {

    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    private Stats() {
    }

    /** Φ(x), the standard normal CDF. */
    static double normalCdf(double x) {
        return x != x ? Double.NaN : NORMAL.cumulativeProbability(x);
    }

    /** Φ⁻¹(p). */
    static double normalInverse(double p) {
        return p != p ? Double.NaN : NORMAL.inverseCumulativeProbability(p);
    }

    /**
     * P(X ≥ k) for X hypergeometric: {@code n} draws without replacement from {@code total} items of which
     * {@code marked} are marked: the one-sided p-value of Fisher's exact test that a bucket of n trades holds at least
     * k of the losses by chance.
     */
    static double hypergeometricUpperTail(int k, int total, int marked, int n) {
        if (k <= 0) {
            return 1;
        }
        return HypergeometricDistribution.of(total, marked, n).survivalProbability(k - 1);
    }

    /**
     * The probabilistic Sharpe ratio (Bailey and López de Prado, 2012) of per-period returns against a per-period
     * {@code benchmark} Sharpe ratio: see {@link Significance#probabilisticSharpe(double[], double)}. NaN below 3
     * returns or for a constant series.
     */
    static double probabilisticSharpe(double[] returns, double benchmark) {
        return Significance.probabilisticSharpe(returns, benchmark);
    }

    /**
     * The Sharpe ratio (per period) that the best of {@code trials} independent unskilled strategies would reach by
     * luck: the expected maximum of N standard normals, scaled by the standard error of the Sharpe estimate (the
     * deflated Sharpe ratio's threshold, Bailey and López de Prado 2014, with the trials' Sharpe variance taken as
     * the estimator's own variance {@code (1 + SR²/2) / (n − 1)}).
     */
    static double luckySharpe(int trials, double sharpePerPeriod, int n) {
        if (trials < 2 || n < 3) {
            return 0;
        }
        return Significance.expectedMaxSharpe((1 + sharpePerPeriod * sharpePerPeriod / 2) / (n - 1), trials);
    }
}
