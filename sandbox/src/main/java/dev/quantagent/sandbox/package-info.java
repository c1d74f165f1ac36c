/**
 * The factor expression language: parse, validate, canonicalise and evaluate alpha-factor formulas over a panel
 * (dates x assets x fields), safely.
 *
 * <p>Start at {@link dev.quantagent.sandbox.Sandbox}: {@code parse} turns text into a
 * {@link dev.quantagent.sandbox.Factor} (syntax tree, canonical form, hash, complexity) or throws a
 * {@link dev.quantagent.sandbox.FormulaException} with a position; {@code evaluator(panel)} gives a
 * {@link dev.quantagent.sandbox.FactorEvaluator} that computes the factor's values.
 *
 * <p>How it fits together: {@code Parser} (recursive descent, both the WorldQuant and the Qlib dialect) resolves
 * every call against {@link dev.quantagent.sandbox.Operators}, the single registry of operators, and folds
 * constants; {@code Canonical} prints the one canonical spelling; {@code FactorEvaluator} plans the distinct
 * sub-expressions, checks the memory they need, and runs the kernels ({@code ElementwiseKernels},
 * {@code TimeSeriesKernels}, {@code CrossSectionKernels}) on asset-major {@code double[]} columns with NaN as the
 * missing value.
 *
 * <p>Safety: formulas are data. Nothing in a formula is compiled, reflected on or run; only registry operators and
 * panel fields can be named. {@link dev.quantagent.sandbox.Limits} bounds length, nodes, depth, windows, memory
 * (checked before evaluation) and time (checked inside kernels).
 */
package dev.quantagent.sandbox;
