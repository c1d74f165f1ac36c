package dev.quantagent.assistant;

import dev.quantagent.assistant.Backtest.AssetClass;
import dev.quantagent.assistant.Backtest.Trade;
import dev.quantagent.assistant.Report.Category;
import dev.quantagent.assistant.Report.CheckItem;
import dev.quantagent.assistant.Report.CostCase;
import dev.quantagent.assistant.Report.Finding;
import dev.quantagent.assistant.Report.Halves;
import dev.quantagent.assistant.Report.Recommendation;
import dev.quantagent.assistant.Report.Severity;
import dev.quantagent.evaluator.PortfolioMetrics;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rules-only analysis of one backtest: metrics, pitfalls (each a {@link Finding} with a severity and, where there is
 * something to do, a {@link Recommendation}), grade, checklist and summary. Thresholds live in
 * {@link Interpretation}.
 */
final class Analyzer {

    private static final double DAY = 86_400.0;
    /** The smallest in-sample Sharpe whose out-of-sample collapse is called overfitting. */
    private static final double OVERFIT_EDGE = 0.5;
    private static final String[] WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday"};

    /** Fewest trades a tuned parameter needs behind it. */
    static final int MIN_TRADES_PER_PARAMETER = 10;
    /** A parameter neighbour keeping less than this share of the Sharpe is a cliff. */
    static final double SENSITIVITY_KEEP = 0.5;
    /** The deflated Sharpe ratio (the probability of beating luck among the trials) a result should reach. */
    static final double DEFLATED_CONFIDENCE = 0.95;
    /** A maker share above this is an optimistic execution assumption. */
    static final double MAKER_SHARE_OPTIMISTIC = 0.5;

    private final Backtest bt;
    private double deflated = Double.NaN;
    private double participation = Double.NaN;
    private double breakeven = Double.NaN;
    private Funding charged;
    private final List<Finding> findings = new ArrayList<>();
    private final List<Recommendation> recommendations = new ArrayList<>();
    private final List<String> strengths = new ArrayList<>();

    private Analyzer(Backtest bt) {
        this.bt = bt;
    }

    /**
     * Analyses a backtest.
     *
     * @param riskFree      annual risk-free rate for Sharpe and Sortino
     * @param annualization periods per year, or null to infer it from the equity curve's spacing
     */
    static Report analyze(Backtest bt, double riskFree, Double annualization) {
        return analyze(bt, new Analysis.Options(riskFree, annualization));
    }

    static Report analyze(Backtest bt, Analysis.Options options) {
        return new Analyzer(bt).run(options.riskFree(), options.annualization(), options.regimeWindow());
    }

    private void add(Severity s, String code, String title, String detail, Recommendation rec) {
        findings.add(new Finding(s, code, title, detail));
        if (rec != null) {
            recommendations.add(rec);
        }
    }

    private static Recommendation rec(Severity p, Category c, String title, String impact, String... steps) {
        return new Recommendation(p, c, title, impact, List.of(steps));
    }

    private Report run(double riskFree, Double annualization, int regimeWindow) {
        // the curve in time order: out-of-order points are a finding, not a reason to refuse the analysis
        Curve curve = Curve.of(bt);
        long[] time = curve.time();
        double[] equity = curve.equity();
        double p = annualization != null ? annualization : Metrics.periodsPerYear(time);
        Market market = bt.benchmarkTime() == null ? null
                : Market.align(time, equity, bt.benchmarkTime(), bt.benchmarkPrice());
        charged = bt.extras().fundingRates() == null ? null : Funding.charge(bt.trades(), bt.extras().fundingRates());
        Metrics m = Metrics.compute(bt, curve, p, riskFree, market, charged != null ? charged.total() : bt.funding());
        AssetClass ac = bt.assetClass();
        Interpretation.Band sharpeBand = Interpretation.sharpe(m.sharpe(), ac);
        Interpretation.Band ddBand = Interpretation.drawdown(m.maxDrawdown(), ac);
        String profile = Interpretation.profile(m.winRate(), m.profitFactor());

        dataQuality(m);
        missingStretch(time);
        inputs(market, time, equity);
        smoothness(m, sharpeBand, curve.returns());
        Halves halves = halves(curve, p, riskFree);
        tradeCount(m);
        List<CostCase> costs = new ArrayList<>();
        int survived = costs(m, costs);
        Map<String, double[]> lossesBy = clustering(p, m.longestLosingStreak());
        leverageAndFunding(m);
        modelRisk(m, Metrics.excess(curve.returns(), p, riskFree));
        liquidity();
        statedRegimes();
        risk(m, sharpeBand, ddBand, profile);
        List<Report.Regime> regimes = market == null ? List.of()
                : MarketRegimes.of(market, bt.benchmarkTime(), bt.benchmarkPrice(), regimeWindow);
        Report.Regime problem = regimes(market, regimes, regimeWindow);

        if (has("suspicious_smoothness")) {
            // figures that may come from look-ahead are no strengths until the audit clears them
            strengths.clear();
        }
        int critical = count(Severity.CRITICAL);
        int high = count(Severity.HIGH);
        int medium = count(Severity.MEDIUM);
        boolean withTrades = bt.origin().tradesGiven();
        double score = withTrades ? Interpretation.score(sharpeBand, ddBand, m.profitFactor(), m.tradeCount(),
                survived, high, medium) : Interpretation.curveScore(sharpeBand, ddBand, high, medium);
        String grade = Interpretation.grade(score, critical > 0, high > 0 || !withTrades);
        findings.sort(Comparator.comparing(Finding::severity));
        recommendations.sort(Comparator.comparing(Recommendation::priority));
        List<CheckItem> checklist = checklist(m, ddBand, halves, survived, regimes, problem);
        Report.Sizing sizing = sizing(m, sharpeBand, ddBand, grade);
        int concerns = critical + high + medium;
        String summary = String.format(Locale.ROOT,
                "%s (%s, %s): Sharpe %s (%s), max drawdown %.1f%% (%s), %s, %s; grade %s with %d "
                        + "concern%s (%d critical, %d high).",
                bt.strategy(), bt.assetClass().name().toLowerCase(Locale.ROOT), bt.type(),
                m.sharpe() == m.sharpe() ? String.format(Locale.ROOT, "%.2f", m.sharpe()) : "n/a",
                m.sharpe() == m.sharpe() ? sharpeBand.label() : "undefined", 100 * m.maxDrawdown(), ddBand.label(),
                withTrades ? m.tradeCount() + " trades" : "no trade list",
                withTrades ? profile.split(":")[0] : "trade profile unknown",
                grade, concerns, concerns == 1 ? "" : "s", critical, high);
        return new Report(bt, curve, m, summary, grade, score, sharpeBand, ddBand, profile, List.copyOf(findings),
                List.copyOf(strengths), List.copyOf(recommendations), checklist, costs, halves, lossesBy, market,
                regimes, regimeWindow, problem, sizing, breakeven, charged, Panels.of(curve, p, riskFree, market), null);
    }

    private boolean has(Severity s) {
        return count(s) > 0;
    }

    private int count(Severity s) {
        int c = 0;
        for (Finding f : findings) {
            c += f.severity() == s ? 1 : 0;
        }
        return c;
    }

    private void dataQuality(Metrics m) {
        long[] t = bt.equityTime();
        Backtest.Origin o = bt.origin();
        List<String> issues = new ArrayList<>();
        for (int i = 1; i < t.length; i++) {
            if (t[i] <= t[i - 1]) {
                issues.add(o.equityPoint(i, t[i]) + " is not after the point before it");
                break;
            }
        }
        if (!issues.isEmpty()) {
            add(Severity.HIGH, "data_time_order", "Equity curve times are not strictly increasing",
                    issues.get(0) + "; the curve was sorted for the analysis, but duplicated or shuffled rows "
                            + "usually mean a broken export.",
                    rec(Severity.HIGH, Category.RISK_MANAGEMENT, "Fix the equity-curve export",
                            "Trustworthy metrics", "Export one row per bar in time order.",
                            "Re-run the analysis."));
        }
        for (int i = 0; i < bt.equity().length; i++) {
            if (!(bt.equity()[i] > 0)) {
                add(Severity.CRITICAL, "data_equity_nonpositive", "Equity at or below zero",
                        o.equityPoint(i, t[i]) + " has equity " + bt.equity()[i]
                                + (o.equityFromTrades() ? ": the capital plus the realised P&L went to zero or below."
                                : ": the account was wiped out or the curve is P&L rather than equity."),
                        rec(Severity.CRITICAL, Category.RISK_MANAGEMENT, "Check the equity curve",
                                "Returns are meaningless until fixed",
                                "Give account equity (starting capital + cumulative P&L), not P&L.",
                                "If the account really went to zero, the strategy is not viable as sized."));
                break;
            }
        }
        List<String> outside = new ArrayList<>();
        List<String> reversed = new ArrayList<>();
        for (int i = 0; i < bt.trades().size(); i++) {
            Trade tr = bt.trades().get(i);
            if (tr.entryTime() < bt.periodStart() || tr.exitTime() > bt.periodEnd()) {
                outside.add(o.trade(i, tr.entryTime()));
            }
            if (tr.exitTime() < tr.entryTime()) {
                reversed.add(o.trade(i, tr.entryTime()));
            }
        }
        if (t[0] < bt.periodStart() || t[t.length - 1] > bt.periodEnd()) {
            outside.add(o.equityFile() == null ? "/equity_curve" : "the equity curve");
        }
        if (!outside.isEmpty()) {
            add(Severity.MEDIUM, "data_outside_period", "Data outside the stated period",
                    outside.size() + " item(s) fall outside " + Formats.day(bt.periodStart()) + " .. " + Formats.day(bt.periodEnd())
                            + ": " + first(outside) + ".", null);
        }
        if (!reversed.isEmpty()) {
            add(Severity.HIGH, "data_exit_before_entry", "Trades that exit before they enter",
                    reversed.size() + " trade(s): " + first(reversed) + ".", null);
        }
        if (bt.benchmarkTime() != null) {
            for (int i = 1; i < bt.benchmarkTime().length; i++) {
                if (bt.benchmarkTime()[i] <= bt.benchmarkTime()[i - 1]) {
                    add(Severity.MEDIUM, "data_benchmark_order", "Benchmark times are not strictly increasing",
                            o.benchmarkPoint(i, bt.benchmarkTime()[i]) + " is not after the point before it.",
                            null);
                    break;
                }
            }
        }
        statedMetrics(m);
    }

