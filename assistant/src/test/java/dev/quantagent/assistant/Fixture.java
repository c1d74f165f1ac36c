package dev.quantagent.assistant;

import dev.quantagent.testkit.BacktestDocument;

/** A hand-built backtest document, parsed and analysed. */
final class Fixture extends BacktestDocument<Fixture> {

    Fixture(String strategy, String assetClass, boolean weekends, double[] returns) {
        super(strategy, assetClass, weekends, returns);
    }

    Backtest backtest() {
        return Backtest.parse(json(), "test");
    }

    Report analyze() {
        return Analyzer.analyze(backtest(), 0, null);
    }

    static boolean has(Report r, String code) {
        return r.findings().stream().anyMatch(f -> f.code().equals(code));
    }

    static Report.Finding finding(Report r, String code) {
        return r.findings().stream().filter(f -> f.code().equals(code)).findFirst()
                .orElseThrow(() -> new AssertionError("no finding " + code + " in " + r.findings()));
    }
}
