package dev.quantagent.agents;

import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.knowledge.Stats;

/** The figures of one split's statistics that the knowledge base keeps. */
final class StoredStats {

    private StoredStats() {
    }

    static Stats of(SplitStatistics s) {
        return new Stats(s.ic(), s.rankIc(), s.icir(), s.rankIcir(), s.icTstat(), s.longShort(),
                s.portfolio().annualReturn(), s.portfolio().sharpe(), s.portfolio().maxDrawdown(), s.turnover(),
                s.coverage(), s.nDates(), s.rankIcTstatNeweyWest(), s.grossPortfolio().sharpe());
    }
}