    /**
     * What the inputs leave out or disagree on: no trade list, a curve built from trades, trades whose P&amp;L does
     * not add up to the curve's gain, equity points without a benchmark price.
     */
    private void inputs(Market market, long[] time, double[] equity) {
        Backtest.Origin o = bt.origin();
        if (!o.tradesGiven()) {
            add(Severity.INFO, "no_trades", "Equity curve only",
                    "No trade list: trade count, win rate, profit factor, expectancy, exposure, cost sensitivity, "
                            + "loss clustering and the losing streak are not computed, and the grade rests on the "
                            + "curve's Sharpe and drawdown (capped at B). Give the trades for the full review.", null);
        }
        if (o.equityFromTrades()) {
            add(Severity.LOW, "equity_from_trades", "Equity curve built from the trades",
                    String.format(Locale.ROOT, "No equity curve was given: it is the starting capital %s plus the "
                            + "P&L of the trades closed by each day's start (00:00 UTC). Open positions are not "
                            + "marked to market, so volatility and drawdowns are understated and the Sharpe ratio "
                            + "overstated; give the equity curve for the real figures.", Formats.num(o.capital())),
                    null);
        }
        if (o.tradesGiven() && !o.equityFromTrades() && !bt.trades().isEmpty()) {
            // the P&L of the trades closed within the curve against the curve's gain over the same span
            double pnl = 0;
            for (Trade t : bt.trades()) {
                pnl += t.exitTime() > time[0] && t.exitTime() <= time[time.length - 1] ? t.pnl() : 0;
            }
            double gain = equity[equity.length - 1] - equity[0];
            double gap = pnl - gain;
            if (Math.abs(gap) > Math.max(0.01 * Math.abs(equity[0]), 0.1 * Math.abs(gain))) {
                // a gap of a quarter of the gain (and 2% of the capital) means the curve's figures may not be the
                // trades' at all: every metric below rests on one of the two
                boolean large = Math.abs(gap) > Math.max(0.02 * Math.abs(equity[0]), 0.25 * Math.abs(gain));
                Severity severity = large ? Severity.HIGH : Severity.MEDIUM;
                add(severity, "pnl_vs_equity", "Trade P&L does not add up to the equity curve",
                        String.format(Locale.ROOT, "The trades closed within the curve make %.2f but the curve "
                                + "gains %.2f, a gap of %.2f (%s of the gain, %.1f%% of the starting equity): the two "
                                + "may come from different runs, or the curve holds what the trades leave out "
                                + "(positions open at the end, funding, interest, deposits).", pnl, gain,
                                Math.abs(gap), gain == 0 ? "all" : String.format(Locale.ROOT, "%.0f%%",
                                        100 * Math.abs(gap / gain)), 100 * Math.abs(gap / equity[0])),
                        rec(severity, Category.RISK_MANAGEMENT, "Reconcile the trade list with the equity curve",
                                "Metrics that describe one backtest", "Export both from the same run, and add "
                                        + "open positions, funding and fees to the trades or note them.",
                                "Re-run the analysis: the gap should be within 10% of the gain."));
            }
        }
        if (market == null) {
            return;
        }
        long[] missing = market.unmatched();
        if (missing.length > 0) {
            List<String> days = new ArrayList<>();
            for (long x : missing) {
                days.add(market.byDate() ? Formats.day(x) : Formats.time(x));
            }
            add(Severity.INFO, "benchmark_gaps", "Equity points without a benchmark price",
                    String.format(Locale.ROOT, "%d of %d equity points have no benchmark price on the same %s "
                            + "(%s). Beta, correlation and regimes use the %d intervals between points both series "
                            + "have, so each gap merges into the next interval.", missing.length,
                            market.equityTimes().length, market.byDate() ? "date" : "time", first(days),
                            market.intervals()), null);
        }
    }

    /**
     * Every regime of every group tested against its share of time: flagged when it loses money, covers at least
     * {@value MarketRegimes#MIN_DAYS} trading days and its losses come at least {@value MarketRegimes#LOSS_INTENSITY}
     * times as fast as in the rest of the time (its share of the losses over its share of time, against the same for
     * the rest). One finding lists them all, the fastest first; a strategy that makes money in every trend /
     * volatility regime with enough days gets it as a strength. Returns the fastest, null if none.
     */
    private Report.Regime regimes(Market market, List<Report.Regime> regimes, int window) {
        if (market == null) {
            return null;
        }
        if (regimes.isEmpty()) {
            add(Severity.INFO, "regimes_too_short", "Too short for market regimes",
                    String.format(Locale.ROOT, "The benchmark's daily returns or the strategy's classified days are "
                            + "too few: regimes need %d trading days of benchmark returns (a trailing %d-day window, "
                            + "then as many to classify) and at least %d trading days of the strategy within them.",
                            2 * window, window, window), null);
            return null;
        }
        List<Report.Regime> flagged = new ArrayList<>();
        for (Report.Regime r : regimes) {
            if (r.flagged()) {
                flagged.add(r);
            }
        }
        flagged.sort(Comparator.comparingDouble(Report.Regime::lossIntensity).reversed());
        if (!flagged.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (Report.Regime r : flagged) {
                parts.add(String.format(Locale.ROOT, "%s (%s): %.1f%% of the time but %.1f%% of the losses, losses "
                                + "%s as fast as in the rest of the time, over %d trading days; the strategy %s a "
                                + "trading day there, %s in all (the benchmark %s a day, %s), %s an interval", r.name(),
                        r.group(), 100 * r.share(), 100 * r.shareOfLosses(), Double.isInfinite(r.lossIntensity())
                                ? "infinitely" : String.format(Locale.ROOT, "%.1fx", r.lossIntensity()), r.days(),
                        Formats.dailyPct(r.strategyDaily()), Formats.pct(r.strategyTotal()),
                        Formats.dailyPct(r.benchmarkDaily()), Formats.pct(r.benchmarkTotal()),
                        Formats.pct(r.meanReturn())));
            }
            Report.Regime worst = flagged.get(0);
            add(Severity.MEDIUM, "regime_losses", "Losses concentrate in " + (flagged.size() == 1 ? "a market regime"
                            : flagged.size() + " market regimes"),
                    String.join("; ", parts) + String.format(Locale.ROOT, ". Every regime is tested: flagged when it "
                            + "loses money, covers at least %d trading days and its losses come at least %.1fx as "
                            + "fast as in the rest of the time (regimes on a trailing %d-trading-day window).",
                            MarketRegimes.MIN_DAYS, MarketRegimes.LOSS_INTENSITY, window),
                    rec(Severity.MEDIUM, Category.MARKET_TIMING, "Cut exposure in " + worst.name(),
                            "Removes the regime whose losses come fastest",
                            "Add a regime filter (the benchmark's trailing " + window + "-day return, volatility or "
                                    + "ADX, as here) that halves or removes exposure in " + worst.name() + ".",
                            "Or hedge the benchmark exposure while the regime lasts.",
                            "Validate the filter out of sample: these regimes were seen with hindsight."));
            return worst;
        }
        List<String> good = new ArrayList<>();
        boolean allUp = true;
        for (Report.Regime r : regimes) {
            if (r.group().equals(MarketRegimes.TREND_VOL) && r.days() >= MarketRegimes.MIN_DAYS) {
                allUp &= r.strategyTotal() > 0;
                good.add(r.name() + " " + Formats.dailyPct(r.strategyDaily()) + " a trading day ("
                        + Formats.pct(r.strategyTotal()) + " in all)");
            }
        }
        if (allUp && good.size() >= 2) {
            strengths.add("Makes money in every market regime with enough data: " + String.join(", ", good) + ".");
        }
        return null;
    }

