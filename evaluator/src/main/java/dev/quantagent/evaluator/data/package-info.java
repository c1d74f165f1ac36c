/**
 * Market data in: long CSV (plain or gzip) to a {@link dev.quantagent.sandbox.Panel} with
 * {@link dev.quantagent.evaluator.data.PanelCsv}, and symbol-to-group files (sectors, industries) with
 * {@link dev.quantagent.evaluator.data.GroupsCsv}. Rows may come in any order; the panel's dates are the union of
 * all dates and absent cells are NaN. Every problem is a {@link dev.quantagent.evaluator.data.DataException} naming
 * the file, the line and the reason.
 */
package dev.quantagent.evaluator.data;
