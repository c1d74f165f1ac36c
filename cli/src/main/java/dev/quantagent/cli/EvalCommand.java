package dev.quantagent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.cli.render.Cells;
import dev.quantagent.cli.render.EvaluationJson;
import dev.quantagent.cli.render.FactorTables;
import dev.quantagent.cli.render.FormulaJson;
import dev.quantagent.cli.render.Json;
import dev.quantagent.cli.render.TimeSeriesView;
import dev.quantagent.evaluator.BookConfig;
import dev.quantagent.evaluator.Evaluation;
import dev.quantagent.evaluator.EvaluationConfig;
import dev.quantagent.evaluator.FactorReport;
import dev.quantagent.evaluator.Split;
import dev.quantagent.evaluator.TimeSeriesEvaluation;
import dev.quantagent.evaluator.data.DataQuality;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Panel;
import dev.quantagent.sandbox.Sandbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

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
        InOrder.map(formulas, InOrder.threads(), () -> Workspaces.of(evaluation, kernelThreads),
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
            ObjectNode j = EvaluationJson.of(o.report());
            if (o.portfolios() != null) {
                j.set("splits", EvaluationJson.withBooks((ObjectNode) j.get("splits"), o.portfolios()));
            }
            if (o.inTime() != null) {
                j.put("evaluation", "time_series");
                j.set("time_series", TimeSeriesView.json(o.inTime()));
            }
            out.println(Json.line(j));
        } else if (o.inTime() != null) {
            out.println(TimeSeriesView.table(o.inTime()));
        } else {
            out.println(FactorTables.text(o.report(), o.ms()));
            if (o.portfolios() != null) {
                out.println(FactorTables.books(o.portfolios()));
            }
        }
    }

    private void printError(String formula, FormulaException e, PrintWriter out, PrintWriter err) throws IOException {
        if (json) {
            ObjectNode o = FormulaJson.error(e);
            o.put("formula", formula);
            out.println(Json.line(o));
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
                ev.config().delay() == 1 ? "" : "s", ev.config().horizon(), Cells.setting(ev.config().costBps()),
                ev.config().quantiles()));
        sb.append("splits: train ").append(ev.splits().describe(p, Split.TRAIN)).append(", valid ")
                .append(ev.splits().describe(p, Split.VALID)).append(", test ")
                .append(ev.splits().describe(p, Split.TEST)).append(includeTest ? " (unsealed)" : " (sealed)");
        return sb.toString();
    }
}