    /**
     * The round-trip cost at which the mean trade return reaches zero: the mean gross trade return (a given return
     * is net of the stated costs, so one stated round trip is added back; one derived from prices is gross). NaN
     * without trades.
     */
    private double breakeven(double roundTrip) {
        if (bt.trades().isEmpty()) {
            return Double.NaN;
        }
        double sum = 0;
        for (Trade t : bt.trades()) {
            sum += t.ret() + (t.grossReturn() ? 0 : roundTrip);
        }
        return sum / bt.trades().size();
    }

    private static String breakevenText(double b) {
        return b != b ? "" : b <= 0 ? String.format(Locale.ROOT, " Before any cost the mean trade return is %.3f%%: "
                + "the trades lose money even for free.", 100 * b) : String.format(Locale.ROOT, " The mean trade "
                + "return before costs is %.3f%%: the edge is gone at a round trip above %.3f%% (%.1f bps a side).",
                100 * b, 100 * b, 1e4 * b / 2);
    }

    /**
     * Model risk beyond the in/out-of-sample split: tuned parameters against the trades that fit them, the Sharpe at
     * other parameter values (a cliff next to the chosen value), and the variants tried (the Sharpe luck alone
     * would reach among as many, Bailey and López de Prado's deflated Sharpe).
     */
    private void modelRisk(Metrics m, double[] excess) {
        Backtest.Extras x = bt.extras();
        int params = x.parameters().size();
        if (params > 0 && m.withTrades()) {
            double perParam = (double) m.tradeCount() / params;
            if (perParam < MIN_TRADES_PER_PARAMETER) {
                boolean severe = perParam < MIN_TRADES_PER_PARAMETER / 2.0;
                add(severe ? Severity.HIGH : Severity.MEDIUM, "parameters_vs_data", "Too many parameters for the "
                                + "data", String.format(Locale.ROOT, "%d tuned parameters (%s) fitted on %d trades: "
                                + "%.1f trades a parameter, below the %d that make a fit more than noise (%d bars "
                                + "in the curve).", params, String.join(", ", x.parameters().keySet()),
                                m.tradeCount(), perParam, MIN_TRADES_PER_PARAMETER, excess.length + 1),
                        rec(severe ? Severity.HIGH : Severity.MEDIUM, Category.ENTRY_SIGNAL, "Fix or drop parameters",
                                "A fit that can generalise", "Fix the parameters that matter least at round values.",
                                "Extend the data until each parameter has at least " + MIN_TRADES_PER_PARAMETER
                                        + " trades behind it."));
            }
        }
        if (!x.sensitivity().isEmpty() && m.sharpe() == m.sharpe()) {
            List<String> cliffs = new ArrayList<>();
            for (Backtest.Sensitivity s : x.sensitivity()) {
                if (m.sharpe() > 0 && s.sharpe() < SENSITIVITY_KEEP * m.sharpe()) {
                    cliffs.add(String.format(Locale.ROOT, "%s = %s: Sharpe %.2f", s.parameter(), Formats.num(s.value()),
                            s.sharpe()));
                }
            }
            if (!cliffs.isEmpty()) {
                add(cliffs.size() * 2 >= x.sensitivity().size() ? Severity.HIGH : Severity.MEDIUM,
                        "parameter_fragile", "Performance falls off next to the chosen parameters",
                        String.format(Locale.ROOT, "Against a Sharpe of %.2f here, %d of %d tested neighbours keep "
                                + "less than %.0f%% of it: %s. A lone peak in parameter space is usually a fit to "
                                + "noise.", m.sharpe(), cliffs.size(), x.sensitivity().size(), 100 * SENSITIVITY_KEEP,
                                first(cliffs)),
                        rec(Severity.HIGH, Category.ENTRY_SIGNAL, "Choose parameters on a plateau",
                                "Live results closer to the backtest",
                                "Pick values in the middle of a region where the Sharpe changes little.",
                                "Re-test with walk-forward optimisation."));
            } else if (x.sensitivity().size() >= 2 && m.sharpe() > 0) {
                strengths.add(String.format(Locale.ROOT, "Robust to its parameters: all %d tested neighbours keep at "
                        + "least %.0f%% of the Sharpe.", x.sensitivity().size(), 100 * SENSITIVITY_KEEP));
            }
        }
        if (x.trials() >= 2 && excess.length >= 3 && m.sharpe() == m.sharpe()) {
            double sdPeriods = 0;
            double mean = 0;
            for (double r : excess) {
                mean += r / excess.length;
            }
            for (double r : excess) {
                sdPeriods += (r - mean) * (r - mean);
            }
            double sr = mean / Math.sqrt(sdPeriods / (excess.length - 1));
            double lucky = Stats.luckySharpe(x.trials(), sr, excess.length);
            double dsr = Stats.probabilisticSharpe(excess, lucky);
            deflated = dsr;
            String numbers = String.format(Locale.ROOT, "%d variants tried: the best of as many unskilled ones would "
                    + "reach a Sharpe of about %.2f a year by luck; the probability that this one's true Sharpe beats "
                    + "that (deflated Sharpe ratio) is %.0f%%.", x.trials(), lucky * Math.sqrt(m.periodsPerYear()),
                    100 * dsr);
            if (dsr < DEFLATED_CONFIDENCE) {
                add(dsr < 0.5 ? Severity.HIGH : Severity.MEDIUM, "data_snooping", "The Sharpe may be the luck of many "
                                + "trials", numbers + String.format(Locale.ROOT, " Below %.0f%%, selection among the "
                                + "variants explains the result as well as skill.", 100 * DEFLATED_CONFIDENCE),
                        rec(Severity.HIGH, Category.ENTRY_SIGNAL, "Validate on data no variant has seen",
                                "An edge that is not the best of many coin flips",
                                "Hold out a final period and test only the chosen variant on it.",
                                "Count every variant tried and report it with the result."));
            } else {
                strengths.add("Survives the data-snooping test: " + numbers);
            }
        }
    }

    /**
     * Liquidity: the largest position against the instrument's average daily traded value ({@code adv}); above 1% a
     * day the fills move the price, above 10% the backtest's prices are not reachable.
     */
    private void liquidity() {
        double adv = bt.extras().adv();
        double largest = 0;
        for (Trade t : bt.trades()) {
            double v = Metrics.positionValue(t);
            largest = v == v ? Math.max(largest, v) : largest;
        }
        participation = adv == adv && largest > 0 ? largest / adv : Double.NaN;
        if (participation != participation || participation < 0.01) {
            return;
        }
        boolean severe = participation >= 0.10;
        add(severe ? Severity.HIGH : Severity.MEDIUM, "liquidity", "Positions large against the market's volume",
                String.format(Locale.ROOT, "The largest position is %.2f, %.1f%% of the average daily traded value "
                        + "%s: fills that size move the price (impact grows with the square root of the share), so "
                        + "the backtest's prices are %s.", largest, 100 * participation, Formats.num(adv),
                        severe ? "out of reach" : "optimistic"),
                rec(severe ? Severity.HIGH : Severity.MEDIUM, Category.COST_REDUCTION, "Size within the market's "
                                + "depth", "Fills near the backtest's prices",
                        "Keep each order under 1% of the daily volume, or split it over hours (TWAP).",
                        "Add a market-impact term to the slippage (e.g. proportional to the square root of the "
                                + "participation)."));
    }

    /** The backtester's own regime breakdown ({@code regime_performance}): a regime it says loses money. */
    private void statedRegimes() {
        Map<String, Double> stated = bt.extras().statedRegimes();
        List<String> losing = new ArrayList<>();
        for (Map.Entry<String, Double> e : stated.entrySet()) {
            if (e.getValue() < 0) {
                losing.add(e.getKey() + " " + Formats.pct(e.getValue()));
            }
        }
        if (!losing.isEmpty()) {
            add(Severity.LOW, "stated_regime_loss", "The backtest's own regime breakdown shows losses",
                    "regime_performance states a loss in " + String.join(", ", losing) + (bt.benchmarkTime() == null
                            ? "; give a benchmark (--benchmark) to test every regime against its share of time."
                            : "; the regime table below tests every regime on the benchmark."), null);
        }
    }

