/**
 * The backtesting assistant behind {@code quantagent analyze}. {@link dev.quantagent.assistant.Analysis} is the entry
 * point: it turns {@link dev.quantagent.assistant.Backtest}s into {@link dev.quantagent.assistant.Report}s.
 * {@code Backtest} is the input document (its javadoc, and the JSON Schema {@code backtest.schema.json} beside it);
 * {@link dev.quantagent.assistant.BacktestCsv} reads the same backtest from a trades CSV and an equity-curve CSV
 * (either alone) and benchmark price series. Inside: {@code Metrics} (recomputed figures, reusing the evaluator's
 * {@code PortfolioMetrics}), {@code Market} (the curve aligned with its benchmark: beta, correlation, bull/bear ×
 * high/low-volatility regimes), {@code Interpretation} (every threshold, in one table), {@code Analyzer} (pitfall
 * rules, grade, checklist, recommendations). The rules make a complete report on their own; when an LLM is
 * configured, {@link dev.quantagent.assistant.Narrator} adds a narrative whose numbers {@code Figures} checks against
 * the computed ones. Rendering a report is the command line's (markdown and JSON in
 * {@code dev.quantagent.cli.analysis}, the page in {@code dev.quantagent.cli.html}). Depends on evaluator and llm.
 */
package dev.quantagent.assistant;
