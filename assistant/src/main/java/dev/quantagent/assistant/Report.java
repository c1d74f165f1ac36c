package dev.quantagent.assistant;

import java.util.List;
import java.util.Map;

/**
 * The analysis of one backtest: what {@link Reports} renders as markdown or JSON.
 *
 * @param curve     the backtest's equity curve in time order, as the metrics and charts use it
 * @param summary   the rule-based summary, always there
 * @param score     0–100 before the letter (see {@link Interpretation#grade})
 * @param market    the strategy aligned with its benchmark, null without one
 * @param regimes   the regime table ({@link MarketRegimes}: three groups, each in its names' order), empty without a
 *                  benchmark or when too short
 * @param regimeWindow the trailing window that classified the regimes, in trading days
 * @param problem   the flagged regime whose losses come fastest, null if none
 * @param sizing    position sizing from the chapter's table, the grade and the drawdown
 * @param breakevenCost the round-trip cost at which the mean trade return reaches zero, NaN without trades
 * @param funding   funding charged from the funding rates given, null without them
 * @param panels    the quantstats-style figures: rolling Sharpe, volatility and beta, worst drawdowns, months
 * @param narrative what an LLM added, checked (see {@link Narrator}); null when no LLM was configured
 */
public record Report(Backtest backtest, Curve curve, Metrics metrics, String summary, String grade, double score,
                     Interpretation.Band sharpeBand, Interpretation.Band drawdownBand, String profile,
                     List<Finding> findings, List<String> strengths, List<Recommendation> recommendations,
                     List<CheckItem> checklist, List<CostCase> costs, Halves halves, Map<String, double[]> lossesBy,
                     Market market, List<Regime> regimes, int regimeWindow, Regime problem, Sizing sizing,
                     double breakevenCost, Funding funding, Panels panels, Narrative narrative) {

    public Report withNarrative(Narrative n) {
        return new Report(backtest, curve, metrics, summary, grade, score, sharpeBand, drawdownBand, profile, findings,
                strengths, recommendations, checklist, costs, halves, lossesBy, market, regimes, regimeWindow, problem,
                sizing, breakevenCost, funding, panels, n);
    }

    /** How bad a finding is; the order is the order of importance. */
    public enum Severity { CRITICAL, HIGH, MEDIUM, LOW, INFO }

    /** What a recommendation is about. */
    public enum Category {
        RISK_MANAGEMENT("risk management"), ENTRY_SIGNAL("entry signal"), EXIT_SIGNAL("exit signal"),
        POSITION_SIZING("position sizing"), ASSET_SELECTION("asset selection"), MARKET_TIMING("market timing"),
        COST_REDUCTION("cost reduction");

        public final String label;

        Category(String label) {
            this.label = label;
        }
    }

    /** One problem found, with a stable code (tests and JSON consumers match on it). */
    public record Finding(Severity severity, String code, String title, String detail) {
    }

    /** What to do about it. Priority uses the severity scale without INFO. */
    public record Recommendation(Severity priority, Category category, String title, String expectedImpact,
                          List<String> steps) {
    }

    /**
     * Position sizing: a row of the chapter's table (maximum position per trade, maximum portfolio risk, leverage,
     * each a range as fractions and multiples), or none at all.
     *
     * @param tier    do not trade, paper trade, or the Sharpe band whose row applies (acceptable, good, excellent)
     * @param reasons why no capital, or what capped the row
     */
    public record Sizing(String tier, double[] maxPosition, double[] portfolioRisk, double[] leverage, String guidance,
                  List<String> reasons) {
        static final List<String> ROWS = List.of("acceptable", "good", "excellent");
        static final double[][] POSITION = {{0.05, 0.10}, {0.10, 0.15}, {0.15, 0.20}};
        static final double[][] RISK = {{0.15, 0.20}, {0.25, 0.30}, {0.30, 0.40}};
        static final double[][] LEVERAGE = {{1, 1}, {1, 1.5}, {1.5, 2}};

        static Sizing none(String guidance, List<String> reasons) {
            return new Sizing("do not trade", new double[2], new double[2], new double[2], guidance,
                    List.copyOf(reasons));
        }

        static Sizing paper(String guidance, List<String> reasons) {
            return new Sizing("paper trade", new double[2], new double[2], new double[2], guidance,
                    List.copyOf(reasons));
        }

        /** The table's row {@code row} (0 acceptable, 1 good, 2 excellent) for a strategy of the given band. */
        static Sizing row(int row, String band, boolean noLeverage, List<String> caps) {
            double[] lev = noLeverage ? new double[] {1, 1} : LEVERAGE[row].clone();
            String text = String.format(java.util.Locale.ROOT, "Max position %.0f–%.0f%% of the portfolio per trade, "
                            + "max portfolio risk %.0f–%.0f%%, leverage %s: the chapter's row for %s %s Sharpe",
                    100 * POSITION[row][0], 100 * POSITION[row][1], 100 * RISK[row][0], 100 * RISK[row][1],
                    lev[0] == lev[1] ? plain(lev[0]) + "x" : plain(lev[0]) + "–" + plain(lev[1]) + "x", ROWS.get(row).equals("acceptable") || ROWS.get(row).equals("excellent") ? "an"
                            : "a", ROWS.get(row));
            if (!ROWS.get(row).equals(band)) {
                text += " (the Sharpe is " + band + ")";
            }
            text += caps.isEmpty() ? "." : "; " + String.join("; ", caps) + ".";
            return new Sizing(ROWS.get(row), POSITION[row].clone(), RISK[row].clone(), lev, text, List.copyOf(caps));
        }

        private static String plain(double v) {
            return new java.math.BigDecimal(String.valueOf(v)).stripTrailingZeros().toPlainString();
        }
    }

    /** One line of the risk checklist; status is ok, warn, fail or check (manual). */
    public record CheckItem(String area, String item, String status, String note) {
    }

    /** Trade-level results at a multiple of the stated costs. */
    public record CostCase(double multiplier, double roundTripCost, double meanTradeReturn, double profitFactor,
                    boolean edgeSurvives) {
    }

    /** In-sample vs out-of-sample figures when the backtest gives {@code in_sample_end}. */
    public record Halves(double isSharpe, double oosSharpe, double isAnnualReturn, double oosAnnualReturn, int isPeriods,
                  int oosPeriods) {
    }

    /**
     * One market regime's figures over the strategy's intervals classified into it (see {@link MarketRegimes}).
     * Returns are per trading day (the geometric mean) and over the whole regime (compounded), so they read the same
     * whatever the bar and never grow into the absurd annualised figures of a volatile regime.
     *
     * @param group          which classification: trend / volatility, volatility percentile or trend strength
     * @param periods        the strategy's intervals in it
     * @param days           trading days those intervals span (the benchmark's days from each interval's start,
     *                       exclusive, to its end; an interval within one day counts that day once)
     * @param share          share of the group's classified intervals (of time)
     * @param strategyDaily  the strategy's geometric mean return per trading day there: (1 + total)^(1 / days) − 1
     * @param strategyTotal  the strategy's compounded return over its intervals there
     * @param benchmarkDaily the benchmark's geometric mean return per trading day over the same intervals
     * @param benchmarkTotal the benchmark's compounded return over the same intervals
     * @param meanReturn     the strategy's mean return per interval
     * @param shareOfLosses  this regime's share of the sum of the strategy's negative interval returns
     * @param lossIntensity  losses per interval here over losses per interval in the rest of the time
     * @param flagged        losses come at least 1.5 times as fast here, it loses money, over enough days
     */
    public record Regime(String group, String name, int periods, int days, double share, double strategyDaily,
                  double strategyTotal, double benchmarkDaily, double benchmarkTotal, double meanReturn,
                  double shareOfLosses, double lossIntensity, boolean flagged) {
    }

    /** The strategy's id. */
    public String strategy() {
        return backtest.strategy();
    }
}
