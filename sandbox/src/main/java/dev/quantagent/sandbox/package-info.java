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
 * sub-expressions, checks the memory they need, and runs each node's kernel ({@code ElementwiseKernels},
 * {@code TimeSeriesKernels}, {@code CrossSectionKernels}) on asset-major {@code double[]} columns with NaN as the
 * missing value; {@link dev.quantagent.sandbox.AssetScale} follows units through a formula.
 *
 * <p>Adding an operator takes three places: its entry in {@code Operators} (name, parameters, aliases, reference
 * line, and what the rest needs: the {@code Kernel} that computes it, its unit rule for {@code AssetScale}, its
 * scaling for {@code Canonical}); its kernel, a primitive loop in the kernel family's file (often an existing one
 * with a new constant); and its semantics in the test {@code ReferenceEvaluator}, the independent naive
 * implementation that {@code OperatorConformanceTest} holds every registered operator to.
 *
 * <p>Safety: formulas are data. Nothing in a formula is compiled, reflected on or run; only registry operators and
 * panel fields can be named. {@link dev.quantagent.sandbox.Limits} bounds length, nodes, depth, windows, memory
 * (checked before evaluation) and time (checked inside kernels).
 */
package dev.quantagent.sandbox;
