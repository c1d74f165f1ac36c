package dev.quantagent.knowledge;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/**
 * all-MiniLM-L6-v2 (384 dimensions) on onnxruntime, from the model file inside the langchain4j jar: no network.
 * Loading takes about a second and ~100 MB, so create it once per process and only when a vector is needed
 * (see {@link Embedders#lazy}).
 */
public final class MiniLmEmbedder implements Embedder {

    private final AllMiniLmL6V2EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();

    @Override
    public float[] embed(String text) {
        return Vectors.normalise(model.embed(text).content().vector());
    }

    @Override
    public int dimension() {
        return 384;
    }

    @Override
    public String id() {
        return "all-minilm-l6-v2";
    }
}
