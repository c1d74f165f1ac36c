/**
 * The {@code quantagent} command line (picocli). {@link dev.quantagent.cli.QuantAgentCli} is the entry point; each
 * subcommand is one class: {@code mine}, {@code check}, {@code values}, {@code ops}, {@code eval}, {@code report},
 * {@code kb} (with list, show, search, similar, stats, runs, export, import, delete), {@code analyze}, and
 * {@code data} (with synth, bybit, inspect). Shared options are mixins ({@code DataOptions}, {@code KbOption},
 * {@code LlmOptions}); {@code Output} writes a result to {@code --out} or standard output; {@code FactorHtml} and
 * {@code RunHtml} are the HTML pages of {@code report};
 * collaborators such as the embedding model and the environment the LLM settings read reach commands through
 * picocli's factory, not global state.
 * Exit codes: 0 success, 2 bad input (with a message that says what and where), 1 internal error.
 */
package dev.quantagent.cli;
