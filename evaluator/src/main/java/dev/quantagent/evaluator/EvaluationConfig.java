package dev.quantagent.evaluator;

import java.time.LocalDate;

/**
 * How factors are evaluated.
 *
 * @param horizon        holding periods of the forward-return label
 * @param delay          periods between the factor's close and the trade (1: trade at the next close)
 * @param costBps        trading cost in basis points per unit of notional traded, per side
 * @param quantiles      number of equal-count quantile buckets per date
 * @param trainFraction  share of dates in train (used when no split dates are given)
 * @param validFraction  share of dates in valid
 * @param validFrom      first day of valid, or null for fractions
 * @param testFrom       first day of test, or null for fractions
 * @param periodsPerYear annualisation override, or null to infer from the dates
 */
public record EvaluationConfig(int horizon, int delay, double costBps, int quantiles, double trainFraction,
                               double validFraction, LocalDate validFrom, LocalDate testFrom, Double periodsPerYear) {

    public static final EvaluationConfig DEFAULT = new EvaluationConfig(1, 1, 10.0, 5, 0.6, 0.2, null, null, null);

    public EvaluationConfig {
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
        }
        if (delay != 0 && delay != 1) {
            throw new IllegalArgumentException("delay must be 0 or 1, got " + delay);
        }
        if (!(costBps >= 0) || Double.isInfinite(costBps)) {
            throw new IllegalArgumentException("cost must be a non-negative number of basis points, got " + costBps);
        }
        if (quantiles < 2 || quantiles > 100) {
            throw new IllegalArgumentException("quantiles must be between 2 and 100, got " + quantiles);
        }
        if ((validFrom == null) != (testFrom == null)) {
            throw new IllegalArgumentException("give both split dates (valid and test) or neither");
        }
        if (validFrom != null && !validFrom.isBefore(testFrom)) {
            throw new IllegalArgumentException("the valid split must start before the test split");
        }
    }

    public EvaluationConfig withHorizon(int h) {
        return new EvaluationConfig(h, delay, costBps, quantiles, trainFraction, validFraction, validFrom, testFrom,
                periodsPerYear);
    }

    public EvaluationConfig withDelay(int d) {
        return new EvaluationConfig(horizon, d, costBps, quantiles, trainFraction, validFraction, validFrom, testFrom,
                periodsPerYear);
    }

    public EvaluationConfig withCostBps(double bps) {
        return new EvaluationConfig(horizon, delay, bps, quantiles, trainFraction, validFraction, validFrom, testFrom,
                periodsPerYear);
    }

    public EvaluationConfig withQuantiles(int q) {
        return new EvaluationConfig(horizon, delay, costBps, q, trainFraction, validFraction, validFrom, testFrom,
                periodsPerYear);
    }

    public EvaluationConfig withFractions(double train, double valid) {
        return new EvaluationConfig(horizon, delay, costBps, quantiles, train, valid, null, null, periodsPerYear);
    }

    public EvaluationConfig withSplitDates(LocalDate valid, LocalDate test) {
        return new EvaluationConfig(horizon, delay, costBps, quantiles, trainFraction, validFraction, valid, test,
                periodsPerYear);
    }

    public EvaluationConfig withPeriodsPerYear(Double p) {
        return new EvaluationConfig(horizon, delay, costBps, quantiles, trainFraction, validFraction, validFrom,
                testFrom, p);
    }
}
