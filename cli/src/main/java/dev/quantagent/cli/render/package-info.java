/**
 * What the commands print and write, in words and numbers: eval's statistics table and the portfolios table
 * ({@link dev.quantagent.cli.render.FactorTables}), an evaluation as JSON ({@code EvaluationJson}), a formula as JSON
 * ({@code FormulaJson}), a factor's tear sheet with its answer to "is this a factor?" as markdown and JSON
 * ({@code FactorSheet}), a factor evaluated in time ({@code TimeSeriesView}), and a mining run's end: the run folder's
 * {@code summary.json}, {@code pool.json}, {@code pool.csv}, {@code summary.md} and the terminal's summary
 * ({@code RunSummary}). Every figure is written by {@code Cells} ("-" when undefined, percent with 2 decimals, ...)
 * and all JSON by {@link dev.quantagent.cli.render.Json}, the one mapper, which writes an undefined number as null.
 * {@code ChartData} holds the chart series pieces a run keeps with its figures. The HTML pages ({@code cli.html})
 * build on these.
 */
package dev.quantagent.cli.render;
