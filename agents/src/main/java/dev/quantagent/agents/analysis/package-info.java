/**
 * The backtesting assistant: {@code quantagent analyze}. {@link dev.quantagent.agents.analysis.Backtest} is the
 * input document (its javadoc is the schema), {@link dev.quantagent.agents.analysis.Analysis} the entry point.
 * Inside: {@code Metrics} (recomputed figures, reusing the evaluator's {@code PortfolioMetrics}),
 * {@code Interpretation} (every threshold, in one table), {@code Analyzer} (pitfall rules, grade, checklist) and
 * {@code Reports} (markdown by verbosity, JSON, comparisons) and {@code Html} (one self-contained page). The rules
 * make a complete report on their own; when an LLM is configured, {@link dev.quantagent.agents.analysis.Narrator}
 * adds a narrative whose numbers {@code Figures} checks against the computed ones.
 */
package dev.quantagent.agents.analysis;