    /**
     * Position sizing from the chapter's table (Sharpe 0.5–1: 5–10% a position, 15–20% portfolio risk, 1x; 1–2:
     * 10–15%, 25–30%, 1–1.5x; 2+: 15–20%, 30–40%, 1.5–2x; crypto's bands are raised), capped by the grade (C: the
     * first row, B: at most the second) and the drawdown band (aggressive: at most the second row, high risk: the
     * first, a small allocation), and no capital at all for grade F, a critical finding, a drawdown of half the
     * equity, a poor or suspicious Sharpe; grade D or an out-of-sample collapse: paper trading only.
     */
    private Report.Sizing sizing(Metrics m, Interpretation.Band sharpe, Interpretation.Band dd, String grade) {
        List<String> no = new ArrayList<>();
        if (grade.equals("F")) {
            no.add("grade F");
        }
        if (has(Severity.CRITICAL)) {
            no.add("a critical finding stands");
        }
        if (Math.abs(m.maxDrawdown()) >= 0.5) {
            no.add(String.format(Locale.ROOT, "a %.1f%% drawdown (half the equity or more)", 100 * m.maxDrawdown()));
        }
        if (sharpe.label().equals("poor") || m.sharpe() != m.sharpe()) {
            no.add(m.sharpe() == m.sharpe() ? String.format(Locale.ROOT, "a %s Sharpe (%.2f)", sharpe.label(),
                    m.sharpe()) : "no Sharpe to size by");
        }
        if (sharpe.label().equals("suspicious")) {
            no.add("a suspicious Sharpe: audit it for look-ahead first");
        }
        if (!no.isEmpty()) {
            return Report.Sizing.none("Do not trade it: " + String.join(", ", no) + ".", no);
        }
        List<String> paper = new ArrayList<>();
        if (grade.equals("D")) {
            paper.add("grade D");
        }
        if (has("overfitting")) {
            paper.add("the out-of-sample part collapses");
        }
        if (!paper.isEmpty()) {
            return Report.Sizing.paper("Paper-trade it only, no capital until it is fixed: " + String.join(", ", paper)
                    + ".", paper);
        }
        int row = sharpe.label().equals("acceptable") ? 0 : sharpe.label().equals("good") ? 1 : 2;
        List<String> caps = new ArrayList<>();
        int byGrade = grade.equals("C") ? 0 : grade.equals("B") ? 1 : 2;
        if (byGrade < row) {
            row = byGrade;
            caps.add("grade " + grade);
        }
        int byDrawdown = dd.label().equals("high risk") ? 0 : dd.label().equals("aggressive") ? 1 : 2;
        if (byDrawdown < row) {
            row = byDrawdown;
            caps.add(String.format(Locale.ROOT, "a %s drawdown (%.1f%%: %s)", dd.label(), 100 * m.maxDrawdown(),
                    dd.suitableFor()));
        }
        boolean levered = has("liquidation_risk");
        if (levered) {
            caps.add("the liquidation risk: no leverage");
        }
        if (bt.inSampleEnd() == null) {
            caps.add("no out-of-sample test: verify out of sample before scaling up");
        }
        return Report.Sizing.row(row, sharpe.label(), levered, caps);
    }

    private static String first(List<String> items) {
        return String.join(", ", items.subList(0, Math.min(5, items.size()))) + (items.size() > 5 ? ", ..." : "");
    }

    /** Stated metrics that disagree with ours by more than 1% (relative); drawdowns compared by magnitude. */
    private void statedMetrics(Metrics m) {
        Map<String, String> alias = new LinkedHashMap<>();
        for (Metrics.Def d : Metrics.DEFS) {
            alias.put(d.key(), d.key());
        }
        alias.put("sharpe_ratio", "sharpe");
        alias.put("sortino_ratio", "sortino");
        alias.put("cagr", "annual_return");
        alias.put("annual_volatility", "volatility");
        alias.put("max_dd", "max_drawdown");
        alias.put("num_trades", "trade_count");
        alias.put("trades", "trade_count");
        Map<String, Double> ours = m.values();
        List<String> off = new ArrayList<>();
        for (Map.Entry<String, Double> e : bt.statedMetrics().entrySet()) {
            String key = alias.get(e.getKey().toLowerCase(Locale.ROOT));
            if (key == null) {
                continue;
            }
            double mine = ours.get(key);
            double stated = e.getValue();
            if (key.contains("drawdown") || key.equals("var_95") || key.equals("avg_loss")) {
                mine = Math.abs(mine);
                stated = Math.abs(stated);
            }
            double rel = Math.abs(mine - stated) / Math.max(Math.abs(mine), 1e-12);
            if (mine == mine && rel > 0.01) {
                off.add(String.format(Locale.ROOT, "%s stated %.4g, recomputed %.4g", e.getKey(), e.getValue(),
                        ours.get(key)));
            }
        }
        if (!off.isEmpty()) {
            add(Severity.MEDIUM, "data_stated_metrics_mismatch", "Stated metrics disagree with the data",
                    String.join("; ", off) + ". The report uses the recomputed values; the stated ones may come "
                            + "from another run, other costs or another definition.",
                    rec(Severity.MEDIUM, Category.RISK_MANAGEMENT, "Reconcile the stated metrics",
                            "One source of truth for decisions",
                            "Check that the metrics and the curve come from the same run.",
                            "State the definitions used (annualisation, risk-free rate)."));
        }
    }

    /**
     * A hole in the curve: no exchange closes for more than a week, so a longer gap (or three bar spacings of a
     * weekly or monthly curve) is missing data. Its stretch counts as one return, and what happened inside it
     * (drawdowns, volatility) is unseen.
     */
    private void missingStretch(long[] time) {
        if (time.length < 3) {
            return;
        }
        int widest = 0; // the gap after point widest
        for (int i = 1; i < time.length - 1; i++) {
            widest = time[i + 1] - time[i] > time[widest + 1] - time[widest] ? i : widest;
        }
        long usual = Math.max(1, Metrics.bar(time));
        long longest = time[widest + 1] - time[widest];
        if (longest <= Math.max(7 * DAY, 3 * usual)) {
            return;
        }
        double share = (double) longest / Math.max(1, time[time.length - 1] - time[0]);
        add(share >= 0.05 ? Severity.HIGH : Severity.MEDIUM, "data_gap", "A stretch of the curve is missing",
                String.format(Locale.ROOT, "No point between %s and %s (%.0f days, %.0f%% of the period), while points "
                                + "are usually %s apart: that stretch counts as one return, its drawdowns and "
                                + "volatility are unseen, and annual figures computed from the number of bars "
                                + "overstate a curve with holes.", Formats.day(time[widest]), Formats.day(time[widest + 1]),
                        longest / (double) DAY, 100 * share, spacing(usual)),
                rec(Severity.HIGH, Category.RISK_MANAGEMENT, "Export the whole curve", "Drawdowns and returns that "
                                + "include every period", "Export one point per bar for the whole period.",
                        "If the strategy was off, keep its flat equity in the export rather than dropping the rows."));
    }

    private static String spacing(long seconds) {
        return seconds >= DAY ? String.format(Locale.ROOT, "%.0f day%s", seconds / (double) DAY,
                seconds >= 2 * DAY ? "s" : "") : seconds >= 3600 ? (seconds / 3600) + "h" : (seconds / 60) + " min";
    }

    /**
     * Signs of look-ahead: a Sharpe in the band no real strategy reaches, a curve that rises in nearly every period it
     * moves, trades that nearly all win by a huge profit factor. Periods without a move (no position, a day with only
     * costs of zero) are left out of the share: a strategy in the market half the time would otherwise hide a curve
     * that never falls.
     */
    private void smoothness(Metrics m, Interpretation.Band sharpeBand, double[] r) {
        int up = 0;
        int moved = 0;
        for (double x : r) {
            up += x > 0 ? 1 : 0;
            moved += x != 0 ? 1 : 0;
        }
        double upShare = moved > 0 ? (double) up / moved : 0;
        boolean suspiciousSharpe = sharpeBand.label().equals("suspicious");
        boolean tooSmooth = moved >= 20 && upShare >= 0.9 && m.sharpe() >= 2;
        boolean tooGoodTrades = m.tradeCount() >= 30 && m.winRate() >= 0.9 && m.profitFactor() >= 10;
        if (suspiciousSharpe || tooSmooth || tooGoodTrades) {
            String trades = tooGoodTrades ? String.format(Locale.ROOT, "; %.0f%% of %d trades won, profit factor %.1f",
                    100 * m.winRate(), m.tradeCount(), m.profitFactor()) : "";
            add(suspiciousSharpe && (tooSmooth || tooGoodTrades) ? Severity.CRITICAL : Severity.HIGH,
                    "suspicious_smoothness", "Suspiciously smooth equity curve",
                    String.format(Locale.ROOT, "Sharpe %.2f with %.0f%% of the periods that moved up%s: real "
                            + "strategies rarely look like this. Typical causes: look-ahead (using the close to trade "
                            + "at the close), future data in features, or survivorship.", m.sharpe(), 100 * upShare,
                            trades),
                    rec(Severity.CRITICAL, Category.ENTRY_SIGNAL, "Audit the signal for look-ahead",
                            "Either a real edge confirmed or a false one removed before it costs money",
                            "Shift every signal by one bar and re-run: a collapse means look-ahead.",
                            "Check that features only use data available at decision time.",
                            "Paper-trade for a month and compare with the backtest."));
        }
    }

