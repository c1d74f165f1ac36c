package dev.quantagent.agents;

/**
 * Pass thresholds of the {@link RuleJudge}, configurable per run.
 *
 * @param minRankIc         smallest valid rank IC to accept
 * @param minRankIcir       smallest valid rank ICIR (daily, not annualised)
 * @param minSharpe         smallest valid long-short Sharpe after costs
 * @param maxTurnover       largest mean one-way turnover per rebalance
 * @param minCoverage       smallest share of labelled cells with a value
 * @param maxCorrelation    largest |correlation| with an accepted factor
 * @param maxOverlapShare   largest share of the candidate's nodes that may be a sub-tree of an accepted factor
 * @param maxNodes          largest canonical node count
 * @param minValidOverTrain smallest ratio of valid to train rank IC (overfitting), when train is positive
 * @param suspiciousRankIc  a valid rank IC above this is treated as leakage
 * @param sharpeIsHard      whether a Sharpe below {@code minSharpe} rejects (true) or only lowers the score and is
 *                          reported as cost drag (false: a daily, fully rebalanced long-short of a weak signal rarely
 *                          survives costs on its own, yet can be a useful component)
 */
public record JudgePolicy(double minRankIc, double minRankIcir, double minSharpe, double maxTurnover,
                          double minCoverage, double maxCorrelation, double maxOverlapShare, int maxNodes,
                          double minValidOverTrain, double suspiciousRankIc, boolean sharpeIsHard) {

    /** Thresholds for daily equity-style data: a weak but real, novel signal passes; cost drag is reported. */
    public static final JudgePolicy DEFAULT = new JudgePolicy(0.015, 0.08, 0.0, 0.7, 0.6, 0.7, 0.8, 40, 0.3,
            0.25, false);
}
