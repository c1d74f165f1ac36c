/**
 * What a factor is worth, on one panel. {@link dev.quantagent.evaluator.Evaluation} is the entry point: prepared once
 * per panel and {@link dev.quantagent.evaluator.EvaluationConfig} (labels by horizon and delay, the train / valid /
 * test {@link dev.quantagent.evaluator.Splits}, market regimes), it turns a formula into a
 * {@link dev.quantagent.evaluator.FactorReport} of {@link dev.quantagent.evaluator.SplitStatistics} per split: IC and
 * rank IC with Newey–West t-statistics, quantile returns, the quantile long-short after costs, turnover, decay by
 * year, purged folds, regimes. The sealed test split is reached only through
 * {@link dev.quantagent.evaluator.Evaluation#unsealTest}, which counts every look. Beside it:
 * {@code Books} (the portfolios a factor drives: long-short by holding period, TopK-dropout,
 * buffered long-short), {@link dev.quantagent.evaluator.PoolSignal} (many factors combined into one signal, fitted on
 * train and chosen on valid), {@link dev.quantagent.evaluator.Significance} (trial-aware bars, multiple-testing
 * adjustments, the deflated Sharpe ratio), {@link dev.quantagent.evaluator.TearSheets} and
 * {@link dev.quantagent.evaluator.TimeSeriesEvaluation} (a factor over time, for thin cross-sections). Market data is
 * read in {@code data} (CSV, the binary cache, Bybit) and made in {@code synth}. Statistics follow alphalens and
 * empyrical and are tested against independent implementations. Depends on sandbox.
 */
package dev.quantagent.evaluator;
