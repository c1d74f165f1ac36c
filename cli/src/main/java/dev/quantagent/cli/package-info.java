/**
 * The {@code quantagent} command line (picocli) and every rendering of results. {@link dev.quantagent.cli.QuantAgentCli}
 * is the entry point; each subcommand is one class: {@code mine}, {@code check}, {@code values}, {@code ops},
 * {@code eval}, {@code pool}, {@code report}, {@code kb} (with list, show, search, similar, stats, runs, export, import,
 * delete), {@code analyze}, and {@code data} (with synth, bybit, inspect). Shared options are mixins
 * ({@code DataOptions}, {@code KbOption}, {@code LlmOptions}); {@code Output} writes a result to {@code --out} or
 * standard output; the HTML pages are built in {@code html}, the assistant's reports rendered in {@code analysis}.
 * Collaborators such as the embedding model and the environment the LLM settings read reach commands through
 * picocli's factory, not global state. Exit codes: 0 success, 2 bad input (with a message that says what and where),
 * 1 internal error. The only module with picocli and the Chart.js WebJar; depends on agents and assistant.
 */
package dev.quantagent.cli;
