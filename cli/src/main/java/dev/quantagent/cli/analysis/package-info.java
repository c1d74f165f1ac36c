/**
 * The assistant's reports as the user reads them: {@link dev.quantagent.cli.analysis.Reports} renders them as markdown
 * (by {@link dev.quantagent.cli.analysis.Verbosity}), JSON (always complete; its schema {@code report.schema.json} is
 * beside it) or one HTML page ({@code Html}), and compares several versions side by side.
 */
package dev.quantagent.cli.analysis;
