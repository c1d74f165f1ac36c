package dev.quantagent.cli.render;

import static dev.quantagent.cli.render.Json.add;
import static dev.quantagent.cli.render.Json.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.agents.Conclusion;
import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.PoolSignal;
import dev.quantagent.evaluator.PortfolioMetrics;
import dev.quantagent.evaluator.Portfolios;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;

import java.util.Map;

/**
 * An evaluation as JSON, in the one shape every command writes it: {@code eval --json}, {@code report --format json},
 * {@code pool --json}, a run's {@code pool.json} and {@code summary.json}. Undefined figures are null.
 */
public final class EvaluationJson {

    private EvaluationJson() {
    }

    /** eval's statistics per split ({@code eval --json}): figures, quantile returns, rank IC by year, folds, regimes.
     */
    public static ObjectNode of(FactorReport r) {
        ObjectNode o = Json.object();
        o.put("formula", r.formula());
        o.put("canonical", r.canonical());
        o.put("hash", r.hash());
        ObjectNode splits = o.putObject("splits");
        for (Split s : Split.values()) {
            SplitStatistics st = r.splits().get(s);
            if (st == null) {
                continue;
            }
            ObjectNode j = splits.putObject(s.key());
            put(j, "ic", st.ic());
            put(j, "rank_ic", st.rankIc());
            put(j, "icir", st.icir());
            put(j, "rank_icir", st.rankIcir());
            put(j, "ic_tstat", st.icTstat());
            put(j, "ic_tstat_nw", st.icTstatNeweyWest());
            put(j, "rank_ic_tstat_nw", st.rankIcTstatNeweyWest());
            put(j, "ic_positive_ratio", st.icPositiveRatio());
            ArrayNode q = j.putArray("quantile_returns");
            for (double v : st.quantileReturns()) {
                add(q, v);
            }
            put(j, "long_short", st.longShort());
            PortfolioMetrics p = st.portfolio();
            put(j, "annual_return", p.annualReturn());
            put(j, "annual_volatility", p.annualVolatility());
            put(j, "sharpe", p.sharpe());
            put(j, "annual_return_gross", st.grossPortfolio().annualReturn());
            put(j, "sharpe_gross", st.grossPortfolio().sharpe());
            put(j, "sortino", p.sortino());
            put(j, "calmar", p.calmar());
            put(j, "max_drawdown", p.maxDrawdown());
            put(j, "turnover", st.turnover());
            put(j, "win_rate", p.winRate());
            put(j, "profit_factor", p.profitFactor());
            put(j, "rank_autocorrelation", st.rankAutocorrelation());
            put(j, "coverage", st.coverage());
            j.put("n_dates", st.nDates());
            ObjectNode years = j.putObject("rank_ic_by_year");
            for (SplitStatistics.YearlyRankIc y : st.rankIcByYear()) {
                put(years, String.valueOf(y.year()), y.rankIc());
            }
            ArrayNode folds = j.putArray("folds");
            for (SplitStatistics.Fold f : st.folds()) {
                ObjectNode x = folds.addObject();
                x.put("from", Cells.day(f.from()));
                x.put("to", Cells.day(f.to()));
                put(x, "rank_ic", f.rankIc());
                put(x, "rank_ic_tstat_nw", f.rankIcTstatNeweyWest());
                x.put("dates", f.dates());
            }
            ArrayNode regimes = j.putArray("regimes");
            for (SplitStatistics.RegimeStatistics g : st.regimes()) {
                ObjectNode x = regimes.addObject();
                x.put("regime", g.regime());
                put(x, "share", g.share());
                put(x, "mean_return", g.meanReturn());
                put(x, "rank_ic", g.rankIc());
                put(x, "share_of_losses", g.shareOfLosses());
                x.put("dates", g.dates());
            }
        }
        return o;
    }

    /** A combined signal: its method, weights, and per split eval's statistics with its portfolios. */
    public static ObjectNode signal(Conclusion.Signal s) {
        return signal(s.label(), s.combination(), s.look().report(), s.look().portfolios());
    }

    /** As {@link #signal(Conclusion.Signal)}, for the splits that were evaluated. */
    public static ObjectNode signal(String label, PoolSignal.Combination k, FactorReport report,
                                 Map<Split, Portfolios> portfolios) {
        ObjectNode o = Json.object();
        o.put("label", label);
        o.put("method", k.method().key());
        put(o, "penalty", k.penalty());
        ArrayNode w = o.putArray("weights");
        for (double x : k.weights()) {
            add(w, x);
        }
        ObjectNode byMethod = o.putObject("valid_rank_ic_by_method");
        for (Map.Entry<PoolSignal.Method, Double> e : k.validRankIcByMethod().entrySet()) {
            put(byMethod, e.getKey().key(), e.getValue());
        }
        o.put("valid_looks", k.validLooks());
        o.set("splits", withBooks((ObjectNode) of(report).get("splits"), portfolios));
        return o;
    }

    /** Each split's statistics with its portfolios: {@code portfolio} (the TopK book) and the others. */
    public static ObjectNode withBooks(ObjectNode splits, Map<Split, Portfolios> portfolios) {
        for (Map.Entry<Split, Portfolios> e : portfolios.entrySet()) {
            ObjectNode x = (ObjectNode) splits.get(e.getKey().key());
            Portfolios p = e.getValue();
            x.set("portfolio", book(p.topkDropout()));
            x.set("buffered_long_short", book(p.bufferedLongShort()));
            ArrayNode holding = x.putArray("long_short_by_holding");
            for (Book b : p.longShortByHolding()) {
                holding.add(book(b));
            }
        }
        return splits;
    }

    public static ObjectNode book(Book b) {
        ObjectNode o = Json.object();
        o.put("kind", b.kind());
        o.put("description", b.description());
        o.put("rebalance_every", b.rebalanceEvery());
        put(o, "turnover", b.turnover());
        o.set("gross", side(b, true));
        o.set("net", side(b, false));
        return o;
    }

    private static ObjectNode side(Book b, boolean gross) {
        ObjectNode o = Json.object();
        Book.Excess e = gross ? b.excessGross() : b.excessNet();
        if (e != null) {
            put(o, "annual_excess_return", e.annualExcessReturn());
            put(o, "information_ratio", e.informationRatio());
            put(o, "max_drawdown", e.maxDrawdown());
        }
        var m = gross ? b.gross() : b.net();
        put(o, "annual_return", m.annualReturn());
        put(o, "annual_volatility", m.annualVolatility());
        put(o, "sharpe", m.sharpe());
        put(o, e != null ? "max_drawdown_absolute" : "max_drawdown", m.maxDrawdown());
        return o;
    }
}
