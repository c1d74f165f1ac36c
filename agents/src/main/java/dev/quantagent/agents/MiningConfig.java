package dev.quantagent.agents;

import java.time.Duration;

/**
 * How a mining run searches.
 *
 * @param rounds             outer-loop rounds
 * @param candidatesPerRound fresh ideas per round
 * @param stepsPerFactor     inner-loop steps per idea (the draft plus refinements)
 * @param seed               the run is deterministic for a seed
 * @param timeBudget         the run stops (resumably) after this long; null for no limit
 * @param policy             the Judge's thresholds
 * @param retrievalK         accepted factors, and failures, the Writer retrieves from the knowledge base at each
 *                           round's start (any run on the same data; 0: only this run's pool and latest failures)
 * @param finish             how the run concludes: the pool's combination, the baseline, the books
 */
public record MiningConfig(int rounds, int candidatesPerRound, int stepsPerFactor, long seed, Duration timeBudget,
                           JudgePolicy policy, int retrievalK, FinishConfig finish) {

    /** Factors retrieved from the knowledge base per round, of each kind, unless set. */
    public static final int DEFAULT_RETRIEVAL_K = 5;

    /** About a minute on the embedded market: 5 rounds of 20 ideas, up to 4 steps each. */
    public static final MiningConfig DEFAULT = new MiningConfig(5, 20, 4, 42, null, JudgePolicy.DEFAULT);

    public MiningConfig {
        if (rounds < 1 || candidatesPerRound < 1 || stepsPerFactor < 1) {
            throw new IllegalArgumentException("rounds, candidates per round and steps per factor must be at least 1");
        }
        if (timeBudget != null && (timeBudget.isNegative() || timeBudget.isZero())) {
            throw new IllegalArgumentException("the time budget must be positive");
        }
        if (retrievalK < 0 || retrievalK > 100) {
            throw new IllegalArgumentException("the retrieval k must be between 0 and 100, got " + retrievalK);
        }
        if (finish == null) {
            throw new IllegalArgumentException("give how the run concludes");
        }
    }

    /** With the default conclusion ({@link FinishConfig#DEFAULT}). */
    public MiningConfig(int rounds, int candidatesPerRound, int stepsPerFactor, long seed, Duration timeBudget,
                        JudgePolicy policy, int retrievalK) {
        this(rounds, candidatesPerRound, stepsPerFactor, seed, timeBudget, policy, retrievalK, FinishConfig.DEFAULT);
    }

    /** With the default retrieval ({@link #DEFAULT_RETRIEVAL_K}). */
    public MiningConfig(int rounds, int candidatesPerRound, int stepsPerFactor, long seed, Duration timeBudget,
                        JudgePolicy policy) {
        this(rounds, candidatesPerRound, stepsPerFactor, seed, timeBudget, policy, DEFAULT_RETRIEVAL_K);
    }

    public int totalCandidates() {
        return rounds * candidatesPerRound;
    }
}
