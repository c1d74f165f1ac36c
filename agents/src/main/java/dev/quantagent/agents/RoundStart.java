package dev.quantagent.agents;

import dev.quantagent.agents.MiningRun.PoolEntry;

import java.util.List;

/**
 * A round's start, as all its candidates see it whatever their timing: pool, last id, counts for the bars, retrieval.
 *
 * @param poolSize  the pool's size
 * @param known     the pool: what the round's explorers check novelty against
 * @param recordId  the knowledge base's last factor id: what the round's candidates may see
 * @param trials    trials on this data
 * @param looks     looks at valid on this data
 * @param accepted  accepted factors on this data
 * @param successes accepted formulas the Writer builds on
 * @param failures  failures the Writer is shown, each with its main reason
 */
record RoundStart(int poolSize, List<PoolEntry> known, long recordId, long trials, long looks, long accepted,
                  List<String> successes, List<String> failures) {

    /**
     * The bar of the search for candidate k: what the best of every trial on this data would reach by luck, the
     * trials counted as if each of the round's earlier candidates used all its steps (an upper bound that does not
     * depend on timing).
     */
    RuleJudge.Bar searchBar(MiningConfig config, int k, int step) {
        int position = k % config.candidatesPerRound();
        return RuleJudge.Bar.search(trials + (long) position * config.stepsPerFactor() + step);
    }

    /** The gate's bar for candidate k: every look at valid on this data, the round's earlier candidates' included. */
    RuleJudge.Bar gateBar(MiningConfig config, int k) {
        int position = k % config.candidatesPerRound();
        return RuleJudge.Bar.of(config.policy(), looks + position + 1, accepted);
    }
}
