/**
 * The agents and the mining run. {@link dev.quantagent.agents.MiningRun} is the entry point: the two-loop run in
 * which a {@link dev.quantagent.agents.Writer} drafts ({@link dev.quantagent.agents.OfflineWriter}, an evolutionary
 * search from classic concepts, or {@link dev.quantagent.agents.LlmWriter}, any OpenAI-compatible endpoint), the
 * evaluator backtests on train, the {@link dev.quantagent.agents.RuleJudge} (followed, for the factors it accepts, by
 * the optional {@link dev.quantagent.agents.LlmJudge}) returns a {@link dev.quantagent.agents.Verdict} whose
 * {@link dev.quantagent.agents.Feedback} steers the next refinement, a factor that passes is looked at once on valid,
 * every outcome goes to the knowledge base, and each round's Writer retrieves from it. The
 * {@link dev.quantagent.agents.Conclusion} combines the accepted pool into one signal and looks at the sealed test
 * once. Runs are reproducible for a seed, parallel without changing their results, and resumable.
 * Depends on sandbox, evaluator, knowledge and llm.
 */
package dev.quantagent.agents;
