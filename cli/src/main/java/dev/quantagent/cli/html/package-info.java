/**
 * Every HTML page of QuantAgent, one class per page: {@link dev.quantagent.cli.html.FactorPage} (a factor's tear
 * sheet: {@code report --factor/--formula --format html}, a run's {@code pool-signal.html}),
 * {@link dev.quantagent.cli.html.RunPage} (a mining run: the run folder's {@code report.html}, {@code report --run}),
 * {@link dev.quantagent.cli.html.TimeSeriesPage} (a factor evaluated in time, on data too thin to rank across) and
 * {@link dev.quantagent.cli.html.AnalysisPage} (the backtesting assistant: {@code analyze --format html}). Each is
 * built on {@link dev.quantagent.cli.html.HtmlPage}: one self-contained page, text escaped, chart data as inert JSON,
 * Chart.js inlined from its WebJar. The style sheet ({@code page.css}), the helpers every page's drawing code starts
 * with ({@code prelude.js}) and each page's drawing code ({@code factor-page.js}, {@code run-page.js},
 * {@code time-series-page.js}, {@code analysis-page.js}) are resources beside these classes.
 */
package dev.quantagent.cli.html;