    /** In-sample against out-of-sample: Sharpe on excess returns, as the headline's; annual return on raw ones. */
    private Halves halves(Curve curve, double p, double riskFree) {
        if (bt.inSampleEnd() == null) {
            return null;
        }
        long[] time = curve.time();
        double[] r = curve.returns();
        int split = 0; // returns [0, split) end in-sample
        while (split < r.length && time[split + 1] <= bt.inSampleEnd()) {
            split++;
        }
        double[] x = Metrics.excess(r, p, riskFree);
        PortfolioMetrics isRaw = PortfolioMetrics.of(r, 0, split, p);
        PortfolioMetrics oosRaw = PortfolioMetrics.of(r, split, r.length, p);
        double isSharpe = PortfolioMetrics.of(x, 0, split, p).sharpe();
        double oosSharpe = PortfolioMetrics.of(x, split, r.length, p).sharpe();
        Halves h = new Halves(isSharpe, oosSharpe, isRaw.annualReturn(), oosRaw.annualReturn(), split,
                r.length - split);
        if (split < 2 || r.length - split < 2) {
            add(Severity.LOW, "is_oos_uneven", "In-sample / out-of-sample split leaves a side nearly empty",
                    split + " in-sample and " + (r.length - split) + " out-of-sample periods.", null);
            return h;
        }
        String numbers = String.format(Locale.ROOT, "Sharpe %.2f in sample vs %.2f out of sample; annual return "
                + "%.1f%% vs %.1f%%.", isSharpe, oosSharpe, 100 * isRaw.annualReturn(), 100 * oosRaw.annualReturn());
        // overfitting needs an in-sample edge to overfit: below a Sharpe of 0.5 there is none worth the name
        boolean edge = isSharpe >= OVERFIT_EDGE;
        boolean collapse = edge && (!(oosSharpe > 0.5 * isSharpe) || !(oosRaw.annualReturn() > 0));
        if (collapse) {
            add(Severity.HIGH, "overfitting", "Out-of-sample collapse (likely overfitting)",
                    numbers + " The out-of-sample part keeps less than half the in-sample Sharpe.",
                    rec(Severity.HIGH, Category.ENTRY_SIGNAL, "Simplify the model and re-validate",
                            "Out-of-sample results that resemble live trading",
                            "Cut the number of tuned parameters; prefer round, robust values.",
                            "Use walk-forward optimisation instead of one in-sample fit.",
                            "Keep a final hold-out period untouched until the end."));
        } else if (isSharpe > 0 && oosSharpe < 0.75 * isSharpe) {
            add(Severity.MEDIUM, "is_oos_decay", "Out-of-sample decay", numbers + (edge ? ""
                    : " There was little in-sample edge to begin with."), null);
        } else if (isSharpe > 0 && oosSharpe > 0) {
            strengths.add("Holds up out of sample: " + numbers); // a loser that loses less is no strength
        }
        return h;
    }

    private void tradeCount(Metrics m) {
        if (!bt.origin().tradesGiven()) {
            return; // said once, by the no_trades finding
        }
        if (m.tradeCount() < Interpretation.MIN_TRADES) {
            add(Severity.HIGH, "too_few_trades", "Too few trades to be reliable",
                    m.tradeCount() + " trades; below " + Interpretation.MIN_TRADES + " the win rate, profit factor "
                            + "and expectancy are mostly luck.",
                    rec(Severity.HIGH, Category.ASSET_SELECTION, "Test on more data",
                            "Statistics that can tell skill from luck",
                            "Extend the backtest period or add related symbols.",
                            "Aim for at least " + Interpretation.MIN_TRADES + " (better 100) trades."));
        } else if (m.tradeCount() >= 100) {
            strengths.add(m.tradeCount() + " trades: the trade statistics are meaningful.");
        }
    }

    /**
     * Cost sensitivity, an approximation at the trade level: the trade returns are taken as net of the stated
     * costs (those derived from entry and exit prices are gross, so one round trip is taken off them first), and
     * each extra multiple of the costs takes one more round trip of fees + slippage off every trade,
     * {@code 2 × (fees_bps + slippage_bps) / 10^4}. The edge survives while the mean trade return stays positive.
     * Costs not stated, or stated as zero, leave the edge after costs unknown: a concern, never a strength.
     *
     * @return highest multiple (1–3) at which the edge survives, 0 if none, −1 if the costs are unknown or zero
     */
    private int costs(Metrics m, List<CostCase> cases) {
        double roundTrip = 2 * (zero(bt.feesBps()) + zero(bt.slippageBps())) / 1e4;
        breakeven = breakeven(roundTrip);
        if (bt.feesBps() != bt.feesBps() && bt.slippageBps() != bt.slippageBps()) {
            add(Severity.MEDIUM, "costs_not_stated", "Trading costs not stated",
                    "Neither fees_bps nor slippage_bps (--fees-bps, --slippage-bps) is given, so cost sensitivity "
                            + "cannot be assessed and the returns may be gross of costs." + breakevenText(breakeven),
                    rec(Severity.MEDIUM, Category.COST_REDUCTION, "Model fees and slippage",
                            "Returns that survive contact with a real exchange",
                            "Add the venue's taker fee per side and a slippage estimate (e.g. half the spread).",
                            "State them as fees_bps and slippage_bps."));
            return -1;
        }
        if (roundTrip <= 0) {
            add(Severity.MEDIUM, "costs_zero", "Trading costs set to zero",
                    String.format(Locale.ROOT, "Fees %s bps and slippage %s bps a side: the returns are gross, and "
                                    + "no multiple of zero tests anything, so the edge after costs is unknown.%s",
                            Formats.num(zero(bt.feesBps())), Formats.num(zero(bt.slippageBps())),
                            breakevenText(breakeven)),
                    rec(Severity.MEDIUM, Category.COST_REDUCTION, "Charge realistic costs",
                            "Returns that survive contact with a real exchange",
                            "Charge the venue's fee per side (taker for market orders) and a slippage of at least "
                                    + "half the spread.", "Re-run and check the edge survives 2x and 3x those costs."));
            return -1;
        }
        if (bt.trades().isEmpty()) {
            return -1;
        }
        if (bt.extras().feeSchedule() && bt.extras().makerShare() > MAKER_SHARE_OPTIMISTIC) {
            add(Severity.LOW, "maker_share_optimistic", "Most fills assumed passive",
                    String.format(Locale.ROOT, "%.0f%% of the fills are taken as maker (%s bps) and %.0f%% as taker "
                                    + "(%s bps): resting orders are not always filled, and those that are fill when "
                                    + "the price moves against them (adverse selection).",
                            100 * bt.extras().makerShare(), Formats.num(bt.extras().makerFeeBps()),
                            100 * (1 - bt.extras().makerShare()), Formats.num(bt.extras().takerFeeBps())),
                    rec(Severity.LOW, Category.COST_REDUCTION, "Check the maker share against live fills",
                            "Costs that match the exchange statement",
                            "Re-run with taker fees on every fill as the pessimistic case."));
        }
        int survived = 0;
        for (int k = 1; k <= 3; k++) {
            double extra = (k - 1) * roundTrip;
            double sum = 0;
            double gains = 0;
            double losses = 0;
            for (Trade t : bt.trades()) {
                // a return derived from prices is gross: the stated costs come off it once before any extra
                double r = t.ret() - extra - (t.grossReturn() ? roundTrip : 0);
                sum += r;
                if (r > 0) {
                    gains += r;
                } else {
                    losses -= r;
                }
            }
            double mean = sum / bt.trades().size();
            boolean ok = mean > 0;
            cases.add(new CostCase(k, k * roundTrip, mean, losses > 0 ? gains / losses : Double.NaN, ok));
            if (ok && survived == k - 1) {
                survived = k;
            }
        }
        if (survived == 1) {
            add(Severity.HIGH, "cost_fragile", "Edge disappears at 2x costs",
                    String.format(Locale.ROOT, "Mean trade return %.3f%% vs a round trip of %.3f%%: doubling the "
                            + "fees and slippage leaves %.3f%% per trade.", 100 * cases.get(0).meanTradeReturn(),
                            100 * roundTrip, 100 * cases.get(1).meanTradeReturn()),
                    rec(Severity.HIGH, Category.COST_REDUCTION, "Cut costs or trade less",
                            "Keeps the edge if execution is worse than assumed",
                            "Use limit orders / maker fees where the signal allows.",
                            "Filter out trades whose expected move is below 3x the round-trip cost.",
                            "Re-run with realistic slippage from live fills."));
        } else if (survived == 2) {
            add(Severity.MEDIUM, "cost_fragile", "Edge disappears at 3x costs",
                    String.format(Locale.ROOT, "Mean trade return at 3x costs: %.3f%%.",
                            100 * cases.get(2).meanTradeReturn()),
                    rec(Severity.MEDIUM, Category.COST_REDUCTION, "Build a cost buffer",
                            "Robustness to worse fills", "Prefer fewer, larger-edge trades.",
                            "Measure real slippage on small live size."));
        } else if (survived == 3) {
            strengths.add(String.format(Locale.ROOT, "The edge survives 3x the stated fees and slippage (a %.3f%% "
                    + "round trip; break-even at %.3f%%).", 100 * roundTrip, 100 * breakeven));
        }
        // turnover vs edge: the yearly cost of the value traded (each side pays fees and slippage once); without
        // position values, the upper bound of every trade using the whole equity
        double years = (bt.periodEnd() - bt.periodStart()) / (365.25 * DAY);
        boolean measured = m.turnover() == m.turnover();
        double drag = measured ? m.turnover() * roundTrip / 2 : years > 0 ? bt.trades().size() / years * roundTrip
                : Double.NaN;
        double gross = m.annualReturn() + drag;
        if (drag == drag && gross > 0 && drag >= 0.5 * gross) {
            add(Severity.MEDIUM, "turnover_vs_edge", "Turnover eats most of the edge",
                    String.format(Locale.ROOT, measured ? "A turnover of %.1fx a year at %.3f%% a side costs %.1f%% "
                                    + "a year against %.1f%% gross." : "%.0f trades a year at %.3f%% a round trip cost "
                                    + "up to %.1f%% a year against %.1f%% gross.", measured ? m.turnover()
                                    : bt.trades().size() / years, 100 * (measured ? roundTrip / 2 : roundTrip),
                            100 * drag, 100 * gross),
                    rec(Severity.MEDIUM, Category.COST_REDUCTION, "Reduce turnover",
                            "Up to half the cost drag back as return",
                            "Add a no-trade band or a minimum holding period.",
                            "Rebalance less often and compare net Sharpe."));
        }
        return survived;
    }

