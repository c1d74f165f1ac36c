package dev.quantagent.knowledge;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Vector helpers: normalisation, the stored form (little-endian float32), and the dot product of the search. */
final class Vectors {

    private Vectors() {
    }

    static float[] normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        if (s > 0) {
            float inv = (float) (1 / Math.sqrt(s));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    static byte[] encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    /** Decodes into dst at offset; returns false if the bytes are not {@code length} floats. */
    static boolean decode(byte[] bytes, float[] dst, int offset, int length) {
        if (bytes == null || bytes.length != length * 4) {
            return false;
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(dst, offset, length);
        return true;
    }

    /** Dot product of q and m[offset .. offset + q.length); four accumulators let the CPU overlap the adds. */
    static float dot(float[] q, float[] m, int offset) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int n = q.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += q[i] * m[offset + i];
            s1 += q[i + 1] * m[offset + i + 1];
            s2 += q[i + 2] * m[offset + i + 2];
            s3 += q[i + 3] * m[offset + i + 3];
        }
        for (; i < n; i++) {
            s0 += q[i] * m[offset + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
