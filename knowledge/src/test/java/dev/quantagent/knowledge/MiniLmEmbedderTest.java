package dev.quantagent.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one test that loads the real all-MiniLM-L6-v2 model (offline: it ships inside the jar). */
class MiniLmEmbedderTest {

    @Test
    void theRealModelPutsMomentumNearerToTrendFollowingThanToDividendYield() {
        Embedder e = Embedders.miniLm().get();
        float[] momentum = e.embed("momentum of closing prices");
        float[] trend = e.embed("price trend following");
        float[] dividends = e.embed("dividend yield of utilities");
        assertEquals(384, momentum.length);
        assertEquals(1.0, Vectors.dot(momentum, momentum, 0), 1e-4);
        assertTrue(Vectors.dot(momentum, trend, 0) > Vectors.dot(momentum, dividends, 0));
    }
}
