package dev.quantagent.agents.analysis;

import dev.quantagent.agents.analysis.Backtest.AssetClass;
import dev.quantagent.agents.analysis.Backtest.Trade;
import dev.quantagent.agents.analysis.Report.CheckItem;
import dev.quantagent.agents.analysis.Report.Category;
import dev.quantagent.agents.analysis.Report.CostCase;
import dev.quantagent.agents.analysis.Report.Finding;
import dev.quantagent.agents.analysis.Report.Halves;
import dev.quantagent.agents.analysis.Report.Recommendation;
import dev.quantagent.agents.analysis.Report.Severity;
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

    private final Backtest bt;
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
        return analyze(bt, new Analysis.Options(riskFree, annualization, Verbosity.STANDARD, Analysis.Format.MD));
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
        Metrics m = Metrics.compute(bt, curve, p, riskFree, market);
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
        risk(m, sharpeBand, ddBand, profile);
        List<Report.Regime> regimes = market == null ? List.of()
                : MarketRegimes.of(market, bt.benchmarkTime(), bt.benchmarkPrice(), regimeWindow, p);
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
                regimes, regimeWindow, problem, null);
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
                    outside.size() + " item(s) fall outside " + day(bt.periodStart()) + " .. " + day(bt.periodEnd())
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
                            + "overstated; give the equity curve for the real figures.", Reports.num(o.capital())),
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
                days.add(market.byDate() ? day(x) : time(x));
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
                                + "%s as fast as in the rest of the time, over %d trading days; the strategy %s a year "
                                + "there (the benchmark %s), %s an interval", r.name(), r.group(), 100 * r.share(),
                        100 * r.shareOfLosses(), Double.isInfinite(r.lossIntensity()) ? "infinitely"
                                : String.format(Locale.ROOT, "%.1fx", r.lossIntensity()), r.days(),
                        Reports.pct(r.strategyReturn()), Reports.pct(r.benchmarkReturn()),
                        Reports.pct(r.meanReturn())));
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
                allUp &= r.strategyReturn() > 0;
                good.add(r.name() + " " + Reports.pct(r.strategyReturn()) + " a year");
            }
        }
        if (allUp && good.size() >= 2) {
            strengths.add("Makes money in every market regime with enough data: " + String.join(", ", good) + ".");
        }
        return null;
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
                                + "overstate a curve with holes.", day(time[widest]), day(time[widest + 1]),
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
     *
     * @return highest multiple (1–3) at which the edge survives, 0 if none, −1 if no costs were stated
     */
    private int costs(Metrics m, List<CostCase> cases) {
        if (bt.feesBps() != bt.feesBps() && bt.slippageBps() != bt.slippageBps()) {
            add(Severity.MEDIUM, "costs_not_stated", "Trading costs not stated",
                    "Neither fees_bps nor slippage_bps (--fees-bps, --slippage-bps) is given, so cost sensitivity "
                            + "cannot be assessed and the returns may be gross of costs.",
                    rec(Severity.MEDIUM, Category.COST_REDUCTION, "Model fees and slippage",
                            "Returns that survive contact with a real exchange",
                            "Add the venue's taker fee per side and a slippage estimate (e.g. half the spread).",
                            "State them as fees_bps and slippage_bps."));
            return -1;
        }
        if (bt.trades().isEmpty()) {
            return -1;
        }
        double roundTrip = 2 * (zero(bt.feesBps()) + zero(bt.slippageBps())) / 1e4;
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
            strengths.add("The edge survives 3x the stated fees and slippage.");
        }
        // turnover vs edge: yearly cost drag if every trade uses the whole equity (an upper bound)
        double years = (bt.periodEnd() - bt.periodStart()) / (365.25 * DAY);
        if (years > 0 && roundTrip > 0) {
            double perYear = bt.trades().size() / years;
            double drag = perYear * roundTrip;
            double gross = m.annualReturn() + drag;
            if (gross > 0 && drag >= 0.5 * gross) {
                add(Severity.MEDIUM, "turnover_vs_edge", "Turnover eats most of the edge",
                        String.format(Locale.ROOT, "%.0f trades a year at %.2f%% a round trip cost up to %.1f%% a "
                                + "year against %.1f%% gross.", perYear, 100 * roundTrip, 100 * drag, 100 * gross),
                        rec(Severity.MEDIUM, Category.COST_REDUCTION, "Reduce turnover",
                                "Up to half the cost drag back as return",
                                "Add a no-trade band or a minimum holding period.",
                                "Rebalance less often and compare net Sharpe."));
            }
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
        double[] lnFact = Stats.logFactorials(trades);
        List<double[]> hits = new ArrayList<>(); // {bucket, p}
        for (int b = 0; b < loss.length; b++) {
            int l = (int) loss[b];
            int n = (int) all[b];
            if (l < CLUSTER_MIN_LOSSES || n == trades) {
                continue;
            }
            double rate = (double) l / n;
            double rest = (double) (losses - l) / (trades - n);
            double p = Stats.hypergeometricUpperTail(l, trades, losses, n, lnFact);
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
        if (crypto && (perp || bt.leverage() > 1) && bt.funding() != bt.funding()) {
            add(Severity.MEDIUM, "funding_not_stated", "Funding costs not stated",
                    "Leveraged or perpetual crypto positions pay funding (often 10–30% a year at 0.01% per 8h); "
                            + "the backtest does not give it.",
                    rec(Severity.MEDIUM, Category.COST_REDUCTION, "Include funding",
                            "Returns that match the exchange statement",
                            "Charge the historical funding rate on every open perpetual position.",
                            "State the total as funding or per trade."));
        } else if (bt.funding() == bt.funding() && bt.funding() > 0) {
            double net = 0;
            for (Trade t : bt.trades()) {
                net += t.pnl();
            }
            double share = bt.funding() / (net + bt.funding()); // pnl is taken as net of funding
            if (net + bt.funding() <= 0 || share >= 0.25) {
                add(share >= 0.5 || net + bt.funding() <= 0 ? Severity.HIGH : Severity.MEDIUM, "funding_heavy",
                        "Funding eats the profit",
                        String.format(Locale.ROOT, "Funding paid %.2f against %.2f of P&L before funding.",
                                bt.funding(), net + bt.funding()),
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

    private List<CheckItem> checklist(Metrics m, Interpretation.Band dd, Halves halves, int survived,
                                      List<Report.Regime> regimes, Report.Regime problem) {
        List<CheckItem> c = new ArrayList<>();
        c.add(new CheckItem("market", "Drawdown within tolerance", dd.points() >= 20 ? "ok" : dd.points() > 0
                ? "warn" : "fail", String.format(Locale.ROOT, "%.1f%% (%s)", 100 * m.maxDrawdown(), dd.label())));
        c.add(new CheckItem("market", "Tail risk", m.tailRatio() != m.tailRatio() ? "check" : m.tailRatio() >= 1
                ? "ok" : "warn", m.tailRatio() != m.tailRatio() ? String.format(Locale.ROOT,
                "VaR 95%% %.2f%% a period, tail ratio n/a", 100 * m.var95()) : String.format(Locale.ROOT,
                "VaR 95%% %.2f%% a period, tail ratio %.2f", 100 * m.var95(), m.tailRatio())));
        c.add(new CheckItem("market", "Benchmark dependence", m.beta() != m.beta() ? "check"
                : Math.abs(m.beta()) > 1 ? "warn" : "ok", m.beta() != m.beta() ? "no benchmark given"
                : String.format(Locale.ROOT, "beta %.2f", m.beta())));
        c.add(new CheckItem("market", "Holds up across regimes", regimes.isEmpty() ? "check" : problem != null
                ? "warn" : "ok", regimes.isEmpty() ? (bt.benchmarkTime() == null ? "no benchmark given"
                : "too short for regimes") : problem != null ? "losses concentrate in " + problem.name()
                : "every regime tested: none loses money with losses 1.5x as fast as the rest of the time"));
        c.add(new CheckItem("model", "Enough trades", !m.withTrades() ? "check"
                : m.tradeCount() >= Interpretation.MIN_TRADES ? "ok" : "fail",
                m.withTrades() ? m.tradeCount() + " trades" : "no trade list given"));
        c.add(new CheckItem("model", "Out-of-sample holds", halves == null ? "check"
                : has("overfitting") ? "fail" : has("is_oos_decay") ? "warn" : "ok",
                halves == null ? "no in_sample_end given" : String.format(Locale.ROOT, "Sharpe %.2f -> %.2f",
                        halves.isSharpe(), halves.oosSharpe())));
        c.add(new CheckItem("model", "No look-ahead signs", has("suspicious_smoothness") ? "fail" : "ok", ""));
        c.add(new CheckItem("model", "Robust to costs", survived < 0 ? "check" : survived >= 3 ? "ok"
                : survived == 2 ? "warn" : "fail", survived < 0 ? "costs not stated or no trades"
                : "edge survives up to " + survived + "x costs"));
        c.add(new CheckItem("operational", "Costs stated", survived == -1 && has("costs_not_stated") ? "fail" : "ok",
                ""));
        boolean dq = false;
        for (Finding f : findings) {
            dq |= f.code().startsWith("data_");
        }
        c.add(new CheckItem("operational", "Data quality", dq ? "fail" : "ok", ""));
        c.add(new CheckItem("operational", "Survivorship-free universe", bt.universeFixed() ? "fail" : "check",
                bt.universeFixed() ? "universe fixed with hindsight" : "confirm the universe is point-in-time"));
        if (bt.assetClass() == AssetClass.CRYPTO) {
            c.add(new CheckItem("crypto", "Liquidation buffer", has("liquidation_risk") ? "fail" : "ok",
                    String.format(Locale.ROOT, "leverage %.1fx", bt.leverage())));
            c.add(new CheckItem("crypto", "Funding accounted", has("funding_not_stated") || has("funding_heavy")
                    ? "warn" : "ok", ""));
            c.add(new CheckItem("crypto", "Exchange and counterparty risk", "check",
                    "spread capital over venues; withdraw what is not needed as margin"));
            c.add(new CheckItem("crypto", "24/7 monitoring", "check", "alerts and a kill switch for weekend moves"));
        }
        return List.copyOf(c);
    }

    private boolean has(String code) {
        for (Finding f : findings) {
            if (f.code().equals(code)) {
                return true;
            }
        }
        return false;
    }

    static String day(long epochSecond) {
        return Instant.ofEpochSecond(epochSecond).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }

    /** The date for midnight UTC, else the ISO date-time in UTC. */
    static String time(long epochSecond) {
        return epochSecond % 86_400 == 0 ? day(epochSecond) : Instant.ofEpochSecond(epochSecond).toString();
    }
}
