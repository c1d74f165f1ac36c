/**
 * Market data from Bybit's public v5 REST API (no key needed): {@link dev.quantagent.evaluator.data.bybit.BybitClient}
 * pages klines and funding history backwards in time with retries, and
 * {@link dev.quantagent.evaluator.data.bybit.BybitCsv} writes them as the long CSV that
 * {@link dev.quantagent.evaluator.data.PanelCsv} reads. Problems are reported as
 * {@link dev.quantagent.evaluator.data.DataException}s naming the symbol and what Bybit said.
 */
package dev.quantagent.evaluator.data.bybit;
