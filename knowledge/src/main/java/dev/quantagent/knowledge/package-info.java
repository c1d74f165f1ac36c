/**
 * The knowledge base: every tested factor (formula, canonical form and hash, hypothesis, lineage, verdict, Judge
 * feedback, statistics, usage) and every mining run, on an embedded H2 file, with an all-MiniLM-L6-v2 embedding
 * per factor. It answers exact duplicates (canonical hash), semantic neighbours (cosine over a flat in-memory
 * vector array) and structural overlap (shared sub-trees), retrieval for the Writer (what a mining round's Writer is shown, bounded to the factors stored when
 * the round started), and aggregates. Text longer than its column is stored cut, never refused. Other modules see
 * the model only as an {@link dev.quantagent.knowledge.Embedder}; {@link dev.quantagent.knowledge.HashingEmbedder}
 * is the fast fake for tests. It depends on the formula language ({@code sandbox}) only: what a split's
 * statistics are is the caller's to say ({@link dev.quantagent.knowledge.Stats}).
 */
package dev.quantagent.knowledge;
