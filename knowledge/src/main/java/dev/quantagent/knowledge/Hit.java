package dev.quantagent.knowledge;

/** A factor found by a search, with its cosine similarity to the query (or |correlation|, or shared nodes). */
public record Hit(FactorRecord factor, double score) {
}
