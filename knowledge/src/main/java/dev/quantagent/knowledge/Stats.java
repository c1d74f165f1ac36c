package dev.quantagent.knowledge;

/**
 * The figures of one split that the knowledge base keeps (the full report can always be recomputed from the
 * canonical formula and the data). {@code rankIcTstatNw} and {@code sharpeGross} read as 0 from records stored before
 * they were kept.
 */
public record Stats(double ic, double rankIc, double icir, double rankIcir, double icTstat, double longShort,
                    double annualReturn, double sharpe, double maxDrawdown, double turnover, double coverage,
                    int nDates, double rankIcTstatNw, double sharpeGross) {
}