    private static double zero(double x) {
        return x == x ? x : 0;
    }

    /**
     * Losses clustered by entry weekday (and, for intraday data, entry hour UTC), see {@link #cluster}. Also the
     * longest losing streak (the metric's).
     */
    private Map<String, double[]> clustering(double p, int streak) {
        Map<String, double[]> by = new LinkedHashMap<>();
        List<Trade> trades = bt.trades();
        boolean intraday = p > 400;
        for (Trade t : trades) {
            intraday |= t.entryTime() % 86_400 != 0;
        }
        double[] dayLoss = new double[7];
        double[] dayAll = new double[7];
        double[] hourLoss = new double[24];
        double[] hourAll = new double[24];
        int losses = 0;
        for (Trade t : trades) {
            ZonedDateTime z = Instant.ofEpochSecond(t.entryTime()).atZone(ZoneOffset.UTC);
            int d = z.getDayOfWeek().getValue() - 1;
            int h = z.getHour();
            dayAll[d]++;
            hourAll[h]++;
            if (t.pnl() < 0) {
                dayLoss[d]++;
                hourLoss[h]++;
                losses++;
            }
        }
        by.put("weekday_losses", dayLoss);
        by.put("weekday_trades", dayAll);
        cluster(dayLoss, dayAll, losses, trades.size(), "weekday", WEEKDAYS);
        if (intraday) {
            String[] hours = new String[24];
            for (int i = 0; i < 24; i++) {
                hours[i] = String.format(Locale.ROOT, "%02d:00 UTC", i);
            }
            cluster(hourLoss, hourAll, losses, trades.size(), "hour", hours);
        }
        if (streak >= 5) {
            add(streak >= 10 ? Severity.MEDIUM : Severity.LOW, "losing_streak", "Long losing streak",
                    streak + " losing trades in a row: size so that such a run is survivable, and expect it again.",
                    rec(streak >= 10 ? Severity.MEDIUM : Severity.LOW, Category.RISK_MANAGEMENT,
                            "Plan for the losing streak", "Staying in the game through a bad run",
                            "Size each trade so " + (2 * streak) + " straight losses cost under 20% of equity.",
                            "Add a circuit breaker that halves size after a streak."));
        }
        return by;
    }

    /** A bucket's losses must come at least this many times as often as among the other trades. */
    static final double CLUSTER_RATE = 1.5;
    /** Fewest losses in a bucket for it to be called a cluster. */
    static final int CLUSTER_MIN_LOSSES = 5;
    /** Family-wise significance of the cluster test (Bonferroni over the buckets that have trades). */
    static final double CLUSTER_ALPHA = 0.05;

    /**
     * Every bucket (a weekday, an hour) tested against its share of the trades: a cluster when it holds at least
     * {@value #CLUSTER_MIN_LOSSES} losses, its trades lose at least {@value #CLUSTER_RATE} times as often as the other
     * trades, and Fisher's exact test (one-sided) puts the chance of that many losses among its trades below
     * {@value #CLUSTER_ALPHA} divided by the number of buckets tested. Comparing with the other trades, not with the
     * overall rate, keeps the test alive when most trades lose.
     */
    private void cluster(double[] loss, double[] all, int losses, int trades, String unit, String[] names) {
        if (losses < CLUSTER_MIN_LOSSES || trades < 2) {
            return;
        }
        int tested = 0;
        for (double a : all) {
            tested += a > 0 ? 1 : 0;
        }
        double alpha = CLUSTER_ALPHA / Math.max(1, tested);
        List<double[]> hits = new ArrayList<>(); // {bucket, p}
        for (int b = 0; b < loss.length; b++) {
            int l = (int) loss[b];
            int n = (int) all[b];
            if (l < CLUSTER_MIN_LOSSES || n == trades) {
                continue;
            }
            double rate = (double) l / n;
            double rest = (double) (losses - l) / (trades - n);
            double p = Stats.hypergeometricUpperTail(l, trades, losses, n);
            if (rate >= CLUSTER_RATE * rest && p < alpha) {
                hits.add(new double[] {b, p});
            }
        }
        if (hits.isEmpty()) {
            return;
        }
        hits.sort(Comparator.comparingDouble(h -> h[1]));
        List<String> parts = new ArrayList<>();
        for (double[] h : hits) {
            int b = (int) h[0];
            int n = (int) all[b];
            parts.add(String.format(Locale.ROOT, "%s: %.0f of the %d losses (%.0f%%) on %.0f%% of the trades; %.0f%% "
                            + "of its %d trades lose against %.0f%% of the other %d (Fisher p = %.2g)", names[b],
                    loss[b], losses, 100 * loss[b] / losses, 100.0 * n / trades, 100 * loss[b] / n, n,
                    100.0 * (losses - loss[b]) / (trades - n), trades - n, h[1]));
        }
        String worst = names[(int) hits.get(0)[0]];
        add(Severity.MEDIUM, "loss_clustering_" + unit, "Losses cluster on " + (hits.size() == 1 ? "one " + unit
                        : hits.size() + " " + unit + "s"),
                String.join("; ", parts) + String.format(Locale.ROOT, ". Every %s with trades is tested (%d): a "
                                + "cluster holds at least %d losses, loses %.1fx as often as the other trades, with a "
                                + "one-sided Fisher p below %s / %d = %.2g.", unit, tested, CLUSTER_MIN_LOSSES,
                        CLUSTER_RATE, String.valueOf(CLUSTER_ALPHA), tested, alpha),
                rec(Severity.MEDIUM, Category.MARKET_TIMING, "Investigate " + worst + " entries",
                        "Removes a concentrated source of losses",
                        "Check what differs then (gaps after the weekend, news, funding, low liquidity).",
                        "Test a filter that skips or downsizes those entries, out of sample."));
    }

