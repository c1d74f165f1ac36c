/**
 * The knowledge base: every tested factor (formula, canonical form and hash, hypothesis, lineage, verdict, Judge
 * feedback, statistics, usage) and every mining run, on an embedded H2 file, with an all-MiniLM-L6-v2 embedding per
 * factor. {@link dev.quantagent.knowledge.KnowledgeBase} is the entry point. It answers exact duplicates (canonical
 * hash), semantic neighbours (cosine over a flat in-memory vector array), structural overlap (shared sub-trees),
 * retrieval for the Writer (bounded to the factors stored when a round started) and aggregates. Text longer than its
 * column is stored cut, never refused.
 *
 * <p>Behind the façade, package-private parts named for what they hold: {@code Database} (the connection, probing,
 * opening and migrating the file, transactions), {@code FactorTable} (factor SQL), {@code RunTable} (runs, and each
 * data set's trials, looks at valid and aliases), {@code VectorSearch} (semantic search and structural overlap) and
 * {@code Aggregates} (success rates and counts). {@link dev.quantagent.knowledge.Exchange} is {@code kb export} and
 * {@code kb import} (JSON, CSV, Qlib); {@code ExportReader} checks an export entry by entry before anything is
 * stored. Other modules see the model only as an {@link dev.quantagent.knowledge.Embedder};
 * {@link dev.quantagent.knowledge.HashingEmbedder} is the fast fake for tests. Depends on the formula language
 * ({@code sandbox}) only: what a split's statistics are is the caller's to say
 * ({@link dev.quantagent.knowledge.Stats}).
 */
package dev.quantagent.knowledge;
