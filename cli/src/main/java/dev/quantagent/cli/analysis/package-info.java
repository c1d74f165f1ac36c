/**
 * The backtesting assistant's reports ({@code analyze}) as the user reads them in text:
 * {@link dev.quantagent.cli.analysis.Reports} renders them as markdown (as much as
 * {@link dev.quantagent.cli.analysis.Verbosity} asks for) or JSON (always complete; its schema
 * {@code report.schema.json} is beside it), one report or several versions compared. Their HTML page is
 * {@code cli.html.AnalysisPage}, which shares this package's wording.
 */
package dev.quantagent.cli.analysis;
