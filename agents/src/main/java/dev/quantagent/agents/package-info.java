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
 *
 * <p>Inside the run, {@code MiningRun} is a façade over package-private parts, each named for what it holds:
 * <ul>
 *   <li>{@code RoundScheduler}: the rounds, sitting by sitting; the candidates explored on worker threads and merged
 *       in candidate order, the time budget and Ctrl-C, the time mined;</li>
 *   <li>{@code RoundStart}: a round's start as every candidate of the round sees it (the pool, the knowledge base's
 *       last id, the counts the evidence bars are set from, what the Writer is shown);</li>
 *   <li>{@code CandidateLoop}: one candidate's inner loop: draft, evaluate on train, judge, refine, and the gate's one
 *       look at valid;</li>
 *   <li>{@code CandidateRecorder}: every outcome into the knowledge base in candidate order, with what only the merge
 *       can settle (duplicates and redundancy within a round), and the run's counts;</li>
 *   <li>{@code AcceptedPool}: the accepted factors and a candidate's novelty against them (duplicate, structural
 *       overlap, correlation of train ranks);</li>
 *   <li>{@code WriterRetrieval}: what the Writer is shown from the knowledge base at each round's start;</li>
 *   <li>{@code RunSettings} and {@code RunState}: how the run was started and where it stands, as stored with it and
 *       read back on resume (records bound by Jackson through {@code StoredJson}).</li>
 * </ul>
 */
package dev.quantagent.agents;
