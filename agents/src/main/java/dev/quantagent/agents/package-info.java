/**
 * The agents and the mining run. {@link dev.quantagent.agents.MiningRun} is the two-loop run: a
 * {@link dev.quantagent.agents.Writer} drafts ({@link dev.quantagent.agents.OfflineWriter}, an evolutionary search,
 * or {@link dev.quantagent.agents.LlmWriter}, any OpenAI-compatible endpoint), the evaluator backtests on train and
 * valid, the {@link dev.quantagent.agents.RuleJudge} (followed, for the factors it accepts, by the optional
 * {@link dev.quantagent.agents.LlmJudge}) returns a {@link dev.quantagent.agents.Verdict} whose
 * {@link dev.quantagent.agents.Feedback} categories steer the next refinement, every outcome goes to the knowledge
 * base, and each round's Writer retrieves from it, earlier runs on the same data included. Runs are reproducible for
 * a seed, parallel without changing their results, and resumable. {@link dev.quantagent.agents.LlmChat} is what every
 * LLM agent shares (retries, tokens, JSON out of a reply). Backtest analysis lives in the {@code analysis} sub-package, and the building blocks
 * of the self-contained HTML reports in {@code html}.
 */
package dev.quantagent.agents;