    private void leverageAndFunding(Metrics m) {
        boolean crypto = bt.assetClass() == AssetClass.CRYPTO;
        double worstTrade = 0;
        for (Trade t : bt.trades()) {
            worstTrade = Math.max(worstTrade, -t.ret());
        }
        // The curve is the account's equity, so its worst fall already carries the leverage: the market moved about
        // drawdown / leverage against the position. A trade's return is the price move, levered only here.
        double move = Math.max(Math.abs(zero(m.maxDrawdown())) / Math.max(1, bt.leverage()), worstTrade);
        double hit = bt.leverage() * move;
        if (bt.leverage() > 1 && hit >= 1) {
            add(crypto ? Severity.CRITICAL : Severity.HIGH, "liquidation_risk", "Leverage would have liquidated",
                    String.format(Locale.ROOT, "Leverage %.1fx × worst adverse move %.1f%% = %.0f%% of margin: "
                            + "the position would have been liquidated.", bt.leverage(), 100 * move, 100 * hit),
                    rec(Severity.CRITICAL, Category.POSITION_SIZING, "Cut leverage",
                            "Survives the worst move seen in the backtest",
                            String.format(Locale.ROOT, "Keep leverage below %.1fx (half of 1 / worst move).",
                                    0.5 / move),
                            "Use isolated margin and a hard stop well before the liquidation price."));
        } else if (bt.leverage() > 1 && hit >= 0.5) {
            add(crypto ? Severity.HIGH : Severity.MEDIUM, "liquidation_risk", "Thin margin buffer",
                    String.format(Locale.ROOT, "Leverage %.1fx × worst adverse move %.1f%% = %.0f%% of margin; "
                            + "maintenance margin and wicks make liquidation plausible.", bt.leverage(),
                            100 * move, 100 * hit),
                    rec(Severity.HIGH, Category.POSITION_SIZING, "Reduce leverage",
                            "A margin buffer for moves worse than the backtest's",
                            String.format(Locale.ROOT, "Keep leverage below %.1fx.", 0.5 / move)));
        }
        String type = bt.type().toLowerCase(Locale.ROOT);
        boolean perp = type.contains("perp") || type.contains("swap");
        double net = 0;
        for (Trade t : bt.trades()) {
            net += t.pnl();
        }
        double stated = bt.funding();
        double paid = stated; // funding the P&L bears: stated, else charged from the rates (and not in the P&L yet)
        if (charged != null && charged.charged() == 0) {
            add(Severity.INFO, "funding_rates_unused", "No trade matches the funding rates",
                    String.format(Locale.ROOT, "%s has no rates for the trades' symbols (%s), or the trades give "
                            + "no position value.", bt.extras().fundingRates().source(),
                            first(charged.missing())), null);
        } else if (charged != null) {
            String what = String.format(Locale.ROOT, "From %s, the %d trades charged would have paid %.2f in funding "
                            + "over %d settlements, %s a month of the mean equity%s", bt.extras().fundingRates().source(),
                    charged.charged(), charged.total(), charged.settlements(), Formats.pct(m.fundingMonthly()),
                    charged.unmatched() > 0 ? String.format(Locale.ROOT, " (%d trades without rates or a position "
                            + "value%s)", charged.unmatched(), charged.missing().isEmpty() ? ""
                            : ": " + first(charged.missing())) : "");
            if (stated != stated) {
                boolean large = charged.total() > 0 && (net - charged.total() <= 0 || charged.total() >= 0.25 * net);
                add(large ? Severity.HIGH : Severity.MEDIUM, "funding_not_included", "Funding left out of the P&L",
                        what + String.format(Locale.ROOT, "; the backtest states no funding, so its P&L of %.2f "
                                + "leaves it out: %.2f after funding.", net, net - charged.total()),
                        rec(Severity.MEDIUM, Category.COST_REDUCTION, "Charge funding in the backtest",
                                "Returns that match the exchange statement",
                                "Charge every open perpetual position the historical rate at each settlement.",
                                "State the total as funding and re-run."));
                paid = Double.NaN; // said here; funding_heavy is about stated funding
            } else if (Math.abs(stated - charged.total()) > Math.max(0.1 * Math.abs(charged.total()), 1e-9)) {
                add(Severity.MEDIUM, "funding_mismatch", "Stated funding disagrees with the rates",
                        what + String.format(Locale.ROOT, "; the backtest states %.2f.", stated),
                        rec(Severity.MEDIUM, Category.COST_REDUCTION, "Reconcile funding",
                                "Returns that match the exchange statement",
                                "Check the funding times, rates and position values the backtest charged."));
            }
        } else if (crypto && (perp || bt.leverage() > 1) && stated != stated) {
            add(Severity.MEDIUM, "funding_not_stated", "Funding costs not stated",
                    "Leveraged or perpetual crypto positions pay funding (often 10–30% a year at 0.01% per 8h); "
                            + "the backtest does not give it. --funding-rates FILE charges the published rates.",
                    rec(Severity.MEDIUM, Category.COST_REDUCTION, "Include funding",
                            "Returns that match the exchange statement",
                            "Charge the historical funding rate on every open perpetual position.",
                            "State the total as funding or per trade."));
        }
        if (paid == paid && paid > 0) {
            double share = paid / (net + paid); // pnl is taken as net of funding
            if (net + paid <= 0 || share >= 0.25) {
                add(share >= 0.5 || net + paid <= 0 ? Severity.HIGH : Severity.MEDIUM, "funding_heavy",
                        "Funding eats the profit",
                        String.format(Locale.ROOT, "Funding paid %.2f (%s a month of the mean equity) against %.2f "
                                + "of P&L before funding.", paid, Formats.pct(m.fundingMonthly()), net + paid),
                        rec(Severity.MEDIUM, Category.COST_REDUCTION, "Reduce funding paid",
                                "More of the gross edge kept",
                                "Hold perpetuals for shorter periods or trade spot / dated futures.",
                                "Avoid holding through funding times when the rate is against you."));
            }
        }
        if (bt.universeFixed()) {
            add(Severity.MEDIUM, "survivorship", "Survivorship bias",
                    "The universe is fixed with hindsight (universe_fixed): delisted or collapsed assets are missing, "
                            + "which flatters long strategies.",
                    rec(Severity.MEDIUM, Category.ASSET_SELECTION, "Use a point-in-time universe",
                            "Removes a bias that inflates returns",
                            "Include delisted assets and rebuild the universe at every rebalance."));
        }
    }

    private void risk(Metrics m, Interpretation.Band sharpe, Interpretation.Band dd, String profile) {
        if (m.sharpe() != m.sharpe() && m.volatility() == 0) {
            // nothing moved: no risk-adjusted return to judge, and a drawdown of zero is no achievement
            add(Severity.MEDIUM, "flat_curve", "The equity curve never moves",
                    "Every period's return is zero, so Sharpe, Sortino and drawdowns are undefined or empty: the "
                            + "backtest held no position, or the export lost the curve.", null);
            return;
        }
        switch (dd.label()) {
            case "high risk":
                add(Severity.HIGH, "deep_drawdown", "Deep drawdown",
                        String.format(Locale.ROOT, "Max drawdown %.1f%%: %s.", 100 * m.maxDrawdown(), dd.meaning()),
                        rec(Severity.HIGH, Category.RISK_MANAGEMENT, "Cap the drawdown",
                                "Roughly halves the worst loss for a modest return cost",
                                "Target a constant volatility (scale size by 1 / recent volatility).",
                                "Add a portfolio stop: cut exposure after a 15% fall from the peak."));
                break;
            case "aggressive":
                add(Severity.MEDIUM, "deep_drawdown", "Aggressive drawdown",
                        String.format(Locale.ROOT, "Max drawdown %.1f%%: %s.", 100 * m.maxDrawdown(), dd.meaning()),
                        rec(Severity.MEDIUM, Category.RISK_MANAGEMENT, "Reduce drawdown",
                                "A drawdown investors can sit through", "Scale down size in high-volatility regimes."));
                break;
            default:
                strengths.add(String.format(Locale.ROOT, "Max drawdown %.1f%% is %s.", 100 * m.maxDrawdown(),
                        dd.label()));
        }
        if (sharpe.label().equals("poor")) {
            add(Severity.MEDIUM, "low_sharpe", "Low risk-adjusted return",
                    String.format(Locale.ROOT, "Sharpe %.2f: %s.", m.sharpe(), sharpe.meaning()), null);
        } else if (sharpe.label().equals("good") || sharpe.label().startsWith("excellent")) {
            strengths.add(String.format(Locale.ROOT, "Sharpe %.2f is %s.", m.sharpe(), sharpe.label()));
        }
        if (m.tradeCount() > 0 && m.profitFactor() == m.profitFactor() && m.profitFactor() < 1) {
            boolean pennies = m.winRate() > Interpretation.HIGH_WIN_RATE;
            add(Severity.HIGH, "no_edge", pennies ? "Picking up pennies" : "Trades lose money",
                    String.format(Locale.ROOT, "Profit factor %.2f at a %.0f%% win rate: %s.", m.profitFactor(),
                            100 * m.winRate(), profile),
                    pennies ? rec(Severity.HIGH, Category.EXIT_SIGNAL, "Cap the tail losses",
                            "Keeps the many small wins without the rare wipe-out",
                            "Add a stop at about 2x the average win.", "Exit when the entry thesis breaks.")
                            : rec(Severity.HIGH, Category.EXIT_SIGNAL, "Let winners run, cut losers",
                            "Pushes the profit factor above 1",
                            "Replace fixed take-profits with a trailing stop.",
                            "Cut losing trades at a fixed multiple of volatility."));
        } else if (m.profitFactor() > Interpretation.STRONG_PF) {
            strengths.add(String.format(Locale.ROOT, "Profit factor %.2f: %s.", m.profitFactor(), profile));
        }
        if (m.beta() == m.beta() && m.beta() > 1 && m.correlation() > 0.7) {
            add(Severity.LOW, "market_beta", "Mostly market exposure",
                    String.format(Locale.ROOT, "Beta %.2f, correlation %.2f to the benchmark.", m.beta(),
                            m.correlation()),
                    rec(Severity.LOW, Category.ASSET_SELECTION, "Separate alpha from beta",
                            "Shows what the signal adds beyond the market",
                            "Hedge the benchmark exposure and re-run."));
        }
        if (m.tailRatio() > 1.1) {
            strengths.add(String.format(Locale.ROOT, "Tail ratio %.2f: the right tail is fatter than the left.",
                    m.tailRatio()));
        }
    }

