package dev.quantagent.cli.analysis;

import dev.quantagent.assistant.Analysis;
import dev.quantagent.assistant.Backtest;
import dev.quantagent.assistant.Report;
import dev.quantagent.testkit.BacktestDocument;

import java.util.List;

/** A hand-built backtest document, parsed and analysed through the assistant's entry point. */
public final class Fixture extends BacktestDocument<Fixture> {

    public Fixture(String strategy, String assetClass, boolean weekends, double[] returns) {
        super(strategy, assetClass, weekends, returns);
    }

    public Backtest backtest() {
        return Backtest.parse(json(), "test");
    }

    public Report analyze() {
        return Analysis.analyze(List.of(backtest()), new Analysis.Options(0, null), null).get(0);
    }

    public static Report.Finding finding(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + code + " in " + r.findings()));
    }

    public static boolean has(Report r, String code) {
        return r.findings().stream().anyMatch(f -> f.code().equals(code));
    }
}
