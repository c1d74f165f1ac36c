/**
 * What every HTML report of QuantAgent is made of: {@link dev.quantagent.cli.html.HtmlPage}, one self-contained
 * page (escaped text, chart data as inert JSON, Chart.js inlined from its WebJar), used by {@code analyze} and by
 * {@code report}.
 */
package dev.quantagent.cli.html;
