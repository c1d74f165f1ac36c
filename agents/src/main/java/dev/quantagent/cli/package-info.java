/**
 * The {@code quantagent} command line (picocli). {@link dev.quantagent.cli.QuantAgentCli} is the entry point; each
 * subcommand is one class ({@code check}, {@code values}, {@code ops}, {@code eval}, {@code analyze}, and {@code data}
 * with its subcommands {@code synth}, {@code bybit}, {@code inspect}). Exit codes: 0 success, 2 bad input (with a message that
 * says what and where), 1 internal error.
 */
package dev.quantagent.cli;
