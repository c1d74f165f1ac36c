/**
 * The backtesting assistant: {@code quantagent analyze}. {@link dev.quantagent.agents.analysis.Backtest} is the
 * input document (its javadoc is the schema), {@link dev.quantagent.agents.analysis.Analysis} the entry point.
 * Inside: {@code Metrics} (recomputed figures, reusing the evaluator's {@code PortfolioMetrics}),
 * {@code Interpretation} (every threshold, in one table), {@code Analyzer} (pitfall rules, grade, checklist) and
 * {@code Reports} (markdown by verbosity, JSON, comparisons). Rules only; no LLM, no network.
 */
package dev.quantagent.agents.analysis;
