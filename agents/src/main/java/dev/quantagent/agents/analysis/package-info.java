/**
 * The backtesting assistant: {@code quantagent analyze}. {@link dev.quantagent.agents.analysis.Backtest} is the
 * input document (its javadoc, and as a JSON Schema {@code backtest.schema.json}; the JSON report's is
 * {@code report.schema.json}), {@link dev.quantagent.agents.analysis.BacktestCsv} reads the same
 * backtest from a trades CSV and an equity-curve CSV (either alone) and benchmark price series (its javadoc is the CSV
 * format), {@link dev.quantagent.agents.analysis.Analysis} is the entry point. Inside: {@code Metrics} (recomputed
 * figures, reusing the evaluator's {@code PortfolioMetrics}), {@code Market} (the curve aligned with its benchmark:
 * beta, correlation, bull/bear × high/low-volatility regimes), {@code Interpretation} (every threshold, in one
 * table), {@code Analyzer} (pitfall rules, grade, checklist) and {@code Reports} / {@code Html} (markdown by
 * verbosity, JSON, comparisons, the HTML page).
 * The rules make a complete report on their own; when an LLM is configured,
 * {@link dev.quantagent.agents.analysis.Narrator} adds a narrative whose numbers {@code Figures} checks against the
 * computed ones.
 */
package dev.quantagent.agents.analysis;
