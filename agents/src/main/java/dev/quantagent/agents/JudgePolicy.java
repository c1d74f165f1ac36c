package dev.quantagent.agents;

import dev.quantagent.evaluator.Significance;

/**
 * The {@link RuleJudge}'s thresholds, configurable per run. Each default is justified in one line.
 *
 * @param minRankIc         smallest mean rank IC on train worth a look at valid, whatever its t-statistic: 0.01, as
 *                          a daily signal weaker than that rarely pays for its trading even inside a combination
 * @param alpha             the error rate of the multiple-testing adjustment: 0.05, the convention
 * @param adjustment        how evidence is adjusted for the trials on the data: BHY, the factor zoo's adjustment
 *                          (Harvey, Liu and Zhu 2016), which bounds the share of false discoveries under any
 *                          dependence and lets a search that finds many real factors accept them
 * @param minStableFolds    how many of the {@value dev.quantagent.evaluator.SplitStatistics#FOLDS} consecutive
 *                          thirds of train must show the rank IC's sign: all of them, as a relation that reverses
 *                          within train is a regime artefact, not an edge
 * @param requireNet        whether a factor must earn money after costs at some holding period (on train, and on
 *                          valid at that holding period) to be accepted: no, since a weak signal that does not pay for
 *                          its own trading can still earn inside a combination, which is judged net of costs
 * @param maxTurnover       mean one-way turnover per rebalance above which the Judge asks for smoothing (not a
 *                          rejection): 0.7
 * @param minCoverage       smallest share of labelled cells with a value: 0.6, so that the statistics describe most
 *                          of the universe
 * @param maxCorrelation    largest |correlation| of factor values with an accepted factor: 0.7, the usual
 *                          redundancy bar of factor libraries
 * @param maxOverlapShare   largest share of the candidate's nodes that may be a sub-tree of an accepted factor: 0.8
 * @param maxNodes          largest canonical node count: 40, past which formulas are rarely readable or robust
 * @param minValidOverTrain valid rank IC below this share of train's is reported as a likely overfit (not a
 *                          rejection): 0.3
 * @param suspiciousRankIc  a mean rank IC above this is treated as leakage: 0.25, far above any daily factor's
 */
public record JudgePolicy(double minRankIc, double alpha, Significance.Adjustment adjustment, int minStableFolds,
                          boolean requireNet, double maxTurnover, double minCoverage, double maxCorrelation,
                          double maxOverlapShare, int maxNodes, double minValidOverTrain, double suspiciousRankIc) {

    public static final JudgePolicy DEFAULT = new JudgePolicy(0.01, 0.05, Significance.Adjustment.BHY, 3, false,
            0.7, 0.6, 0.7, 0.8, 40, 0.3, 0.25);

    public JudgePolicy {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must lie strictly between 0 and 1, got " + alpha);
        }
        if (minStableFolds < 0 || minStableFolds > dev.quantagent.evaluator.SplitStatistics.FOLDS) {
            throw new IllegalArgumentException("stable folds must be between 0 and "
                    + dev.quantagent.evaluator.SplitStatistics.FOLDS + ", got " + minStableFolds);
        }
        if (adjustment == null) {
            throw new IllegalArgumentException("give a multiple-testing adjustment");
        }
    }

    public JudgePolicy withMinRankIc(double v) {
        return new JudgePolicy(v, alpha, adjustment, minStableFolds, requireNet, maxTurnover, minCoverage,
                maxCorrelation, maxOverlapShare, maxNodes, minValidOverTrain, suspiciousRankIc);
    }

    public JudgePolicy withAlpha(double v) {
        return new JudgePolicy(minRankIc, v, adjustment, minStableFolds, requireNet, maxTurnover, minCoverage,
                maxCorrelation, maxOverlapShare, maxNodes, minValidOverTrain, suspiciousRankIc);
    }

    public JudgePolicy withRequireNet(boolean v) {
        return new JudgePolicy(minRankIc, alpha, adjustment, minStableFolds, v, maxTurnover, minCoverage,
                maxCorrelation, maxOverlapShare, maxNodes, minValidOverTrain, suspiciousRankIc);
    }

    public JudgePolicy withMinStableFolds(int v) {
        return new JudgePolicy(minRankIc, alpha, adjustment, v, requireNet, maxTurnover, minCoverage,
                maxCorrelation, maxOverlapShare, maxNodes, minValidOverTrain, suspiciousRankIc);
    }
}
