package dev.quantagent.assistant;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the backtest assistant: analyses one or more {@link Backtest}s with rules (and, given a
 * {@link Narrator}, an LLM narrative) into {@link Report}s. Several backtests are compared side by side in the given
 * order (v1.0 → v1.1 → v1.2); rendering the reports is the command line's.
 */
public final class Analysis {

    /**
     * The JSON Schema (draft 2020-12) of the input document ({@link Backtest}), shipped beside these classes. Its
     * descriptions are the field reference; tests hold it to what the parser accepts.
     */
    public static String inputSchema() {
        String file = "backtest.schema.json";
        try (InputStream in = Analysis.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param riskFree      annual risk-free rate for Sharpe and Sortino (0.0 by default)
     * @param annualization periods per year, or null to infer from the equity curve
     * @param regimeWindow  trailing trading days that classify the market regimes (20 by default)
     */
    public record Options(double riskFree, Double annualization, int regimeWindow) {
        public Options {
            if (regimeWindow < 2 || regimeWindow > 1000) {
                throw new IllegalArgumentException("--regime-window: the regime window is in trading days, 2 to "
                        + "1000, got " + regimeWindow);
            }
            if (annualization != null && !(annualization > 0 && !annualization.isInfinite())) {
                throw new IllegalArgumentException("--annualization must be positive, got " + annualization);
            }
            if (!(Math.abs(riskFree) < 1)) {
                throw new IllegalArgumentException("--risk-free is an annual fraction (0.04 for 4%), got "
                        + riskFree);
            }
        }

        /** The default regime window, 20 trading days. */
        public Options(double riskFree, Double annualization) {
            this(riskFree, annualization, MarketRegimes.WINDOW_DAYS);
        }
    }

    private Analysis() {
    }

    /**
     * Analyses the backtests, each report with an LLM narrative when {@code narrator} is not null: the rule-based
     * report is computed first and stays complete; the narrative is added, labelled, or its absence explained.
     */
    public static List<Report> analyze(List<Backtest> backtests, Options options, Narrator narrator) {
        if (backtests.isEmpty()) {
            throw new IllegalArgumentException("no backtest to analyse");
        }
        List<Report> reports = new ArrayList<>();
        for (Backtest bt : backtests) {
            Report r = Analyzer.analyze(bt, options);
            reports.add(narrator == null ? r : r.withNarrative(narrator.narrate(r)));
        }
        return reports;
    }
}
