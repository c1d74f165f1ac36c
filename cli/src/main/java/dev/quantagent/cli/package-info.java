/**
 * The {@code quantagent} command line (picocli): {@link dev.quantagent.cli.QuantAgentCli} is the entry point, and
 * each subcommand is one class named for it ({@code MineCommand}, {@code CheckCommand}, {@code ValuesCommand},
 * {@code OpsCommand}, {@code EvalCommand}, {@code PoolCommand}, {@code ReportCommand}, {@code KbCommand} with list,
 * show, search, similar, stats, runs, export, import and delete, {@code AnalyzeCommand}, and {@code DataCommand} with
 * {@code SynthCommand}, {@code BybitCommand} and {@code InspectCommand}). Shared options are mixins
 * ({@code DataOptions}, {@code EvaluationOptions}, {@code BookOptions}, {@code KbOption}, {@code LlmOptions});
 * {@code Output} writes a result to {@code --out} or standard output; {@code Home}, {@code MarketData},
 * {@code InOrder}, {@code Workspaces}, {@code StoredRuns} and {@code Interruption} are the plumbing several commands
 * share. A command
 * never calls another command: what two of them print alike lives in a sub-package.
 * <ul>
 *   <li>{@code render}: tables, JSON and markdown of evaluations, factor tear sheets and mining runs, the one JSON
 *       mapper ({@code Json}) and the figure formats ({@code Cells});</li>
 *   <li>{@code html}: every HTML page, one class each ({@code FactorPage}, {@code RunPage}, {@code TimeSeriesPage},
 *       {@code AnalysisPage}) on the page builder {@code HtmlPage}; their style sheet and drawing code are resources
 *       beside them;</li>
 *   <li>{@code analysis}: the backtesting assistant's reports as markdown and JSON, with the JSON's schema.</li>
 * </ul>
 * Collaborators such as the embedding model and the environment the LLM settings read reach commands through
 * picocli's factory, not global state. Exit codes: 0 success, 2 bad input (with a message that says what and where),
 * 1 internal error. The only module with picocli and the Chart.js WebJar; depends on agents and assistant.
 */
package dev.quantagent.cli;