    /** The chapter's risk checklist: market, model, operational and (for crypto) crypto-specific risk. */
    private List<CheckItem> checklist(Metrics m, Interpretation.Band dd, Halves halves, int survived,
                                      List<Report.Regime> regimes, Report.Regime problem) {
        List<CheckItem> c = new ArrayList<>();
        Backtest.Extras x = bt.extras();
        c.add(new CheckItem("market", "Drawdown within tolerance", dd.points() >= 20 ? "ok" : dd.points() > 0
                ? "warn" : "fail", String.format(Locale.ROOT, "%.1f%% (%s: suits %s)", 100 * m.maxDrawdown(),
                dd.label(), dd.suitableFor())));
        c.add(new CheckItem("market", "Tested across market regimes", regimes.isEmpty() ? (x.statedRegimes().isEmpty()
                ? "check" : has("stated_regime_loss") ? "warn" : "ok") : problem != null ? "warn" : "ok",
                regimes.isEmpty() ? (!x.statedRegimes().isEmpty() ? "the backtest's own breakdown: "
                        + statedRegimeText() : bt.benchmarkTime() == null ? "no benchmark given"
                        : "too short for regimes") : problem != null ? "losses concentrate in " + problem.name()
                        : "every regime tested: none loses money with losses 1.5x as fast as the rest of the time"));
        c.add(new CheckItem("market", "Correlation with the benchmark understood", m.beta() != m.beta() ? "check"
                : Math.abs(m.beta()) > 1 ? "warn" : "ok", m.beta() != m.beta() ? "no benchmark given"
                : String.format(Locale.ROOT, "beta %.2f, correlation %.2f", m.beta(), m.correlation())));
        c.add(new CheckItem("market", "Tail risk analysed", m.tailRatio() != m.tailRatio() ? "check"
                : m.tailRatio() >= 1 ? "ok" : "warn", m.tailRatio() != m.tailRatio() ? String.format(Locale.ROOT,
                "VaR 95%% %.2f%% a period, tail ratio n/a", 100 * m.var95()) : String.format(Locale.ROOT,
                "VaR 95%% %.2f%% a period, tail ratio %.2f", 100 * m.var95(), m.tailRatio())));
        c.add(new CheckItem("market", "Liquidity assumptions validated", participation != participation ? "check"
                : has("liquidity") ? (participation >= 0.10 ? "fail" : "warn") : "ok",
                participation != participation ? (x.adv() == x.adv() ? "no position values in the trades"
                        : "state the instrument's average daily traded value (adv) to check fills against it")
                        : String.format(Locale.ROOT, "largest position %.2f%% of the daily traded value",
                        100 * participation)));
        c.add(new CheckItem("model", "Enough trades", !m.withTrades() ? "check"
                : m.tradeCount() >= Interpretation.MIN_TRADES ? "ok" : "fail",
                m.withTrades() ? m.tradeCount() + " trades" : "no trade list given"));
        c.add(new CheckItem("model", "Out-of-sample validation performed", halves == null ? "check"
                : has("overfitting") ? "fail" : has("is_oos_decay") ? "warn" : "ok",
                halves == null ? "no in_sample_end given" : String.format(Locale.ROOT, "Sharpe %.2f -> %.2f",
                        halves.isSharpe(), halves.oosSharpe())));
        int params = x.parameters().size();
        c.add(new CheckItem("model", "Parameter count against the data", params == 0 || !m.withTrades() ? "check"
                : has("parameters_vs_data") ? "fail" : "ok", params == 0 ? "state the tuned parameters (parameters)"
                : !m.withTrades() ? params + " parameters, no trade list" : String.format(Locale.ROOT,
                "%d parameters, %.1f trades each (at least %d)", params, (double) m.tradeCount() / params,
                MIN_TRADES_PER_PARAMETER)));
        c.add(new CheckItem("model", "Parameter sensitivity analysed", x.sensitivity().isEmpty() ? "check"
                : has("parameter_fragile") ? "fail" : "ok", x.sensitivity().isEmpty()
                ? "give the Sharpe at neighbouring parameter values (sensitivity)"
                : x.sensitivity().size() + " neighbours tested"));
        c.add(new CheckItem("model", "Overfitting indicators checked", has("suspicious_smoothness") ? "fail"
                : has("overfitting") || has("parameter_fragile") || has("parameters_vs_data") ? "warn" : "ok",
                has("suspicious_smoothness") ? "signs of look-ahead" : ""));
        c.add(new CheckItem("model", "Data snooping bias mitigated", x.trials() < 2 ? "check"
                : has("data_snooping") ? "fail" : "ok", x.trials() < 2
                ? "state how many variants were tried (trials) for the deflated Sharpe"
                : String.format(Locale.ROOT, "%d trials, deflated Sharpe %.0f%%", x.trials(), 100 * deflated)));
        c.add(new CheckItem("model", "Robust to costs", survived < 0 ? "fail" : survived >= 3 ? "ok"
                : survived == 2 ? "warn" : "fail", survived < 0 ? (has("costs_zero") ? "costs set to zero"
                : has("costs_not_stated") ? "costs not stated" : "no trades") + breakevenNote()
                : "edge survives up to " + survived + "x costs" + breakevenNote()));
        c.add(new CheckItem("operational", "Execution assumptions realistic", has("costs_not_stated")
                || has("costs_zero") ? "fail" : has("maker_share_optimistic") || has("liquidity") ? "warn" : "ok",
                executionNote()));
        boolean dq = false;
        for (Finding f : findings) {
            dq |= f.code().startsWith("data_");
        }
        c.add(new CheckItem("operational", "Data quality", dq ? "fail" : "ok", ""));
        c.add(new CheckItem("operational", "Survivorship-free universe", bt.universeFixed() ? "fail" : "check",
                bt.universeFixed() ? "universe fixed with hindsight" : "confirm the universe is point-in-time"));
        c.add(new CheckItem("operational", "System downtime impact assessed", "check",
                "what happens to open positions if the strategy is down for a day"));
        c.add(new CheckItem("operational", "Data feed reliability considered", "check",
                "a second price source, and stale-data alarms"));
        c.add(new CheckItem("operational", "Position sizing within exchange limits", "check",
                "order size and position limits of the venue, and the sizing below"));
        if (bt.assetClass() == AssetClass.CRYPTO) {
            c.add(new CheckItem("crypto", "Liquidation scenarios modelled", has("liquidation_risk") ? "fail" : "ok",
                    String.format(Locale.ROOT, "leverage %.1fx", bt.leverage())));
            c.add(new CheckItem("crypto", "Funding rate costs included", has("funding_not_stated")
                    || has("funding_not_included") || has("funding_mismatch") ? "fail" : has("funding_heavy")
                    ? "warn" : "ok", m.fundingMonthly() == m.fundingMonthly() ? Formats.pct(m.fundingMonthly())
                    + " a month of the mean equity" : ""));
            c.add(new CheckItem("crypto", "Exchange counterparty risk acknowledged", "check",
                    "spread capital over venues; withdraw what is not needed as margin"));
            c.add(new CheckItem("crypto", "Network congestion effects considered", "check",
                    "deposits and withdrawals stall when it matters most; keep margin on the venue"));
        }
        return List.copyOf(c);
    }

    private String breakevenNote() {
        return breakeven != breakeven ? "" : String.format(Locale.ROOT, "; break-even at a %.3f%% round trip",
                100 * breakeven);
    }

    private String executionNote() {
        if (bt.feesBps() != bt.feesBps() && bt.slippageBps() != bt.slippageBps()) {
            return "no fees or slippage stated";
        }
        String fees = bt.extras().feeSchedule() ? String.format(Locale.ROOT, "fees %s bps a side (%.0f%% maker at %s, "
                        + "%.0f%% taker at %s)", Formats.num(bt.feesBps()), 100 * bt.extras().makerShare(),
                Formats.num(bt.extras().makerFeeBps()), 100 * (1 - bt.extras().makerShare()),
                Formats.num(bt.extras().takerFeeBps())) : "fees " + Formats.num(zero(bt.feesBps())) + " bps a side";
        return fees + ", slippage " + Formats.num(zero(bt.slippageBps())) + " bps a side";
    }

    private String statedRegimeText() {
        List<String> parts = new ArrayList<>();
        bt.extras().statedRegimes().forEach((k, v) -> parts.add(k + " " + Formats.pct(v)));
        return String.join(", ", parts);
    }

    private boolean has(String code) {
        for (Finding f : findings) {
            if (f.code().equals(code)) {
                return true;
            }
        }
        return false;
    }
}
