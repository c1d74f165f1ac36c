package dev.quantagent.knowledge;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A fast deterministic stand-in for the real model: feature hashing of words, word pairs and character trigrams into
 * 384 signed buckets, L2-normalised. Texts sharing words land close; it knows no synonyms. For tests and for
 * machines where the model cannot load.
 */
public final class HashingEmbedder implements Embedder {

    public static final int DIMENSION = 384;

    @Override
    public float[] embed(String text) {
        float[] v = new float[DIMENSION];
        String[] words = text.toLowerCase(Locale.ROOT).split("[^a-z0-9_$]+");
        String previous = null;
        for (String w : words) {
            if (w.isEmpty()) {
                continue;
            }
            add(v, w, 1.0f);
            if (previous != null) {
                add(v, previous + ' ' + w, 0.7f);
            }
            String padded = ' ' + w + ' ';
            for (int i = 0; i + 3 <= padded.length(); i++) {
                add(v, padded.substring(i, i + 3), 0.3f);
            }
            previous = w;
        }
        return Vectors.normalise(v);
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String id() {
        return "hashing-384";
    }

    private static void add(float[] v, String feature, float weight) {
        int h = fnv(feature);
        int bucket = Math.floorMod(h, DIMENSION);
        v[bucket] += (h & 0x40000000) == 0 ? weight : -weight; // a sign bit keeps collisions from only adding up
    }

    /** FNV-1a: stable across JDKs, unlike String.hashCode's use by HashMap (which is stable too, but weak). */
    private static int fnv(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x01000193;
        }
        return h ^ (h >>> 15);
    }
}
