package dev.quantagent.cli.render;

import static dev.quantagent.cli.render.Cells.cell;

import dev.quantagent.evaluator.Book;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Portfolios;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A factor's statistics as the terminal and markdown show them: eval's per-split table (also the rows of the factor
 * page's statistics table) and the table of the portfolios it drives ({@code --books}).
 */
public final class FactorTables {

    private FactorTables() {
    }

    /** A line of the statistics table (also the factor page's). */
    public record Row(String name, ToDoubleFunction<SplitStatistics> value, boolean percent) {
    }

    public static final List<Row> ROWS = List.of(
            new Row("ic", SplitStatistics::ic, false),
            new Row("rank_ic", SplitStatistics::rankIc, false),
            new Row("icir", SplitStatistics::icir, false),
            new Row("rank_icir", SplitStatistics::rankIcir, false),
            new Row("ic_tstat", SplitStatistics::icTstat, false),
            new Row("ic_tstat_nw (Newey-West)", SplitStatistics::icTstatNeweyWest, false),
            new Row("rank_ic_tstat_nw", SplitStatistics::rankIcTstatNeweyWest, false),
            new Row("ic_positive_ratio", SplitStatistics::icPositiveRatio, true),
            new Row("long_short (gross/period)", SplitStatistics::longShort, true),
            new Row("annual_return (net)", s -> s.portfolio().annualReturn(), true),
            new Row("annual_return (gross)", s -> s.grossPortfolio().annualReturn(), true),
            new Row("annual_volatility", s -> s.portfolio().annualVolatility(), true),
            new Row("sharpe (net)", s -> s.portfolio().sharpe(), false),
            new Row("sharpe (gross)", s -> s.grossPortfolio().sharpe(), false),
            new Row("sortino", s -> s.portfolio().sortino(), false),
            new Row("calmar", s -> s.portfolio().calmar(), false),
            new Row("max_drawdown", s -> s.portfolio().maxDrawdown(), true),
            new Row("turnover", SplitStatistics::turnover, true),
            new Row("win_rate", s -> s.portfolio().winRate(), true),
            new Row("profit_factor", s -> s.portfolio().profitFactor(), false),
            new Row("rank_autocorrelation", SplitStatistics::rankAutocorrelation, false),
            new Row("coverage", SplitStatistics::coverage, true),
            new Row("n_dates", s -> s.nDates(), false));

    /** The per-split table of a report as text (eval's, without its timing), for other reports. */
    public static String text(FactorReport r) {
        return text(r, Double.NaN);
    }

    /** eval's per-split table, saying how long the evaluation took ({@code ms}, NaN: not said). */
    public static String text(FactorReport r, double ms) {
        List<Split> splits = FactorSheet.present(r.splits());
        StringBuilder sb = new StringBuilder();
        sb.append(System.lineSeparator()).append(r.formula()).append(System.lineSeparator());
        if (!r.hash().isEmpty()) { // a combined signal has no formula of its own
            sb.append(String.format(Locale.ROOT, "canonical %s  hash %s%s%n", r.canonical(), r.hash(),
                    ms == ms ? String.format(Locale.ROOT, "  (evaluated in %.1f ms)", ms) : ""));
        }
        sb.append(String.format(Locale.ROOT, "  %-27s", ""));
        for (Split s : splits) {
            sb.append(String.format(Locale.ROOT, "%12s", s.key()));
        }
        sb.append(System.lineSeparator());
        for (Row row : ROWS) {
            sb.append(String.format(Locale.ROOT, "  %-27s", row.name()));
            for (Split s : splits) {
                double v = row.value().applyAsDouble(r.splits().get(s));
                sb.append(String.format(Locale.ROOT, "%12s", cell(v, row.percent(), row.name().equals("n_dates"))));
            }
            sb.append(System.lineSeparator());
        }
        for (Split s : splits) {
            SplitStatistics st = r.splits().get(s);
            sb.append("  ").append(s.key()).append(" quantile returns per period (bottom to top):");
            for (double q : st.quantileReturns()) {
                sb.append(' ').append(cell(q, true, false));
            }
            sb.append(System.lineSeparator()).append("  ").append(s.key()).append(" rank IC by year:");
            for (SplitStatistics.YearlyRankIc y : st.rankIcByYear()) {
                sb.append(String.format(Locale.ROOT, " %d %s", y.year(), cell(y.rankIc(), false, false)));
            }
            sb.append(System.lineSeparator()).append("  ").append(s.key())
                    .append(" regimes (share of time, mean long-short return, rank IC, share of losses):");
            sb.append(System.lineSeparator());
            for (SplitStatistics.RegimeStatistics g : st.regimes()) {
                sb.append(String.format(Locale.ROOT, "    %-16s %8s %10s %9s %8s%n", g.regime(),
                        cell(g.share(), true, false), cell(g.meanReturn(), true, false),
                        cell(g.rankIc(), false, false), cell(g.shareOfLosses(), true, false)));
            }
        }
        return sb.toString().stripTrailing();
    }

    /** The portfolios per split as a table: each book's Sharpe before and after costs, TopK's excess and turnover. */
    public static String books(Map<Split, Portfolios> portfolios) {
        List<Split> splits = FactorSheet.present(portfolios);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "  %-43s", "portfolios (net / gross)"));
        for (Split s : splits) {
            sb.append(String.format(Locale.ROOT, "%18s", s.key()));
        }
        sb.append(System.lineSeparator());
        int n = portfolios.get(splits.get(0)).longShortByHolding().size();
        for (int i = 0; i < n; i++) {
            int every = portfolios.get(splits.get(0)).longShortByHolding().get(i).rebalanceEvery();
            sb.append(String.format(Locale.ROOT, "  %-43s", "long-short held " + every + " bar" + (every == 1 ? ""
                    : "s") + ": Sharpe"));
            for (Split s : splits) {
                Book b = portfolios.get(s).longShortByHolding().get(i);
                sb.append(String.format(Locale.ROOT, "%18s", pair(b.net().sharpe(), b.gross().sharpe(), false)));
            }
            sb.append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "  %-43s", "buffered long-short: Sharpe"));
        for (Split s : splits) {
            Book b = portfolios.get(s).bufferedLongShort();
            sb.append(String.format(Locale.ROOT, "%18s", pair(b.net().sharpe(), b.gross().sharpe(), false)));
        }
        sb.append(System.lineSeparator());
        Book first = portfolios.get(splits.get(0)).topkDropout();
        String[] labels = {"TopK excess return a year", "TopK information ratio", "TopK max drawdown of excess"};
        for (int k = 0; k < labels.length; k++) {
            sb.append(String.format(Locale.ROOT, "  %-43s", labels[k]));
            for (Split s : splits) {
                Book b = portfolios.get(s).topkDropout();
                double net = k == 0 ? b.excessNet().annualExcessReturn() : k == 1 ? b.excessNet().informationRatio()
                        : b.excessNet().maxDrawdown();
                double gross = k == 0 ? b.excessGross().annualExcessReturn() : k == 1
                        ? b.excessGross().informationRatio() : b.excessGross().maxDrawdown();
                sb.append(String.format(Locale.ROOT, "%18s", pair(net, gross, k != 1)));
            }
            sb.append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "  %-43s", "TopK turnover per rebalance"));
        for (Split s : splits) {
            sb.append(String.format(Locale.ROOT, "%18s", cell(portfolios.get(s).topkDropout().turnover(), true,
                    false)));
        }
        sb.append(System.lineSeparator()).append("  TopK book: ").append(first.description());
        return sb.toString();
    }

    private static String pair(double net, double gross, boolean percent) {
        return cell(net, percent, false) + " / " + cell(gross, percent, false);
    }
}
