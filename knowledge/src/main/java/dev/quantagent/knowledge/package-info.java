/**
 * The knowledge base (issue 4, not built yet): every tested factor with its canonical form, statistics, the Judge's
 * verdict and an all-MiniLM-L6-v2 embedding, on an embedded H2 file; exact, semantic, correlation and structural
 * neighbour search for the Writer and the Judge. Until then this module only carries the dependency chain
 * sandbox &lt;- evaluator &lt;- knowledge &lt;- agents.
 */
package dev.quantagent.knowledge;
