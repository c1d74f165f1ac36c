package dev.quantagent.knowledge;

/**
 * Text to a unit-length vector, so that cosine similarity is a dot product. The knowledge base is the only module
 * that knows the real model; everything else sees this interface.
 */
public interface Embedder {

    /** An L2-normalised vector of {@link #dimension()} floats. */
    float[] embed(String text);

    int dimension();

    /** Names the model that made a vector: vectors of different embedders are never compared. */
    default String id() {
        return getClass().getSimpleName();
    }
}
