package dev.quantagent.cli;

import static dev.quantagent.cli.html.HtmlPage.add;
import static dev.quantagent.cli.html.HtmlPage.put;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.PortfolioMetrics;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.SplitStatistics;
import dev.quantagent.evaluator.TimeSeriesEvaluation;
import dev.quantagent.evaluator.data.DataQuality;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "eval", description = "Evaluate formulas on train and valid (and, only when asked, the sealed test "
        + "split): IC, rank IC, quantile returns, a long-short portfolio after costs, decay by year, regimes.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataOptions market;

    @Mixin
    private EvaluationOptions settings;

    @Option(names = "--include-test", description = "Also evaluate the sealed test split (counted and logged).")
    private boolean includeTest;

    @Option(names = "--json", description = "One JSON object per formula (JSON Lines).")
    private boolean json;

    @Option(names = "--books", description = "Also run the portfolios the factor drives: the quantile long-short "
            + "held 1, 5, 10 and 20 bars, the TopK-dropout book against the equal-weight market and the buffered "
            + "long-short, before and after costs.")
    private boolean books;

    @Mixin
    private BookOptions bookOptions;

    @Parameters(paramLabel = "FORMULA", arity = "1..*", description = "One or more formulas.")
    private List<String> formulas;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EvaluationConfig config = settings.over(EvaluationConfig.DEFAULT);
        Sandbox sandbox = new Sandbox(Limits.DEFAULT);
        Evaluation evaluation = market.prepare(config, sandbox);
        Evaluation.SealedTest test = includeTest ? evaluation.unsealTest() : null;
        // a cross-section too thin to rank (one asset, or a few): the factor is judged in time instead, and so said
        int crossSection = TimeSeriesEvaluation.medianCrossSection(evaluation);
        boolean inTime = crossSection < TimeSeriesEvaluation.MIN_CROSS_SECTION;
        if (!json) {
            out.println(header(evaluation));
            if (inTime) {
                out.println(TimeSeriesView.note(crossSection));
            }
        }
        int[] failed = {0};
        List<String> datasetKeys = test != null ? market.keys() : null;
        BookConfig bookConfig = books ? bookOptions.over(BookConfig.DEFAULT) : null;
        // formulas are independent: evaluated on every core, each thread with its own workspace, shown in order; a
        // formula alone has every core on each of its kernels
        int kernelThreads = formulas.size() == 1 ? InOrder.threads() : 1;
        InOrder.map(formulas, InOrder.threads(), () -> workspace(evaluation, kernelThreads),
                (ws, formula) -> evaluate(sandbox, evaluation, ws, test, bookConfig, inTime, formula), o -> {
                    if (o.error() != null) {
                        failed[0]++;
                        printError(o.formula(), o.error(), out, err);
                        return;
                    }
                    if (test != null) {
                        // before it is shown: a crash later still counts it
                        Home.testLooks().log(datasetKeys.get(0), List.of(o.factor()), "eval");
                    }
                    print(o, out);
                });
        if (test != null && !json && failed[0] < formulas.size()) {
            out.println(Home.testLooks().sentence(Home.testLooks().count(datasetKeys)));
        }
        return failed[0] > 0 ? QuantAgentCli.BAD_INPUT : 0;
    }

    /** A workspace whose evaluator shares each kernel among {@code threads} threads. */
    static Evaluation.Workspace workspace(Evaluation evaluation, int threads) {
        Evaluation.Workspace ws = evaluation.workspace();
        ws.evaluator().threads(threads);
        return ws;
    }

    /**
     * One formula's outcome: its report (and portfolios with --books, its evaluation in time on a thin
     * cross-section), or the error that stopped it.
     */
    private record Outcome(String formula, Factor factor, FactorReport report,
                           java.util.Map<Split, dev.quantagent.evaluator.Portfolios> portfolios,
                           TimeSeriesEvaluation.Report inTime, double ms, FormulaException error) {
    }

    private Outcome evaluate(Sandbox sandbox, Evaluation evaluation, Evaluation.Workspace ws,
                             Evaluation.SealedTest test, BookConfig bookConfig, boolean inTime, String formula) {
        try {
            Factor f = sandbox.parse(formula);
            long t0 = System.nanoTime();
            FactorReport report;
            java.util.Map<Split, dev.quantagent.evaluator.Portfolios> portfolios = null;
            if (bookConfig != null) {
                double[] values = ws.values(f).clone();
                if (test != null) {
                    Evaluation.TestLook look = test.look(f, values, ws, bookConfig);
                    report = look.report();
                    portfolios = look.portfolios();
                } else {
                    report = evaluation.evaluate(f, values, ws);
                    portfolios = new java.util.EnumMap<>(Split.class);
                    for (Split s : List.of(Split.TRAIN, Split.VALID)) {
                        portfolios.put(s, evaluation.portfolios(values, s, ws, bookConfig));
                    }
                }
            } else {
                report = test != null ? test.evaluate(f, ws) : evaluation.evaluate(f, ws);
            }
            TimeSeriesEvaluation.Report inTimeReport = null;
            if (inTime) {
                double[] values = ws.values(f).clone();
                inTimeReport = test != null ? TimeSeriesEvaluation.evaluateWithTest(evaluation, f.formula(),
                        f.canonical(), f.hash(), values, test)
                        : TimeSeriesEvaluation.evaluate(evaluation, f.formula(), f.canonical(), f.hash(), values);
            }
            return new Outcome(formula, f, report, portfolios, inTimeReport, (System.nanoTime() - t0) / 1e6, null);
        } catch (FormulaException e) {
            return new Outcome(formula, null, null, null, null, Double.NaN, e);
        }
    }

    private void print(Outcome o, PrintWriter out) throws IOException {
        if (json) {
            ObjectNode j = toJson(o.report());
            if (o.portfolios() != null) {
                j.set("splits", RunSummary.withBooks((ObjectNode) j.get("splits"), o.portfolios()));
            }
            if (o.inTime() != null) {
                j.put("evaluation", "time_series");
                j.set("time_series", TimeSeriesView.json(o.inTime()));
            }
            out.println(CheckCommand.Json.MAPPER.writeValueAsString(j));
        } else if (o.inTime() != null) {
            out.println(TimeSeriesView.table(o.inTime()));
        } else {
            out.println(table(o.report(), o.ms()));
            if (o.portfolios() != null) {
                out.println(booksTable(o.portfolios()));
            }
        }
    }

    private void printError(String formula, FormulaException e, PrintWriter out, PrintWriter err) throws IOException {
        if (json) {
            ObjectNode o = CheckCommand.Json.error(e);
            o.put("formula", formula);
            out.println(CheckCommand.Json.MAPPER.writeValueAsString(o));
        } else {
            err.println("error in '" + formula + "': " + e.getMessage());
            String pointer = e.pointer(formula);
            if (!pointer.isEmpty()) {
                err.println(pointer.replaceAll("(?m)^", "  "));
            }
        }
    }

    private String header(Evaluation ev) {
        Panel p = ev.panel();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "data: %s, %d dates x %d assets, %s%n", market.describe(), p.dateCount(),
                p.assetCount(), ev.frequency().name()));
        sb.append("data quality: ").append(DataQuality.inspect(p).summary())
                .append(" (details: quantagent data inspect)").append(System.lineSeparator());
        sb.append(String.format(Locale.ROOT, "label: return from the close %d period%s after the factor, held %d; "
                        + "costs %s bps per side; %d quantiles%n", ev.config().delay(),
                ev.config().delay() == 1 ? "" : "s", ev.config().horizon(), num(ev.config().costBps()),
                ev.config().quantiles()));
        sb.append("splits: train ").append(ev.splits().describe(p, Split.TRAIN)).append(", valid ")
                .append(ev.splits().describe(p, Split.VALID)).append(", test ")
                .append(ev.splits().describe(p, Split.TEST)).append(includeTest ? " (unsealed)" : " (sealed)");
        return sb.toString();
    }

    /** A line of the statistics table (also the factor page's). */
    record Row(String name, ToDoubleFunction<SplitStatistics> value, boolean percent) {
    }

    static final List<Row> ROWS = List.of(
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

    /** The per-split table of a report as text, for other reports. */
    static String tableText(FactorReport r) {
        return table(r, Double.NaN);
    }

    private static String table(FactorReport r, double ms) {
        List<Split> splits = new ArrayList<>();
        for (Split s : Split.values()) {
            if (r.splits().containsKey(s)) {
                splits.add(s);
            }
        }
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
    static String booksTable(java.util.Map<Split, dev.quantagent.evaluator.Portfolios> portfolios) {
        List<Split> splits = new ArrayList<>();
        for (Split s : Split.values()) {
            if (portfolios.containsKey(s)) {
                splits.add(s);
            }
        }
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
                dev.quantagent.evaluator.Book b = portfolios.get(s).longShortByHolding().get(i);
                sb.append(String.format(Locale.ROOT, "%18s", pair(b.net().sharpe(), b.gross().sharpe(), false)));
            }
            sb.append(System.lineSeparator());
        }
        sb.append(String.format(Locale.ROOT, "  %-43s", "buffered long-short: Sharpe"));
        for (Split s : splits) {
            dev.quantagent.evaluator.Book b = portfolios.get(s).bufferedLongShort();
            sb.append(String.format(Locale.ROOT, "%18s", pair(b.net().sharpe(), b.gross().sharpe(), false)));
        }
        sb.append(System.lineSeparator());
        dev.quantagent.evaluator.Book first = portfolios.get(splits.get(0)).topkDropout();
        String[] labels = {"TopK excess return a year", "TopK information ratio", "TopK max drawdown of excess"};
        for (int k = 0; k < labels.length; k++) {
            sb.append(String.format(Locale.ROOT, "  %-43s", labels[k]));
            for (Split s : splits) {
                dev.quantagent.evaluator.Book b = portfolios.get(s).topkDropout();
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

    /** A statistic as the tables show it: "-" when undefined, percent with 2 decimals, else 4 decimals. */
    static String cell(double v, boolean percent, boolean integer) {
        if (v != v) {
            return "-";
        }
        if (integer) {
            return String.valueOf((long) v);
        }
        if (percent) {
            return String.format(Locale.ROOT, "%.2f%%", 100 * v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.4f", v);
    }

    /** An epoch second as its UTC day, for JSON. */
    static String day(long epochSecond) {
        return java.time.Instant.ofEpochSecond(epochSecond).atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString();
    }

    static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    static ObjectNode toJson(FactorReport r) {
        ObjectNode o = CheckCommand.Json.MAPPER.createObjectNode();
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
                x.put("from", day(f.from()));
                x.put("to", day(f.to()));
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
}
