package dev.quantagent.knowledge;

import dev.quantagent.evaluator.SplitStatistics;

/**
 * The figures of one split that the knowledge base keeps (the full report can always be recomputed from the
 * canonical formula and the data). {@code rankIcTstatNw} and {@code sharpeGross} read as 0 from records stored before
 * they were kept.
 */
public record Stats(double ic, double rankIc, double icir, double rankIcir, double icTstat, double longShort,
                    double annualReturn, double sharpe, double maxDrawdown, double turnover, double coverage,
                    int nDates, double rankIcTstatNw, double sharpeGross) {

    public static Stats of(SplitStatistics s) {
        return new Stats(s.ic(), s.rankIc(), s.icir(), s.rankIcir(), s.icTstat(), s.longShort(),
                s.portfolio().annualReturn(), s.portfolio().sharpe(), s.portfolio().maxDrawdown(), s.turnover(),
                s.coverage(), s.nDates(), s.rankIcTstatNeweyWest(), s.grossPortfolio().sharpe());
    }
}
